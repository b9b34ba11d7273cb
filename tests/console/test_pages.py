"""The console over HTTP (in process): the sign-in exchange, the cookie, the headers, each page's roles,
the audited archive, and figures equal to the chat's."""

from __future__ import annotations

import re

import httpx
import nonebot
from nonebug import App
from sqlalchemy import select

from tests.factories import CS, DIRECTOR, FINANCE, WORKSHOP, group_msg, staff
from tests.finance.support import answer, build_book, fix_clock
from xietong.console import messages as words
from xietong.console import signin
from xietong.core.db import database
from xietong.core.models import AuditEvent
from xietong.core.work import Actor, work


def browser() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=nonebot.get_app())
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def link_for(qq: int) -> str:
    async with work(Actor(qq)) as w:
        return await signin.issue_link(w)


async def signed_in(qq: int) -> httpx.AsyncClient:
    client = browser()
    token = await link_for(qq)
    landing = await client.get(f"/console/signin/{token}")
    assert landing.status_code == 200 and 'name="token"' in landing.text
    entered = await client.post("/console/signin", data={"token": token}, headers={"Origin": "http://testserver"})
    assert entered.status_code == 303 and entered.headers["location"] == "/console/"
    return client


async def test_signing_in_sets_a_strict_http_only_cookie_and_pages_carry_a_strict_csp(app: App):
    await staff()
    client = browser()
    token = await link_for(CS)
    entered = await client.post("/console/signin", data={"token": token}, headers={"Origin": "http://testserver"})
    cookie = entered.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
    assert "Max-Age=43200" in cookie and "Secure" not in cookie  # http:// here; https:// adds Secure
    page = await client.get("/console/")
    assert page.status_code == 200 and "看板" in page.text
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "<script" not in page.text
    assert page.headers["cache-control"] == "no-store"
    again = await browser().get(f"/console/signin/{token}")
    assert again.status_code == 403 and words.LINK_USED in again.text


async def test_a_cross_site_post_and_no_cookie_are_refused(app: App):
    await staff()
    token = await link_for(CS)
    client = browser()
    forged = await client.post("/console/signin", data={"token": token}, headers={"Origin": "http://evil.example"})
    assert forged.status_code == 403 and "set-cookie" not in forged.headers
    assert (await browser().get("/console/")).status_code == 401
    forged_cookie = browser()
    forged_cookie.cookies.set("xietong_console", "forged", path="/console")
    assert (await forged_cookie.get("/console/receivables")).status_code == 401


async def test_each_page_follows_the_roles_of_its_command(app: App):
    await staff()
    workshop = await signed_in(WORKSHOP)
    for path in ("/console/receivables", "/console/monthly", "/console/customers", "/console/monthly/2026-11.xlsx"):
        assert (await workshop.get(path)).status_code == 403, path
    for path in ("/console/", "/console/todo"):
        assert (await workshop.get(path)).status_code == 200, path
    finance = await signed_in(FINANCE)
    assert (await finance.get("/console/receivables")).status_code == 200
    assert (await finance.get("/console/customers")).status_code == 403
    director = await signed_in(DIRECTOR)
    for path in ("/console/receivables", "/console/monthly", "/console/customers", "/console/todo"):
        assert (await director.get(path)).status_code == 200, path
    assert (await director.get("/console/order/not-a-number")).status_code == 404
    assert (await director.get("/console/order/D261126-999")).status_code == 404
    assert (await director.get("/console/monthly?month=garbage")).status_code == 400


async def test_every_view_of_the_archive_is_audited(app: App):
    await staff()
    fix_clock(2026, 11, 26)
    await build_book()
    director = await signed_in(DIRECTOR)
    listing = await director.get("/console/customers")
    card = await director.get("/console/customers", params={"name": "江宁五金"})
    assert "金陵建材" in listing.text and "江宁五金" in card.text
    async with database().read() as session:
        views = (await session.execute(
            select(AuditEvent.actor_qq, AuditEvent.subject).where(AuditEvent.action == "查看客户")
        )).all()
    assert (DIRECTOR, "customer:list") in views and len(views) == 2


