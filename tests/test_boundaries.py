"""The layering holds: the store imports nothing from resolve (``fftrack.views`` composes
the two), and no code outside the store reaches into a reader's or store's private
connection (``_conn``, ``_live``)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "fftrack"
FORBIDDEN_FROM_STORE = ("fftrack.resolve",)
PRIVATE = {"_conn", "_live"}


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


def _forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN_FROM_STORE)


def test_the_store_imports_nothing_from_resolve() -> None:
    found = []
    for p in _modules(PACKAGE / "store"):
        tree = ast.parse(p.read_text(encoding="utf-8"), str(p))
        found += [f"{p.name}:{line} {name}" for line, name in _imports(tree) if _forbidden(name)]
        # import_module("fftrack.resolve...") would be the same arrow
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if _forbidden(node.value):
                    found.append(f"{p.name}:{node.lineno} {node.value!r}")
    assert found == [], found


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
