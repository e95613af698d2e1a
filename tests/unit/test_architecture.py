"""The layering rules of STYLE.md: model/ and reports/ never import PySide6 or ui; ui/ and
reports/ reach the model only through its actions and vocabulary, and hold no SQL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("PySide6", "ui")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_core_does_not_import_qt_or_ui() -> None:
    """model/ and reports/ stay free of Qt and of the ui package (imports anywhere in a file)."""
    offenders = []
    for package in ("model", "reports"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for name in _imports(path):
                if name.split(".")[0] in FORBIDDEN:
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The walker does catch a nested PySide6 import (so the test above can fail)."""
    sample = tmp_path / "x.py"
    sample.write_text("def f():\n    from PySide6 import QtCore\n    import ui.main\n")
    assert _imports(sample) == ["PySide6", "ui.main"]


#: what ui/ and reports/ may import from the model: the use-case layer and pure helpers
ALLOWED_MODEL = ("model.actions", "model.vocab", "model.rules", "model.errors", "model.normalise")
#: SQL or the store's raw cursor, which stay inside model/
SQL = re.compile(
    r"\.(execute|executemany|executescript|query)\(|\b(SELECT|INSERT INTO|UPDATE|DELETE FROM) "
)


def _model_imports(path: Path) -> list[str]:
    """The model modules a file imports, by full name (``from model import x`` gives model.x)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(a.name for a in node.names if a.name.split(".")[0] == "model")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "model":
                names.extend(f"model.{a.name}" for a in node.names)
            elif node.module.startswith("model."):
                names.append(node.module)
    return names


def _allowed(name: str) -> bool:
    return any(name == a or name.startswith(a + ".") for a in ALLOWED_MODEL)


def test_ui_and_reports_reach_the_model_only_through_actions() -> None:
    """ui/ and reports/ import from model only the actions and the vocabulary (no store)."""
    offenders = []
    for package in ("ui", "reports"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for name in _model_imports(path):
                if not _allowed(name):
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_the_command_line_reaches_the_model_only_through_actions() -> None:
    """main.py parses arguments, calls actions and prints: no store, engine or ledger."""
    offenders = [name for name in _model_imports(ROOT / "main.py") if not _allowed(name)]
    assert offenders == []
    assert not [line for line in (ROOT / "main.py").read_text().splitlines() if SQL.search(line)]


def test_no_sql_in_ui_or_reports() -> None:
    """No SQL and no raw store cursor in ui/ or reports/: rows come from model actions."""
    offenders = []
    for package in ("ui", "reports"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if SQL.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_model_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The walker catches `from model import engine` and `import model.store`."""
    sample = tmp_path / "x.py"
    sample.write_text(
        "from model import engine, actions\nimport model.store\nfrom model.actions import x\n"
    )
    names = _model_imports(sample)
    assert names == ["model.engine", "model.actions", "model.store", "model.actions"]
    assert [n for n in names if not _allowed(n)] == ["model.engine", "model.store"]
    assert SQL.search('    store.execute("SELECT 1")')
