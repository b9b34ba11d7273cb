"""One owner per column: only ``xietong/orders`` assigns an ``Order`` attribute and only ``xietong/logistics`` a
``Shipment`` attribute; every other feature goes through their named services (mark_shipped, apply_payment,
shipments.mark_cod_booked …). Read from the source (AST), so a new assignment anywhere fails here."""

from __future__ import annotations

import ast
from pathlib import Path

from xietong.logistics.models import Shipment
from xietong.orders.models import Order

ROOT = Path(__file__).resolve().parents[2]
CODE = ("xietong", "plugins")


def _columns(model: type) -> set[str]:
    return set(model.__table__.columns.keys())


def _targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        found = list(node.targets)
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        found = [node.target]
    else:
        return []
    flat: list[ast.expr] = []
    while found:
        target = found.pop()
        found.extend(target.elts) if isinstance(target, (ast.Tuple, ast.List)) else flat.append(target)
    return flat


def _setattr_targets(node: ast.AST) -> list[tuple[str, str]]:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr" and node.args:
        return [(ast.unparse(node.args[0]), "*")]
    return []


def assignments(model: type, word: str, owner: str) -> list[str]:
    """``file:line target`` for every assignment (or ``setattr``) outside ``owner`` to a column of ``model`` on a
    name that says it is one: ``order.paid_fen``, ``current.order.updated_at``, ``shipment.cod_booked_at``."""
    columns = _columns(model)
    found = []
    for top in CODE:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative.startswith(owner):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                hits = [(ast.unparse(t.value), t.attr) for t in _targets(node) if isinstance(t, ast.Attribute)]
                for base, attr in hits + _setattr_targets(node):
                    named = word in base.rsplit(".", 1)[-1].lower()
                    if named and (attr in columns or attr == "*"):
                        found.append(f"{relative}:{node.lineno} {base}.{attr}")
    return found


def test_only_orders_assigns_order_attributes():
    assert assignments(Order, "order", "xietong/orders/") == []


def test_only_logistics_assigns_shipment_attributes():
    assert assignments(Shipment, "shipment", "xietong/logistics/") == []


def test_the_check_sees_an_assignment():
    """Not vacuous: seen from another feature, the owners' own assignments are all found."""
    assert any("order.paid_fen" in hit for hit in assignments(Order, "order", "xietong/finance/"))
    assert any("order.updated_at" in hit for hit in assignments(Order, "order", "xietong/finance/"))
    assert any("shipment.cod_booked_at" in hit for hit in assignments(Shipment, "shipment", "xietong/finance/"))
