"""The layout rules of docs/architecture.md that import-linter cannot check: small modules,
small folders, a docstring on every package, and pages and API controllers that leave queries
to the services."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = ("pool", "allocation", "contracts", "scheduler", "benchmarks")
MAX_LINES = 300
MAX_MODULES = 20


def _modules() -> list[Path]:
    found = []
    for top in CODE:
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" not in path.relative_to(ROOT).parts:
                found.append(path)
    return sorted(found)


def test_no_module_is_over_300_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_folder_holds_more_than_20_modules() -> None:
    folders: dict[Path, int] = {}
    for path in _modules():
        folders[path.parent] = folders.get(path.parent, 0) + 1
    crowded = {str(f.relative_to(ROOT)): n for f, n in folders.items() if n > MAX_MODULES}
    assert crowded == {}


def test_every_package_says_what_it_holds() -> None:
    silent = [
        str(init.relative_to(ROOT))
        for init in (p for p in _modules() if p.name == "__init__.py")
        if not ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    ]
    assert silent == []


def test_pages_and_api_controllers_leave_queries_to_the_services() -> None:
    # a query built or run here: select(...) (not a service's `pools.update(...)`, nor a
    # route's `@delete(...)`), session.exec / execute / query
    querying = re.compile(r"(?<![.@\w])(select|insert|update|delete)\(|\.(exec|execute|query)\(")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for top in ("pool/controllers", "pool/web")
        for path in sorted((ROOT / top).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if querying.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == []
