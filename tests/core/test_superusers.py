"""One reading of SUPERUSERS for every check: "10001" and NoneBot's "onebot:10001" name the same superuser,
whether the check is a command's, the quote-reply words', the private-chat scope's or the console's."""

import pytest
from nonebot import get_driver

from tests.factories import group_msg, private_msg
from xietong.core.roles import Role
from xietong.core.roster import superuser_ids

PREFIXED = 30003


def test_superuser_ids_read_plain_and_prefixed_numbers_only():
    assert superuser_ids(["10001", " onebot:10002 ", "telegram:5", "nobody", ""]) == {10001, 10002}


@pytest.fixture
def prefixed_superuser():
    config = get_driver().config
    before = set(config.superusers)
    config.superusers = before | {f"onebot:{PREFIXED}"}
    yield
    config.superusers = before


async def test_every_check_agrees_on_a_prefixed_superuser(prefixed_superuser):
    from plugins.core.quote import _holds
    from plugins.core.superusers import is_superuser, superusers

    assert is_superuser(private_msg("/状态", user_id=PREFIXED))
    assert await _holds(group_msg("已到账", user_id=PREFIXED), (Role.finance,))  # plain words of any role
    assert superusers() == [10001, PREFIXED]


async def test_others_are_not_superusers(prefixed_superuser):
    from plugins.core.quote import _holds
    from plugins.core.superusers import is_superuser

    assert not is_superuser(private_msg("/状态", user_id=20001))
    assert not await _holds(group_msg("已到账", user_id=20001), (Role.finance,))
