"""The state machine's allowed and refused moves, and the gate against every finance task state."""

import pytest

from xietong.orders import gate
from xietong.orders.enums import Department, PaymentMethod, Stage, TaskState
from xietong.orders.models import Order, OrderTask
from xietong.orders.stages import ALLOWED, InvalidTransition, can_move, check_move

EXPECTED_MOVES = {
    (Stage.processing, Stage.ready), (Stage.processing, Stage.cancelled),
    (Stage.ready, Stage.processing), (Stage.ready, Stage.slipped), (Stage.ready, Stage.cancelled),
    (Stage.slipped, Stage.shipped), (Stage.slipped, Stage.cancelled),
    (Stage.shipped, Stage.delivered), (Stage.delivered, Stage.settled), (Stage.settled, Stage.delivered),
}


@pytest.mark.parametrize("current", list(Stage))
@pytest.mark.parametrize("to", list(Stage))
def test_every_pair_of_stages(current, to):
    assert can_move(current, to) == ((current, to) in EXPECTED_MOVES)


def test_only_the_director_override_skips_the_gate():
    assert not can_move(Stage.processing, Stage.slipped)
    assert can_move(Stage.processing, Stage.slipped, forced=True)
    assert not can_move(Stage.shipped, Stage.cancelled, forced=True)


def test_a_refused_move_names_both_stages():
    with pytest.raises(InvalidTransition, match="D261126-001 现在是「已发货」，不能变为「已取消」"):
        check_move("D261126-001", Stage.shipped, Stage.cancelled)


def test_cancelled_and_every_stage_is_covered():
    assert set(ALLOWED) == set(Stage)
    assert ALLOWED[Stage.cancelled] == frozenset()


def order(payment: PaymentMethod, amount: int = 1_020_000, paid: int = 0) -> Order:
    return Order(number="D261126-001", customer_id=1, customer_name="金陵建材", amount_fen=amount, payment=payment,
                 consignee="王工", phone="13800000000", address="南京", created_by=1, paid_fen=paid)


def tasks(workshop: TaskState, finance: TaskState, note: str | None = None) -> list[OrderTask]:
    return [
        OrderTask(order_id=1, department=Department.workshop, state=workshop, note=note),
        OrderTask(order_id=1, department=Department.finance, state=finance, note=note),
        OrderTask(order_id=1, department=Department.logistics, state=TaskState.pending),
    ]


@pytest.mark.parametrize("payment", [PaymentMethod.cod, PaymentMethod.monthly])
@pytest.mark.parametrize(
    ("workshop", "finance", "expected"),
    [
        (TaskState.done, TaskState.done, []),
        (TaskState.done, TaskState.pending, ["财务未放行"]),
        (TaskState.done, TaskState.problem, ["财务有问题：客户欠款"]),
        (TaskState.pending, TaskState.done, ["车间未完成备货"]),
        (TaskState.problem, TaskState.done, ["车间报缺货：客户欠款"]),
        (TaskState.pending, TaskState.pending, ["车间未完成备货", "财务未放行"]),
    ],
)
def test_gate_for_release_methods(payment, workshop, finance, expected):
    assert gate.unmet(order(payment), tasks(workshop, finance, "客户欠款")) == expected
    assert gate.holds(order(payment), tasks(workshop, finance, "客户欠款")) == (expected == [])


@pytest.mark.parametrize(
    ("paid", "finance", "expected"),
    [
        (1_020_000, TaskState.done, []),
        (1_100_000, TaskState.done, []),
        (400_000, TaskState.pending, ["财务未确认到账，已到 4,000 / 10,200 元"]),
        (0, TaskState.problem, ["财务未确认到账，已到 0 / 10,200 元"]),
        # a prepaid order opens on money, not on a click: the task says done but the money is short
        (1_019_999, TaskState.done, ["财务未确认到账，已到 10,199.99 / 10,200 元"]),
    ],
)
def test_gate_for_prepaid_needs_the_money(paid, finance, expected):
    assert gate.unmet(order(PaymentMethod.prepaid, paid=paid), tasks(TaskState.done, finance)) == expected


def test_gate_lists_every_unmet_condition_for_prepaid():
    assert gate.unmet(order(PaymentMethod.prepaid, paid=400_000), tasks(TaskState.pending, TaskState.pending)) == [
        "车间未完成备货", "财务未确认到账，已到 4,000 / 10,200 元",
    ]
