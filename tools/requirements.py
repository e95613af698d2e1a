"""Print the dependencies declared in pyproject.toml (runtime and test), one a line.

The Makefile installs these into .venv; pyproject.toml stays the one place where
dependencies are declared.
"""

import pathlib
import tomllib

project = tomllib.loads(
    (pathlib.Path(__file__).resolve().parent.parent / "pyproject.toml").read_text("utf-8")
)["project"]
for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
    print(requirement)
