"""SPEC §9 Access: people with no post reach /帮助, /岗位 and /投诉 only; other known commands get one line."""

import re

import pytest
from nonebug import App
from sqlalchemy import delete

from tests.factories import CS, Capture, give_roles, group_msg, private_msg, say, staff
from xietong.core.db import database
from xietong.core.models import MemberRole
from xietong.core.roles import Role

NOBODY = 30303  # in the group, no post
NO_POST = "你还没有岗位，用不了这个命令：请找超级用户给你设个岗位。现在可用 /帮助、/岗位、/投诉。"


@pytest.mark.parametrize("text", [
    "/订单 D261126-001", "/看板", "/待办", "/应收", "/设岗 [CQ:at,qq=30404] 主任", "/收款记录 D261126-001", "/周报", "/备份",
])
async def test_a_known_command_from_someone_with_no_post_gets_one_line(app: App, text: str):
    await staff()
    event = group_msg(text, NOBODY)
    await say(app, event, sends={event.message_id: NO_POST})


async def test_a_withdrawn_post_counts_as_no_post_in_private_too(app: App):
    await give_roles(30505, Role.cs, name="前客服")
    async with database().session() as session:
        await session.execute(delete(MemberRole).where(MemberRole.qq == 30505))
    event = private_msg("/待办", 30505)
    await say(app, event, sends={event.message_id: NO_POST})


async def test_help_and_roles_stay_open_and_help_lists_only_them(app: App):
    await staff()
    shown: list[str] = []
    help_, roles = group_msg("/帮助", NOBODY), group_msg("/岗位", NOBODY)
    await say(app, help_, roles, sends={help_.message_id: Capture(shown), roles.message_id: Capture(shown)})
    listed = set(re.findall(r"/[\u4e00-\u9fff]+", shown[0]))
    assert listed <= {"/岗位", "/帮助", "/投诉"} and {"/岗位", "/投诉"} <= listed
    assert "老张" in shown[1]


async def test_unknown_commands_from_someone_with_no_post_stay_quiet(app: App):
    event = group_msg("/不存在的命令 x", NOBODY)
    await say(app, event)  # no reply expected


async def test_people_with_a_post_are_not_stopped_here(app: App):
    await staff()
    event = group_msg("/看板", CS)
    await say(app, event, sends={event.message_id: Capture([])})


async def test_a_post_withdrawn_after_a_served_command_is_seen_by_the_next_one(app: App):
    """The gate's roles read is a statement built once (BENCHMARKS.md): it must still read today's roster."""
    await give_roles(30606, Role.cs, name="客服乙")
    served, refused = private_msg("/待办", 30606), private_msg("/待办", 30606)
    await say(app, served, sends={served.message_id: Capture([])})
    async with database().session() as session:
        await session.execute(delete(MemberRole).where(MemberRole.qq == 30606))
    await say(app, refused, sends={refused.message_id: NO_POST})


async def test_the_roles_read_sees_changes_not_yet_flushed(app: App):
    """roster.roles_of runs a Core statement: through the session (autoflushed), not on its bare connection."""
    from xietong.core import roster

    await give_roles(30707, Role.cs, name="客服丙")
    async with database().session() as session:
        session.add(MemberRole(qq=30707, role=Role.finance.value))
        assert await roster.roles_of(session, 30707) == {Role.cs, Role.finance}
        await session.execute(delete(MemberRole).where(MemberRole.qq == 30707))
        assert await roster.roles_of(session, 30707) == set()