def figure(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">([^<]+)<', html)
    assert found, element_id
    return found.group(1)


async def test_receivables_and_board_agree_with_the_chat(app: App):
    await staff()
    fix_clock(2026, 11, 26)
    await build_book()
    chat = await answer(app, group_msg("/应收", FINANCE))
    page = (await (await signed_in(FINANCE)).get("/console/receivables")).text
    assert f"合计 {figure(page, 'total')} 元，{figure(page, 'orders')} 单，{figure(page, 'customers')} 家客户" in chat
    assert f"逾期合计 {figure(page, 'overdue')} 元" in chat
    assert f"平均收款天数（近 90 天）：{figure(page, 'dso')} 天" in chat
    for bucket, amount in re.findall(r'data-bucket="([^"]+)">([^<]+)<', page):
        assert f"{bucket}{'' if bucket == '未到期' else ' 天'} {amount}" in chat
    board_chat = await answer(app, group_msg("/看板", CS))
    board_page = (await (await signed_in(CS)).get("/console/")).text
    assert f"未完结 {figure(board_page, 'open-total')} 单" in board_chat
    for stage, count in re.findall(r'data-stage="([^"]+)"><a [^>]+>[^<]+<b>(\d+)</b>', board_page):
        assert f"【{stage}】{count} 单" in board_chat
    assert "逾期" in board_page
    filtered = (await (await signed_in(CS)).get("/console/", params={"customer": "江宁", "payment": "月结"})).text
    assert "江宁五金" in filtered and "金陵建材" not in filtered.split("</form>", 1)[1]


async def test_the_cookie_is_secure_when_the_console_is_served_over_https(app: App, monkeypatch):
    from plugins.console import web

    monkeypatch.setattr(web.settings, "xietong_web_url", "https://console.example.lan")
    await staff()
    token = await link_for(CS)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=nonebot.get_app()), base_url="https://console.example.lan")
    entered = await client.post("/console/signin", data={"token": token},
                                headers={"Origin": "https://console.example.lan"})
    assert entered.status_code == 303 and "Secure" in entered.headers["set-cookie"]


async def test_payments_on_the_order_page_only_for_the_roles_of_the_ledger(app: App):
    await staff()
    fix_clock(2026, 11, 26)
    book = await build_book()
    number = book["B"]
    workshop = (await (await signed_in(WORKSHOP)).get(f"/console/order/{number}")).text
    finance = (await (await signed_in(FINANCE)).get(f"/console/order/{number}")).text
    assert number in workshop and 'id="payments"' not in workshop
    assert 'id="payments"' in finance and "未收 15,000 元" in finance


async def test_the_sign_out_button_ends_this_browser_only(app: App):
    await staff()
    here, there = await signed_in(CS), await signed_in(CS)
    session_cookie = here.cookies.get("xietong_console")
    forged = await here.post("/console/signout", headers={"Origin": "http://evil.example"})
    assert forged.status_code == 403 and (await here.get("/console/")).status_code == 200
    left = await here.post("/console/signout", headers={"Origin": "http://testserver"})
    assert left.status_code == 200 and "已退出" in left.text
    replayed = browser()  # the old cookie, kept by someone: the session is over on the server too
    replayed.cookies.set("xietong_console", session_cookie, path="/console")
    assert (await replayed.get("/console/")).status_code == 401
    assert (await there.get("/console/")).status_code == 200


async def test_hostile_sign_in_input_is_refused(app: App):
    await staff()
    client = browser()
    huge = await client.post("/console/signin", content=b"token=" + b"x" * 5000,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert huge.status_code == 413 and "set-cookie" not in huge.headers
    assert (await client.get("/console/signin/" + "x" * 5000)).status_code == 403
    assert (await client.post("/console/signin", data={"token": "<script>"})).status_code == 403
