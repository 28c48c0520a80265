"""The shape of the code, kept by tests: dependencies run one way, and one vocabulary for dates.

docs/architecture.md draws the floors. Each app's *domain* modules (models, services, selectors,
permissions, rules, the engine…) import only apps on their own floor or below. Its *web* modules
(views, urls, forms, exports, admin, templatetags, management commands) sit on top of every
floor: they may import any app's domain modules, never another app's web modules (STYLE.md:
"Another app may import an app's models, services and selectors, never its views or forms").
Forms are the one web part apps share (the organization picker, the person form): a web module
may import another app's forms, never its views or URLs. `lib` and `audit` lie under everything:
all of them, their form helpers and the audited admin included, may be imported by anyone. The
data wing (demo, scenarios, the national synthesizer, benchmarks) may import anything; nothing
outside it and the tests may import it. No two modules import each other, directly or
around a loop, at module level or inside a function.
"""

import ast
import collections
import pathlib
import re

import coso

ROOT = pathlib.Path(coso.__file__).parent

# the floors, lowest first; apps on one floor may import each other's domain modules
FLOORS = [
    {"lib"},
    {"audit"},
    {"access"},
    {"places"},
    {"organizations"},
    {"people"},
    {"members"},
    {"quality", "imports", "evaluation", "grassroots", "inspection", "activities", "resolutions", "restructuring",
     "training", "staffing"},
    {"measures"},
    {"reports", "targets"},
]
FLOOR = {app: n for n, apps in enumerate(FLOORS) for app in apps}
WING = "data"
WEB_PREFIXES = ("views", "urls", "forms", "exports", "admin", "context_processors", "pdf", "dashboard")
PAGES = ("views", "urls", "dashboard")  # another app's pages: never imported
WEB_PACKAGES = {"management", "templatetags"}
FOUNDATIONS = {"lib", "audit"}


def _modules() -> dict[str, pathlib.Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT.parent)
        if "migrations" in rel.parts:
            continue
        name = ".".join(rel.with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _targets(module: str, node) -> list[str]:
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            package = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
            base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        names = [base] + [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES]
    found = []
    for name in names:
        while name not in MODULES and "." in name:
            name = name.rsplit(".", 1)[0]
        if name in MODULES and name != module:
            found.append(name)
    return found


def _imports() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = collections.defaultdict(set)
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                edges[module].update(t for t in _targets(module, node) if t.startswith("coso"))
    return edges


IMPORTS = _imports()


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else None


def _is_test(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or "tests_browser" in parts or parts[-1] == "conftest" or parts[-1].startswith("test_")


def _is_web(module: str) -> bool:
    parts = module.split(".")
    return parts[-1].startswith(WEB_PREFIXES) or bool(WEB_PACKAGES & set(parts))


def _is_page(module: str) -> bool:
    return _is_web(module) and module.split(".")[-1].startswith(PAGES)


def _production(module: str) -> bool:
    return not _is_test(module) and _app(module) != WING


def test_it_keeps_every_app_on_a_floor():
    # formats: Django's FORMAT_MODULE_PATH (dd/mm/yyyy, 5.400), data for the framework
    apps = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists() and p.name not in {"tests", "tests_browser", "formats"}}
    assert apps - set(FLOOR) - {WING} == set(), "an app without a floor: add it to FLOORS and docs/architecture.md"


def test_it_imports_downward_only():
    wrong = []
    for module, targets in IMPORTS.items():
        app = _app(module)
        if not _production(module) or app not in FLOOR or module.endswith(".apps"):
            continue
        for target in targets:
            other = _app(target)
            if other is None or other == app or (other in FOUNDATIONS and FLOOR[app] >= FLOOR[other]):
                continue
            if other == WING:
                wrong.append(f"{module} -> {target} (production code imports the data wing)")
            elif _is_page(target) or (_is_web(target) and not _is_web(module)):
                wrong.append(f"{module} -> {target} (another app's web module)")
            elif not _is_web(module) and FLOOR.get(other, 99) > FLOOR[app]:
                wrong.append(f"{module} -> {target} (floor {FLOOR[app]} imports floor {FLOOR.get(other)})")
    assert wrong == [], "\n".join(wrong)


def test_it_imports_no_test_module_from_production():
    wrong = [f"{m} -> {t}" for m, targets in IMPORTS.items() if not _is_test(m) for t in targets if _is_test(t)]
    assert wrong == [], "\n".join(wrong)


def test_it_has_no_import_loop():
    """Tarjan's strongly connected components over every module's imports (tests included)."""
    index, low, on_stack, stack, loops = {}, {}, set(), [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in IMPORTS.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                loops.append(sorted(component))

    for module in sorted(MODULES):
        if module not in index:
            visit(module)
    # a package's __init__ re-exporting its modules is not a loop of the code's own making
    loops = [loop for loop in loops if not all(MODULES[m].name == "__init__.py" or m.rsplit(".", 1)[0] in loop for m in loop)]
    assert loops == [], "\n".join(" <-> ".join(loop) for loop in loops)


# ---------------------------------------------------------------- one vocabulary for dates

DATED = re.compile(r"valid_to__isnull|valid_to IS NULL")
VOCABULARY = {ROOT / "lib" / "dated.py"}
# the benchmark's DuckDB reference answers the national report from Parquet files with SQL of its
# own, by design independent of the engine's code (it checks the engine), so it says "in force" itself
INDEPENDENT = {ROOT / "data" / "bench" / "national.py"}


def test_it_writes_in_force_in_one_place():
    """`valid_to__isnull` (and its SQL) appears only in coso/lib/dated.py, the vocabulary; raw SQL
    that must say it (members/search.py's statements) takes it from there (dated.OPEN_SQL)."""
    wrong = []
    for path in MODULES.values():
        if path in VOCABULARY | INDEPENDENT or path == pathlib.Path(__file__):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if DATED.search(line):
                wrong.append(f"{path.relative_to(ROOT.parent)}:{n}: {line.strip()}")
    assert wrong == [], "\n".join(wrong)
