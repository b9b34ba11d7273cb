"""The roster in memory (xietong.core.roster_cache): exact, never stale after a commit, here or elsewhere."""

import pytest
from nonebug import App
from sqlalchemy import delete, select, text, update

from tests.factories import SUPERUSER, Capture, Statements, give_roles, private_msg, read_counting, say
from xietong.core import db as db_module
from xietong.core import dedupe, outbox, roster
from xietong.core.db import Database, database
from xietong.core.errors import Forbidden
from xietong.core.models import Member, MemberRole, RosterVersion
from xietong.core.roles import Role
from xietong.core.work import Actor, work

NO_POST = "你还没有岗位，用不了这个命令：请找超级用户给你设个岗位。现在可用 /帮助、/岗位、/投诉。"


def roles_reads(statements: list[str]) -> int:
    return sum("FROM member_role" in s for s in statements)


async def version() -> int | None:
    async with database().read() as session:
        return await session.scalar(select(RosterVersion.version))


async def read_roles(qq: int, key: str = "k") -> set[Role]:
    """What a message's reads see: the dedupe check notes the version, then the gate asks."""
    async with database().reads():
        await dedupe.seen(key)
        async with database().read() as session:
            return await roster.roles_of(session, qq)


async def test_a_read_command_asks_the_database_for_roles_once_then_memory(app: App):
    await give_roles(30801, Role.cs, name="客服丁")
    first, second = private_msg("/待办", 30801), private_msg("/待办", 30801)
    with Statements(database()) as statements:
        await say(app, first, sends={first.message_id: Capture([])})
        on_first = list(statements)
        statements.clear()
        await say(app, second, sends={second.message_id: Capture([])})
    assert roles_reads(on_first) == 1  # the gate's read, remembered for /待办's own question
    assert roles_reads(statements) == 0
    assert len(statements) == len(on_first) - 1


async def test_a_withdrawn_post_is_refused_by_the_very_next_command(app: App):
    await give_roles(30802, Role.cs, name="客服戊")
    served, refused = private_msg("/待办", 30802), private_msg("/待办", 30802)
    await say(app, served, sends={served.message_id: Capture([])})
    async with work(Actor(SUPERUSER, superuser=True)) as w:
        await roster.revoke(w, [30802], [])
    await say(app, refused, sends={refused.message_id: NO_POST})


async def test_a_change_in_another_process_is_seen_once_it_commits(app: App, monkeypatch: pytest.MonkeyPatch):
    """A second bot process on the same database: its own engine and cache, told only by the version row."""
    await give_roles(30803, Role.cs, name="客服己")
    other = Database(str(database().url.render_as_string(hide_password=False)))
    here = database()
    try:
        monkeypatch.setattr(db_module, "_database", other)  # the other process serves and remembers
        served, refused = private_msg("/待办", 30803), private_msg("/待办", 30803)
        await say(app, served, sends={served.message_id: Capture([])})
        async with here.session() as session:  # this process withdraws the post, through no command
            await session.execute(delete(MemberRole).where(MemberRole.qq == 30803))
            async with other.read() as seen_meanwhile:  # not before the commit
                await dedupe.seen("other-1")
                assert await roster.roles_of(seen_meanwhile, 30803) == {Role.cs}
        await say(app, refused, sends={refused.message_id: NO_POST})
    finally:
        await other.dispose()


async def test_a_rolled_back_change_is_seen_by_nobody():
    await give_roles(30804, Role.cs, name="客服庚")
    assert await read_roles(30804) == {Role.cs}
    before = await version()
    with pytest.raises(RuntimeError):
        async with database().session() as session:
            await session.execute(delete(MemberRole).where(MemberRole.qq == 30804))
            assert await roster.roles_of(session, 30804) == set()  # the transaction sees its own change
            raise RuntimeError("rolled back")
    assert await version() == before
    assert await read_roles(30804) == {Role.cs}


