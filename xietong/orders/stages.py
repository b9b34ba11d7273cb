"""The order's life as an explicit state machine (SPEC §3).

处理中 → 可开单 → 已开单 → 已发货 → 已到货 → 已结清, and 已取消 from anywhere before shipping.
Flags (异常, 逾期) are not stages: they sit beside the stage.
"""

from __future__ import annotations

from xietong.core.errors import DomainError

from . import messages as msg
from .enums import Stage

ALLOWED: dict[Stage, frozenset[Stage]] = {
    Stage.processing: frozenset({Stage.ready, Stage.cancelled}),
    Stage.ready: frozenset({Stage.processing, Stage.slipped, Stage.cancelled}),
    Stage.slipped: frozenset({Stage.shipped, Stage.cancelled}),
    Stage.shipped: frozenset({Stage.delivered}),
    Stage.delivered: frozenset({Stage.settled}),
    Stage.settled: frozenset({Stage.delivered}),  # a reversed payment re-opens the receivable
    Stage.cancelled: frozenset(),
}

# 强制开单: the director may issue the slip before the gate holds.
FORCED: dict[Stage, frozenset[Stage]] = {Stage.processing: frozenset({Stage.slipped})}

OPEN_STAGES = (Stage.processing, Stage.ready, Stage.slipped, Stage.shipped, Stage.delivered)
BEFORE_SHIPPING = (Stage.processing, Stage.ready, Stage.slipped)
RECEIVABLE_STAGES = (Stage.slipped, Stage.shipped, Stage.delivered)
"""SPEC §4: a receivable starts at the slip (the goods leave); 已结清 is paid up, 已取消 owes nothing."""


class InvalidTransition(DomainError):
    pass


def can_move(current: Stage, to: Stage, *, forced: bool = False) -> bool:
    return to in ALLOWED[current] or (forced and to in FORCED.get(current, frozenset()))


def check_move(number: str, current: Stage, to: Stage, *, forced: bool = False) -> None:
    if not can_move(current, to, forced=forced):
        raise InvalidTransition(msg.cannot_move(number, current, to))
