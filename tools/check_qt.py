"""Check that Qt can load here; on a bare Debian/Ubuntu machine, install what it needs.

PySide6 comes from PyPI with Qt inside, but Qt's libraries link against a few
system libraries (OpenGL/EGL, fontconfig, D-Bus, GLib, X11/xcb). A desktop has
them; a minimal machine may not. Run by the Makefile after installing the
dependencies: when Qt does not load and this runs as root with apt-get, the
packages are installed; otherwise it says which command to run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

PACKAGES = [
    "libgl1",
    "libegl1",
    "libfontconfig1",
    "libfreetype6",
    "libdbus-1-3",
    "libglib2.0-0",
    "libx11-6",
    "libx11-xcb1",
    "libxcb1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-shape0",
    "libxrender1",
    "libgssapi-krb5-2",
    "fonts-dejavu-core",
]

PROBE = (
    "import os; os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen');"
    "from PySide6.QtWidgets import QApplication; from PySide6.QtPdf import QPdfDocument;"
    "from PySide6.QtPrintSupport import QPrinter; QApplication([])"
)


def qt_loads() -> tuple[bool, str]:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    return result.returncode == 0, result.stderr.strip()


def main() -> int:
    ok, error = qt_loads()
    if ok:
        return 0
    print(f"Qt does not load yet:\n{error}", file=sys.stderr)
    command = ["apt-get", "install", "-y", "--no-install-recommends", *PACKAGES]
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing the system libraries Qt needs: " + " ".join(PACKAGES), file=sys.stderr)
        subprocess.run(["apt-get", "update"], check=False)
        quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(command, check=False, env=quiet)
        ok, error = qt_loads()
        if ok:
            return 0
        print(f"Qt still does not load:\n{error}", file=sys.stderr)
        return 1
    print(
        "Install the system libraries Qt needs, then run make again:\n  sudo " + " ".join(command),
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
