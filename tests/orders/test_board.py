"""/看板: the first orders of each open stage, counted and read in a fixed number of statements."""

from tests.factories import read_counting
from tests.scheduling.support import make_order
from xietong.orders import queries
from xietong.orders.enums import Stage

LIMIT = queries.BOARD_LINES_PER_STAGE


async def board_and_statements() -> tuple[str, list[str]]:
    text, statements = await read_counting(queries.board)
    return str(text), statements


async def test_every_open_stage_shows_its_first_orders_in_order_the_rest_counted():
    numbers = {
        Stage.processing: [f"D261126-{n:03d}" for n in range(1, LIMIT + 3)],  # two more than a stage shows
        Stage.shipped: ["D261126-101", "D261126-102"],
        Stage.delivered: ["D261126-201"],
    }
    for stage in (Stage.delivered, Stage.processing, Stage.shipped):  # ids interleave across stages
        for number in numbers[stage]:
            await make_order(number, stage=stage)
    await make_order("D261126-301", stage=Stage.cancelled)  # not open: not counted, not shown

    text, statements = await board_and_statements()

    lines = text.splitlines()
    assert lines[0] == f"看板：未完结 {LIMIT + 5} 单"
    assert [line for line in lines if line.startswith("【")] == [
        f"【处理中】{LIMIT + 2} 单", "【已发货】2 单", "【已到货】1 单"]
    shown = [line.split()[0] for line in lines if line.startswith("  D")]
    assert shown == numbers[Stage.processing][:LIMIT] + numbers[Stage.shipped] + numbers[Stage.delivered]
    assert "D261126-301" not in text and "…另有 2 单" in text
    # the counts, the orders shown (every stage at once) and their open tasks; was one a stage shown
    assert len(statements) == 3, statements


async def test_an_empty_board_reads_only_the_counts():
    text, statements = await board_and_statements()
    assert text == "看板：没有未完结的订单。"
    assert len(statements) == 1
