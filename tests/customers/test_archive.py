"""Finding a customer by the name people type: exact, core name, the longer typed name, ambiguity, creation."""

import asyncio

import pytest
from sqlalchemy import func, select

from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.parties import archive
from xietong.parties.archive import AmbiguousCustomer, core_name, find, find_or_create, fold_name
from xietong.parties.models import Customer


async def archive_of(*names: str) -> None:
    async with database().session() as session:
        session.add_all(Customer(name=name) for name in names)


async def found(typed: str, *, reveal: bool = False) -> str | None:
    async with database().session() as session:
        customer = await find(session, typed, reveal=reveal)
    return customer.name if customer else None


async def candidate_names(typed: str) -> list[str]:
    async with database().session() as session:
        return [c.name for c in await archive.candidates(session, typed)]


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("金陵建材有限公司", "金陵建材"),
        ("金陵建材有限责任公司", "金陵建材"),
        ("金陵建材集团有限公司", "金陵建材"),
        ("南京水泥厂", "南京水泥"),
        ("栖霞五金店", "栖霞五金"),
        ("金陵建材（南京）有限公司", "金陵建材(南京)"),
        ("  金陵 建材  公司 ", "金陵建材"),
        ("天厂建材公司", "天厂建材"),  # a suffix word inside the name stays
        ("公司", "公司"),  # never stripped to nothing
    ],
)
def test_core_name(name: str, core: str):
    assert core_name(name) == core


def test_fold_name_folds_width_and_spaces():
    assert fold_name(" 金陵建材（南京）　有限公司 ") == "金陵建材(南京) 有限公司"


async def test_exact_name_wins_over_longer_ones():
    await archive_of("金陵建材", "金陵建材有限公司")
    assert await found("金陵建材") == "金陵建材"


@pytest.mark.parametrize("typed", ["金陵建材", "金陵建材公司", " 金陵建材有限公司 ", "金陵"])
async def test_short_forms_find_the_full_name(typed: str):
    await archive_of("金陵建材有限公司", "江宁水泥厂")
    assert await found(typed) == "金陵建材有限公司"


async def test_full_width_and_case_do_not_matter():
    await archive_of("金陵建材(南京)有限公司", "ABC贸易有限公司")
    assert await found("金陵建材（南京）") == "金陵建材(南京)有限公司"
    assert await found("abc贸易") == "ABC贸易有限公司"


async def test_the_typed_name_may_be_the_longer_one_and_the_longest_core_wins():
    await archive_of("金陵建材", "金陵")
    assert await found("金陵建材有限公司南京分部") == "金陵建材"


async def test_several_fits_are_ambiguous_and_named_only_when_revealed():
    await archive_of("金陵建材有限公司", "南京金陵建材有限公司", "江宁水泥厂")
    with pytest.raises(AmbiguousCustomer) as caught:
        await found("金陵", reveal=True)
    assert caught.value.candidates == ["南京金陵建材有限公司", "金陵建材有限公司"]
    assert caught.value.message == "客户「金陵」对应多个档案：南京金陵建材有限公司、金陵建材有限公司。请写全名。"
    with pytest.raises(AmbiguousCustomer) as hidden:
        await found("金陵")
    assert hidden.value.message == "客户「金陵」对应不止一个档案，请写客户全名或订单号。"


async def test_the_one_with_the_same_core_is_meant():
    await archive_of("金陵建材有限公司", "金陵建材科技有限公司")
    assert await found("金陵建材") == "金陵建材有限公司"
    assert await found("金陵建材科技") == "金陵建材科技有限公司"


async def test_two_entries_with_the_same_core_stay_ambiguous():
    await archive_of("金陵建材有限公司", "金陵建材公司")
    with pytest.raises(AmbiguousCustomer):
        await found("金陵建材")


async def test_a_long_candidate_list_is_cut_short_in_the_message():
    await archive_of(*(f"建材{i:02d}有限公司" for i in range(12)))
    with pytest.raises(AmbiguousCustomer) as caught:
        await found("建材", reveal=True)
    assert len(caught.value.candidates) == 12
    assert caught.value.message.endswith("建材07有限公司 等 12 家。请写全名。")


async def test_one_character_or_wildcards_guess_nothing():
    await archive_of("金陵建材有限公司", "江宁水泥厂")
    assert await found("金") is None
    assert await found("%%") is None
    assert await found("__") is None
    assert await candidate_names("") == []


async def test_unknown_name_finds_nothing():
    await archive_of("金陵建材有限公司")
    assert await found("栖霞五金") is None


async def test_find_or_create_links_existing_and_creates_new_folded():
    await archive_of("金陵建材有限公司")
    async with database().session() as session:
        existing = await find_or_create(session, "金陵建材")
        new = await find_or_create(session, " 江宁水泥（东山）厂 ")
        again = await find_or_create(session, "江宁水泥(东山)厂")
    assert (existing.customer.name, existing.created) == ("金陵建材有限公司", False)
    assert (new.customer.name, new.created) == ("江宁水泥(东山)厂", True)
    assert (again.customer.id, again.created) == (new.customer.id, False)


async def test_find_or_create_refuses_empty_and_too_long_names():
    async with database().session() as session:
        with pytest.raises(DomainError, match="客户名称不能为空"):
            await find_or_create(session, "  ")
        with pytest.raises(DomainError, match="客户名称太长"):
            await find_or_create(session, "长" * 101)


async def test_find_or_create_propagates_ambiguity():
    await archive_of("金陵建材有限公司", "金陵建材公司")
    async with database().session() as session:
        with pytest.raises(AmbiguousCustomer):
            await find_or_create(session, "金陵建材")


async def test_racing_creations_of_one_new_name_leave_one_entry():
    async def create() -> int:
        async with database().session() as session:
            return (await find_or_create(session, "栖霞五金店")).customer.id

    ids = await asyncio.gather(*(create() for _ in range(5)))
    assert len(set(ids)) == 1
    async with database().session() as session:
        assert await session.scalar(select(func.count()).select_from(Customer)) == 1
