"""The layering holds: the store imports nothing from resolve, web or extract, and resolve
nothing from the store (``fftrack.views`` composes the two; clustering is handed the
store's cluster repository), no code outside the store reaches into a reader's or store's private
connection (``_conn``, ``_live``), and no code outside the store writes SQL (but the
gazetteer's own reference database, which ``fftrack.geo`` builds and reads)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "fftrack"
FORBIDDEN_FROM_STORE = ("fftrack.resolve", "fftrack.web", "fftrack.extract")
FORBIDDEN_FROM_RESOLVE = ("fftrack.store",)
PRIVATE = {"_conn", "_live"}
# SQL as this code base writes it: upper-case keywords opening a statement
SQL = re.compile(
    r"\s*(SELECT\s.+\sFROM\s|INSERT\s+(OR\s+[A-Z]+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|"
    r"DELETE\s+FROM\s|(CREATE|DROP)\s+(TEMP\s+|UNIQUE\s+|VIRTUAL\s+)?(TABLE|INDEX|VIEW|TRIGGER)\s|"
    r"ALTER\s+TABLE\s|PRAGMA\s|BEGIN\b|COMMIT\b|ROLLBACK\b)",
    re.S,
)
# the gazetteer (GeoNames and other sources built into its own SQLite file) is not the
# store: fftrack.geo owns that database and its SQL
OWN_DATABASES = {"geo/gazetteer.py", "geo/merge.py", "geo/sources.py"}


def _modules(under: Path) -> list[Path]:
    return sorted(p for p in under.rglob("*.py") if "node_modules" not in p.parts)


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """Every module a file imports (at any depth: lazy imports in functions too)."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.lineno, node.module))
            # ``from fftrack import resolve``
            out.extend((node.lineno, f"{node.module}.{a.name}") for a in node.names)
    return out


def _forbidden(name: str, forbidden: tuple[str, ...] = FORBIDDEN_FROM_STORE) -> bool:
    return any(name == f or name.startswith(f + ".") for f in forbidden)


def _arrows(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for p in _modules(PACKAGE / package):
        tree = ast.parse(p.read_text(encoding="utf-8"), str(p))
        found += [
            f"{package}/{p.name}:{line} {name}"
            for line, name in _imports(tree)
            if _forbidden(name, forbidden)
        ]
        # import_module("fftrack.resolve...") would be the same arrow
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if _forbidden(node.value, forbidden):
                    found.append(f"{package}/{p.name}:{node.lineno} {node.value!r}")
    return found


def test_the_store_imports_nothing_from_resolve() -> None:
    """Nor from web or extract: the store is below them all."""
    assert _arrows("store", FORBIDDEN_FROM_STORE) == []


def test_resolve_imports_nothing_from_the_store() -> None:
    """Resolve is pure: rows and a cluster repository (``Store.clusters()``) in,
    judgements out; no import of ``fftrack.store``, not even for types."""
    assert _arrows("resolve", FORBIDDEN_FROM_RESOLVE) == []


def test_no_private_connection_outside_the_store() -> None:
    found = []
    store = PACKAGE / "store"
    for p in _modules(PACKAGE):
        if store in p.parents:
            continue
        tree = ast.parse(p.read_text(encoding="utf-8"), str(p))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in PRIVATE:
                found.append(f"{p.relative_to(PACKAGE)}:{node.lineno} .{node.attr}")
            elif isinstance(node, ast.ImportFrom):
                found += [
                    f"{p.relative_to(PACKAGE)}:{node.lineno} import {a.name}"
                    for a in node.names
                    if a.name in PRIVATE
                ]
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value in PRIVATE
            ):
                found.append(f"{p.relative_to(PACKAGE)}:{node.lineno} getattr {node.args[1].value}")
    assert found == [], found


def _sql_strings(tree: ast.AST) -> list[tuple[int, str]]:
    """String literals (f-strings by their first literal part) that open an SQL statement;
    docstrings are prose and left out (as are the parts of an f-string after its first)."""
    skip = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }
    skip |= {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    out = []
    for n in ast.walk(tree):
        text = None
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip:
            text = n.value
        elif isinstance(n, ast.JoinedStr) and n.values and isinstance(n.values[0], ast.Constant):
            text = str(n.values[0].value)
        if text is not None and SQL.match(text):
            out.append((n.lineno, text[:50]))
    return out


def test_no_sql_outside_the_store() -> None:
    found = []
    store = PACKAGE / "store"
    for p in _modules(PACKAGE):
        rel = p.relative_to(PACKAGE).as_posix()
        if store in p.parents or rel in OWN_DATABASES:
            continue
        tree = ast.parse(p.read_text(encoding="utf-8"), str(p))
        found += [f"{rel}:{line} {text!r}" for line, text in _sql_strings(tree)]
    assert found == [], found


def test_the_check_sees_what_it_forbids() -> None:
    """The checks above catch the forms they look for (a lazy import, an attribute)."""
    src = (
        "def f(r):\n"
        "    from fftrack.resolve import merged_events\n"
        "    import fftrack.resolve.flows\n"
        "    from fftrack import resolve\n"
        "    return r._conn\n"
    )
    tree = ast.parse(src)
    assert [n for _, n in _imports(tree) if _forbidden(n)] == [
        "fftrack.resolve",
        "fftrack.resolve.merged_events",
        "fftrack.resolve.flows",
        "fftrack.resolve",
    ]
    assert any(isinstance(n, ast.Attribute) and n.attr in PRIVATE for n in ast.walk(tree))
    up = "from fftrack.store.writer import Store\nfrom fftrack import web\nimport fftrack.extract.events\n"
    assert [n for _, n in _imports(ast.parse(up)) if _forbidden(n)] == [
        "fftrack.web",
        "fftrack.extract.events",
    ]
    assert [n for _, n in _imports(ast.parse(up)) if _forbidden(n, FORBIDDEN_FROM_RESOLVE)] == [
        "fftrack.store.writer",
        "fftrack.store.writer.Store",
    ]
    sql = (
        'def g(conn, t):\n    """SELECT this FROM a docstring is prose."""\n'
        '    conn.execute("SELECT id FROM events WHERE x = ?")\n'
        '    conn.execute(f"DELETE FROM {t}")\n'
        '    return "begin the attack", "UPDATE: the toll rose"\n'
    )
    assert [line for line, _ in _sql_strings(ast.parse(sql))] == [3, 4]


def test_the_reader_points_to_the_merged_views() -> None:
    """``fftrack.store.StoreReader`` reads rows; asked for a merged view it says where
    the view is (``fftrack.StoreReader`` is the one with them)."""
    import fftrack
    from fftrack.store import StoreReader as RowReader
    from fftrack.views import StoreReader

    assert fftrack.StoreReader is StoreReader and issubclass(StoreReader, RowReader)
    for name in ("merged_events", "merged_event", "iter_merged_events", "flows"):
        assert callable(getattr(StoreReader, name))
        assert not hasattr(RowReader, name)
