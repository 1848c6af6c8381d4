"""The layers of kinerja/ (README, Layout): each imports only the layers above it, and none imports Streamlit.

Read from the source with `ast`, imports inside functions included, so a shortcut taken in a hurry
(a write function reaching into a document writer, a pure rule opening the database) fails here.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KINERJA = ROOT / "kinerja"
# layer -> the kinerja layers it may import (besides itself and the top-level config/errors)
BOLEH = {
    "aturan": set(),
    "simpan": {"aturan"},
    "baca": {"aturan", "simpan"},
    "dokumen": {"aturan", "simpan", "baca"},
}
# libraries that mean a database or Streamlit: the pure rules and the package must not need them
DATABASE = ("sqlmodel", "sqlalchemy", "alembic", "psycopg")


def imports_of(path: Path) -> set[str]:
    """Every module name a file imports, at any depth."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def modules(layer: str) -> list[Path]:
    return sorted((KINERJA / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(BOLEH))
def test_a_layer_imports_only_the_layers_above_it(layer: str) -> None:
    wrong = []
    for path in modules(layer):
        for name in imports_of(path):
            parts = name.split(".")
            if parts[0] == "kinerja" and len(parts) > 1 and parts[1] in BOLEH and parts[1] != layer \
                    and parts[1] not in BOLEH[layer]:
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_the_pure_rules_need_no_database() -> None:
    wrong = [f"{p.relative_to(ROOT)} imports {n}" for p in modules("aturan") for n in imports_of(p)
             if n.split(".")[0] in DATABASE]
    assert not wrong, "\n".join(wrong)


def test_the_domain_package_never_imports_streamlit() -> None:
    wrong = [f"{p.relative_to(ROOT)} imports {n}" for p in sorted(KINERJA.rglob("*.py")) for n in imports_of(p)
             if n.split(".")[0] == "streamlit"]
    assert not wrong, "\n".join(wrong)


def test_the_layers_hold_every_module_but_the_entry_points() -> None:
    """A new module lands in a layer; only the command line, the demo, settings and errors stay at the top."""
    top = {p.name for p in KINERJA.glob("*.py") if not p.name.startswith("cli_")}  # cli_*.py: parts of the CLI
    assert top == {"__init__.py", "cli.py", "demo.py", "config.py", "errors.py"}
