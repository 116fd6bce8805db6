"""``select_for_update()`` on a query that also joins other tables (``select_related``) locks the
joined rows too on PostgreSQL: the warehouse, the customer, the organization of a document.
Every other writer then queues behind that lock, and inserts that reference those rows (whose
foreign keys PostgreSQL checks with FOR KEY SHARE at commit) deadlock with it. A lock taken
with joined tables must say which table it locks (``of=("self",)``).

This test reads the code: a call chain with both and no ``of`` fails, naming the line."""

import ast
from pathlib import Path

import jxc

SOURCE = Path(jxc.__file__).resolve().parent


def _chain(node: ast.AST) -> list[ast.Call]:
    """The calls of a chained expression (``a.b().c().d()``), outermost first."""
    calls = []
    while True:
        if isinstance(node, ast.Call):
            calls.append(node)
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        else:
            return calls


def _name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else ""


def unscoped_locks(tree: ast.AST) -> list[int]:
    found, seen = [], set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or id(node) in seen:
            continue
        calls = _chain(node)
        seen.update(id(call) for call in calls)
        locks = [c for c in calls if _name(c) == "select_for_update"]
        joined = any(_name(c) == "select_related" for c in calls)
        for lock in locks:
            if joined and not any(keyword.arg == "of" for keyword in lock.keywords):
                found.append(lock.lineno)
    return found


def test_a_lock_with_joined_tables_names_its_own_table():
    offenders = [
        f"{path.relative_to(SOURCE.parent)}:{line}"
        for path in sorted(SOURCE.rglob("*.py"))
        for line in unscoped_locks(ast.parse(path.read_text(), str(path)))
    ]
    assert offenders == [], "select_for_update() with select_related() needs of=('self',)"


def test_the_scan_finds_what_it_looks_for():
    bad = ast.parse(
        "Order.objects.select_for_update().select_related('customer').get(pk=1)\n"
        "x = (Order.objects.filter(a=1)\n    .select_related('warehouse')\n"
        "    .select_for_update())\n"
    )
    good = ast.parse(
        "Order.objects.select_for_update(of=('self',)).select_related('customer').get(pk=1)\n"
        "Order.objects.select_for_update().get(pk=1)\n"
        "Order.objects.select_related('customer').get(pk=1)\n"
    )
    assert unscoped_locks(bad) == [1, 2]
    assert unscoped_locks(good) == []