async def test_a_service_transaction_sees_its_own_changes():
    """/设岗 then a check of the same person in the same transaction: the database, not the cache."""
    await give_roles(30805, Role.cs, name="客服辛")
    assert await read_roles(30805) == {Role.cs}  # remembered
    async with work(Actor(SUPERUSER, superuser=True)) as w:
        await roster.assign(w, {30805: "客服辛"}, [Role.finance])
        assert await roster.require(w.session, Actor(30805), Role.finance) == {Role.cs, Role.finance}
        await roster.revoke(w, [30805], [])
        with pytest.raises(Forbidden):
            await roster.require(w.session, Actor(30805), Role.cs)
    assert await read_roles(30805) == set()


async def test_what_a_message_reads_after_its_own_write_is_not_the_cache():
    await give_roles(30806, Role.cs, name="客服壬")
    async with database().reads():
        await dedupe.seen("k-30806")
        async with database().read() as session:
            assert await roster.roles_of(session, 30806) == {Role.cs}
        async with database().session() as session:
            await session.execute(delete(MemberRole).where(MemberRole.qq == 30806))
        with Statements(database()) as statements:
            async with database().read() as session:
                assert await roster.roles_of(session, 30806) == set()
        assert roles_reads(statements) == 1


async def test_every_kind_of_change_to_member_role_changes_the_version():
    """Triggers of the migration: raw SQL too (the console, manage.py, a hand-made fix)."""
    await give_roles(30807, Role.cs, name="客服癸")
    seen = {await version()}
    for statement in (update(MemberRole).where(MemberRole.qq == 30807).values(role=Role.finance.value),
                      delete(MemberRole).where(MemberRole.qq == 30807)):
        async with database().session() as session:
            await session.execute(statement)
        seen.add(await version())
    async with database().session() as session:
        await session.execute(text("INSERT INTO member_role (qq, role) VALUES (30807, 'cs')"))
    seen.add(await version())
    assert len(seen) == 4 and None not in seen


async def test_a_missing_version_row_means_no_cache():
    await give_roles(30808, Role.cs, name="客服子")
    async with database().session() as session:
        await session.execute(delete(RosterVersion))
    assert await read_roles(30808) == {Role.cs}
    with Statements(database()) as statements:
        assert await read_roles(30808) == {Role.cs}
    assert roles_reads(statements) == 1
    async with database().session() as session:  # the next change writes the row back
        await session.execute(delete(MemberRole).where(MemberRole.qq == 30808))
    assert await version() is not None and await read_roles(30808) == set()


async def test_holders_by_role_answers_each_role_as_holders_does_in_one_statement():
    await give_roles(30001, Role.finance, Role.workshop)
    await give_roles(30002, Role.workshop)
    roles = (Role.workshop, Role.finance, Role.logistics)
    together, statements = await read_counting(lambda session: roster.holders_by_role(session, *roles))
    async with database().read() as session:
        one_by_one = {role: await roster.holders(session, role) for role in roles}
    assert together == one_by_one == {Role.workshop: [30001, 30002], Role.finance: [30001], Role.logistics: []}
    assert len(statements) == 1


async def test_holders_leave_the_callers_other_rows_pending_but_see_its_roster_changes():
    """A state change's reply is not flushed by the holders' read (its notifications go in one INSERT); a role
    given in the same transaction is seen."""
    await give_roles(30001, Role.cs)
    async with database().session() as session:
        outbox.enqueue(session, outbox.Target.group(9001), "回复")
        with Statements(database()) as statements:
            assert await roster.holders(session, Role.cs) == [30001]
            assert (await roster.holders_by_role(session, Role.cs))[Role.cs] == [30001]
        assert len(statements) == 2 and all(s.lstrip().upper().startswith("SELECT") for s in statements)
        session.add(Member(qq=30002, name="新人"))
        session.add(MemberRole(qq=30002, role=Role.cs.value))
        assert await roster.holders(session, Role.cs) == [30001, 30002]
        await session.rollback()
