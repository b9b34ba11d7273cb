"""Delivery never stops: a message QQ refuses for good is set aside (and told), timeouts are waited out,
recording "sent" is retried rather than re-sending, and a restart takes over a dead process's leases."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from tests.factories import DIRECTOR, give_roles
from xietong.core import clock, setaside
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.core.models import OutboxMessage
from xietong.core.outbox import HOST, Deliverer, Refused, Target, process_identity, stale_owner
from xietong.core.roles import Role
from xietong.core.work import Actor, work

GROUP = Target.group(9001)
SUPERUSER = 10001
GIVE_UP = timedelta(seconds=60)


class Clock:
    def __init__(self):
        self.at = datetime(2026, 11, 26, 2, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.at


class PickyQQ:
    """Refuses (a retcode) every message containing ``poison``; ``timeouts`` sends just fail."""

    def __init__(self, poison: str = "违禁", timeouts: int = 0, plain_passes: bool = False):
        self.poison = poison
        self.timeouts = timeouts
        self.plain_passes = plain_passes
        self.delivered: list[tuple[Target, str]] = []
        self.calls = 0

    async def __call__(self, target, segments):
        self.calls += 1
        if self.timeouts > 0:
            self.timeouts -= 1
            raise TimeoutError("WebSocket call api send_group_msg timeout")
        text = "".join(s["data"].get("text", "") for s in segments).strip()
        plain = all(s["type"] == "text" for s in segments)
        if self.poison in text and not (plain and self.plain_passes):
            raise Refused("retcode=1200")
        self.delivered.append((target, text))
        return 7000 + len(self.delivered)


async def tell(session, row):
    await setaside.tell(session, row, [SUPERUSER], 9001)


async def enqueue(*texts: str, target: Target = GROUP) -> None:
    async with work() as w:
        for text in texts:
            w.notify(target, text, mentions=[20002])


async def rows() -> list[OutboxMessage]:
    async with database().session() as session:
        return list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def drive(deliverer: Deliverer, fake: Clock, seconds: int) -> None:
    """Run the worker once a second of the injected clock."""
    for _ in range(seconds):
        await deliverer.deliver_due()
        fake.at += timedelta(seconds=1)


async def test_a_message_refused_forever_is_set_aside_and_the_rest_flows():
    fake = Clock()
    clock.set_clock(fake)
    await give_roles(DIRECTOR, Role.director)
    qq = PickyQQ()
    deliverer = Deliverer(database(), qq, give_up=GIVE_UP, on_set_aside=tell)
    await enqueue("缺货：违禁品 5 箱", "第二条", "第三条")
    await drive(deliverer, fake, 30)
    assert qq.delivered == []  # order within the group is kept while QQ may still take it
    await drive(deliverer, fake, 40)
    texts = [t for _, t in qq.delivered]
    assert texts[:2] == ["第二条", "第三条"]
    first = (await rows())[0]
    assert first.status == "aside"
    # back-off, not a try per second; the last try was plain text
    assert 6 <= qq.calls - len(qq.delivered) <= 10
    notices = [(tg, t) for tg, t in qq.delivered if "拒收" in t]
    assert {tg for tg, _ in notices} == {Target.private(SUPERUSER), GROUP}
    assert all(f"/补发 {first.id}" in t and "违禁" not in t for _, t in notices)
    group_notice = next(r for r in await rows() if r.target_kind == "group" and "拒收" in str(r.segments))
    assert [s["data"]["qq"] for s in group_notice.segments if s["type"] == "at"] == [str(DIRECTOR)]


async def test_plain_text_in_parts_is_the_last_try():
    fake = Clock()
    clock.set_clock(fake)
    qq = PickyQQ(plain_passes=True)
    deliverer = Deliverer(database(), qq, give_up=GIVE_UP, on_set_aside=tell)
    await enqueue("违禁词\n" + "长" * 400)
    await drive(deliverer, fake, 70)
    assert (await rows())[0].status == "sent"
    assert [len(t) for _, t in qq.delivered] == [3, 300, 100]  # in parts, as plain text
    assert qq.delivered[0][1] == "违禁词"


async def test_timeouts_are_not_refusals_and_never_give_up():
    fake = Clock()
    clock.set_clock(fake)
    qq = PickyQQ(timeouts=10_000)
    deliverer = Deliverer(database(), qq, give_up=GIVE_UP, on_set_aside=tell)
    await enqueue("等 QQ 回话")
    await drive(deliverer, fake, 600)
    [row] = await rows()
    assert row.status == "pending" and row.refused_since is None


async def test_recording_sent_is_retried_instead_of_sending_again(monkeypatch):
    clock.set_clock(Clock())
    qq = PickyQQ()
    deliverer = Deliverer(database(), qq)
    original = deliverer._record
    failures = iter([True, True, False])

    async def flaky(*args, **kwargs):
        if next(failures):
            raise OSError("database is locked")
        return await original(*args, **kwargs)

    monkeypatch.setattr(deliverer, "_record", flaky)
    monkeypatch.setattr("xietong.core.outbox.asyncio.sleep", _no_sleep)
    await enqueue("只发一次")
    assert await deliverer.deliver_due() == 1
    assert qq.calls == 1
    assert (await rows())[0].status == "sent"


async def _no_sleep(_seconds):
    return None


async def test_a_restart_releases_the_leases_of_a_dead_process():
    fake = Clock()
    clock.set_clock(fake)
    await enqueue("崩溃前租下的", "排在后面的")
    dead = f"{HOST}:999999999:deadbeef"
    async with database().session() as session:
        await session.execute(
            update(OutboxMessage).values(lease_owner=dead, lease_until=fake.at + timedelta(seconds=60),
                                         next_attempt_at=fake.at + timedelta(seconds=100))
        )
    qq = PickyQQ()
    deliverer = Deliverer(database(), qq)
    assert await deliverer.deliver_due() == 0  # still leased, still backing off
    assert await deliverer.reclaim() == 2
    assert await deliverer.deliver_due() == 2
    assert [t for _, t in qq.delivered] == ["崩溃前租下的", "排在后面的"]


def test_only_leases_of_processes_that_are_gone_are_stale():
    import os

    me = process_identity()
    assert not stale_owner(me, me)
    assert not stale_owner(f"{HOST}:{os.getppid()}:abc", me)  # alive: its lease expires on its own
    assert not stale_owner("other-host:1:abc", me)
    assert stale_owner(f"{HOST}:{os.getpid()}:abc", me)  # an earlier run under our pid
    assert stale_owner("0123456789abcdef", me)  # before leases named their process


async def set_aside_one() -> int:
    await enqueue("违禁")
    async with database().session() as session:
        await session.execute(update(OutboxMessage).values(status="aside", attempts=7))
    return (await rows())[0].id


async def test_resend_puts_a_set_aside_message_back():
    clock.set_clock(Clock())
    number = await set_aside_one()
    boss = Actor(SUPERUSER, origin=Target.private(SUPERUSER), superuser=True)
    async with work(boss) as w:
        await setaside.resend(w, number)
    first, reply = await rows()
    assert (first.status, first.attempts, first.lease_owner) == ("pending", 0, None)
    assert "已重新排队" in str(reply.segments)
    qq = PickyQQ(poison="不会出现")
    assert await Deliverer(database(), qq).deliver_due() == 2


async def test_resend_is_for_superusers_only_and_names_a_set_aside_message():
    clock.set_clock(Clock())
    number = await set_aside_one()
    with pytest.raises(DomainError, match="超级用户"):
        async with work(Actor(DIRECTOR, origin=GROUP)) as w:
            await setaside.resend(w, number)
    boss = Actor(SUPERUSER, origin=GROUP, superuser=True)
    with pytest.raises(DomainError, match="没有第 999 条"):
        async with work(boss) as w:
            await setaside.resend(w, 999)
    async with work(boss) as w:
        await setaside.resend(w, number)
    with pytest.raises(DomainError, match="不用补发"):
        async with work(boss) as w:
            await setaside.resend(w, number)
