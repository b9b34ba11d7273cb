"""Signing in to the web console: the link's rules (10 minutes, once, the roster), sessions, /网页 and /网页 退出."""

from __future__ import annotations

from datetime import timedelta

import pytest
from nonebug import App
from sqlalchemy import select

from tests.core.test_access import NO_POST
from tests.factories import CS, DIRECTOR, SUPERUSER, WORKSHOP, give_roles, group_msg, private_msg, staff
from tests.finance.support import answer, fix_clock
from xietong.console import messages as words
from xietong.console import signin
from xietong.console.models import WebToken
from xietong.core import roster
from xietong.core.db import database
from xietong.core.errors import Forbidden
from xietong.core.models import AuditEvent, Member
from xietong.core.roles import Role
from xietong.core.work import Actor, work

WEB_URL = "http://192.168.1.10:8080"


async def issue(qq: int = CS) -> str:
    async with work(Actor(qq)) as w:
        return await signin.issue_link(w)


async def redeem(token: str) -> str:
    async with work() as w:
        return await signin.redeem(w, token)


async def who(session_token: str | None):
    async with database().read() as session:
        return await signin.visitor(session, session_token)


async def refusal(token: str) -> str:
    with pytest.raises(signin.SignInRefused) as refused:
        await redeem(token)
    return refused.value.message


async def test_a_link_signs_in_once_and_only_its_hash_is_stored():
    await staff()
    token = await issue(CS)
    session_token = await redeem(token)
    visitor = await who(session_token)
    assert visitor is not None and visitor.qq == CS and visitor.roles == {Role.cs} and visitor.name == "王客服"
    assert await refusal(token) == words.LINK_USED
    async with database().read() as session:
        stored = (await session.scalars(select(WebToken.digest))).all()
        actions = (await session.scalars(select(AuditEvent.action).where(AuditEvent.subject == f"qq:{CS}"))).all()
    assert token not in stored and session_token not in stored
    assert signin.digest(token) in stored and signin.digest(session_token) in stored
    assert "网页链接" in actions and "网页登录" in actions


async def test_a_link_expires_after_ten_minutes():
    await staff()
    fixed = fix_clock(2026, 11, 26, 10)
    late, in_time = await issue(CS), await issue(CS)
    fixed.at += timedelta(minutes=9, seconds=59)
    assert await who(await redeem(in_time)) is not None
    fixed.at += timedelta(seconds=1)
    assert await refusal(late) == words.LINK_EXPIRED


async def test_unknown_and_forged_links_are_refused():
    await staff()
    await issue(CS)
    assert await refusal("x" * 43) == words.LINK_UNKNOWN
    assert await refusal("") == words.LINK_UNKNOWN


async def test_no_post_no_link_and_a_removed_post_closes_the_session_at_once():
    await staff()
    async with work(Actor(SUPERUSER, superuser=True)) as w:
        w.session.add(Member(qq=30001, name="新人"))
    with pytest.raises(Forbidden):
        await issue(30001)
    link_before, session_token = await issue(WORKSHOP), await redeem(await issue(WORKSHOP))
    assert await who(session_token) is not None
    async with work(Actor(SUPERUSER, superuser=True)) as w:
        await roster.revoke(w, [WORKSHOP], [])
    assert await who(session_token) is None  # the next request is refused
    assert await refusal(link_before) == words.NO_POST_WEB


async def test_a_session_lasts_twelve_hours():
    await staff()
    fixed = fix_clock(2026, 11, 26, 8)
    session_token = await redeem(await issue(DIRECTOR))
    fixed.at += timedelta(hours=11, minutes=59)
    assert await who(session_token) is not None
    fixed.at += timedelta(minutes=1)
    assert await who(session_token) is None
    assert await who("forged") is None and await who(None) is None


async def test_sign_out_ends_every_session_and_unused_link_of_that_person_only():
    await staff()
    mine = [await redeem(await issue(CS)), await redeem(await issue(CS))]
    pending = await issue(CS)
    theirs = await redeem(await issue(DIRECTOR))
    async with work(Actor(CS)) as w:
        assert await signin.sign_out(w) == 2
    assert [await who(t) for t in mine] == [None, None]
    assert await refusal(pending) == words.LINK_ENDED
    assert await who(theirs) is not None


# ---- /网页 in chat -------------------------------------------------------------------------------------------


@pytest.fixture
def web_url():
    from plugins.console import matchers

    before = matchers.settings.xietong_web_url
    matchers.settings.xietong_web_url = WEB_URL
    yield WEB_URL
    matchers.settings.xietong_web_url = before


async def test_web_sends_a_link_in_private_that_signs_in(app: App, web_url: str):
    await staff()
    text = await answer(app, private_msg("/网页", CS))
    assert text.startswith("网页控制台登录链接") and f"{web_url}/console/signin/" in text
    token = text.rsplit("/", 1)[-1]
    assert await who(await redeem(token)) is not None


async def test_web_refuses_in_a_group_and_without_a_post(app: App, web_url: str):
    await staff()
    assert await answer(app, group_msg("/网页", CS)) == words.PRIVATE_ONLY
    await give_roles(30002, Role.cs)
    async with work(Actor(SUPERUSER, superuser=True)) as w:
        await roster.revoke(w, [30002], [])  # still on the roster (a Member), no post left
    assert await answer(app, private_msg("/网页", 30002)) == NO_POST  # stopped before the command (core access)
    async with database().read() as session:
        assert not (await session.scalars(select(WebToken))).all()


async def test_web_without_the_setting_names_it_only_to_a_superuser(app: App):
    await staff()
    assert await answer(app, private_msg("/网页", CS)) == words.NOT_SET_UP
    assert "XIETONG_WEB_URL" not in words.NOT_SET_UP
    assert "XIETONG_WEB_URL" in await answer(app, private_msg("/网页", SUPERUSER))


async def test_web_sign_out_in_chat(app: App, web_url: str):
    await staff()
    session_token = await redeem(await issue(CS))
    assert await answer(app, private_msg("/网页 退出", CS)) == words.signed_out(1)
    assert await who(session_token) is None
    assert await answer(app, private_msg("/网页 退出", CS)) == words.signed_out(0)


@pytest.mark.parametrize("typed", ["192.168.1.10:8080", "ftp://host", "http://host/console?x=1", "http:// host"])
def test_a_bad_web_url_is_refused_at_start_up(typed: str):
    from pydantic import ValidationError

    from xietong.core.settings import Settings

    with pytest.raises(ValidationError):
        Settings(xietong_web_url=typed)
    assert Settings(xietong_web_url="http://192.168.1.10:8080/").xietong_web_url == "http://192.168.1.10:8080"
