"""The data wing's boundary: production code imports neither the wing nor any test module, so the
product runs without the code that makes data and a change in a builder cannot break a page.
Production is every module of coso/ outside coso/data, the tests (tests/, tests_browser/,
conftest.py) and the settings, which install the wing as an app for its commands."""

import ast
from pathlib import Path

COSO = Path(__file__).resolve().parents[2]


def _production_modules():
    for path in sorted(COSO.rglob("*.py")):
        parts = path.relative_to(COSO).parts
        if parts[0] in ("data", "tests_browser") or "tests" in parts or "migrations" in parts or path.name == "conftest.py":
            continue
        yield path


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_it_keeps_production_code_free_of_the_wing_and_of_tests():
    wrong = []
    for path in _production_modules():
        for name in _imports(path):
            parts = name.split(".")
            if name == "coso.data" or name.startswith("coso.data.") or "tests" in parts or "conftest" in parts:
                wrong.append(f"{path.relative_to(COSO.parent)}: {name}")
    assert sorted(set(wrong)) == []


def test_it_finds_the_modules_it_guards():
    found = {path.relative_to(COSO).as_posix() for path in _production_modules()}
    assert {"members/services.py", "imports/services.py", "settings.py"} <= found
    assert not any(name.startswith("data/") for name in found)
