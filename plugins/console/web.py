"""The console's routes on the bot's own FastAPI app, under /console.

Every page is a GET that reads; the only POST redeems a sign-in link. The person behind the cookie and the
posts they hold are read from the database at every request, so removing a post closes the pages at once.
Responses carry a strict Content-Security-Policy (own stylesheet only, no script at all) and are never cached.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from nonebot import get_app, get_driver, get_plugin_config, logger

from plugins.core.superusers import superusers
from xietong.console import messages as words
from xietong.console import pages, signin
from xietong.console.signin import SignInRefused, Visitor
from xietong.core import clock
from xietong.core.clock import fmt_local
from xietong.core.db import database
from xietong.core.errors import DomainError, NotFound
from xietong.core.numbers import change, format_fen
from xietong.core.refs import parse_number
from xietong.core.roles import labels
from xietong.core.settings import Settings
from xietong.core.work import work
from xietong.customers import service as archive
from xietong.finance.messages import kind_word
from xietong.orders.enums import PaymentMethod, Stage
from xietong.orders.messages import STAGE_ORDER
from xietong.reports import workbook
from xietong.reports.monthly import Month, monthly_report, parse_month

settings = get_plugin_config(Settings)
HERE = Path(__file__).resolve().parent
COOKIE = "xietong_console"
MAX_FORM_BYTES = 1024
MAX_TOKEN_CHARS = 100  # ours are 43
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # "no-referrer" would send our own form posts with Origin: null
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
NAV = tuple((page, path, words.NAV[page]) for page, path in (
    ("board", "/console/"), ("todo", "/console/todo"), ("receivables", "/console/receivables"),
    ("monthly", "/console/monthly"), ("customers", "/console/customers"),
))

templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
templates.filters["fen"] = format_fen
templates.filters["local"] = fmt_local
templates.filters["kind_word"] = kind_word  # ledger kinds are stored as codes
templates.filters["svg"] = Markup  # charts are built with every label escaped (xietong.console.svg)
templates.globals.update(change=change, STAGE_ORDER=STAGE_ORDER, PaymentMethod=PaymentMethod)


class NotSignedIn(Exception):
    pass


class Refused(Exception):
    def __init__(self, text: str, status: int = 403):
        self.text, self.status = text, status


def render(template: str, status: int = 200, visitor: Visitor | None = None, **context: object) -> HTMLResponse:
    nav = [(key, href, title) for key, href, title in NAV if visitor and visitor.may(pages.PAGE_ROLES[key])]
    html = templates.get_template(template).render(visitor=visitor, nav=nav, **context)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


async def visitor_of(request: Request, page: str) -> Visitor:
    """Who is asking, checked against the roster now; refused when the page's QQ command would refuse."""
    async with database().read() as session:
        visitor = await signin.visitor(session, request.cookies.get(COOKIE), frozenset(superusers()))
    if visitor is None:
        raise NotSignedIn
    roles = pages.PAGE_ROLES[page]
    if not visitor.may(roles):
        raise Refused(words.page_needs(labels(roles)))
    return visitor


router = APIRouter(prefix="/console")


@router.get("/static/console.css")
async def stylesheet() -> Response:
    return FileResponse(HERE / "static" / "console.css", media_type="text/css", headers=HEADERS)


@router.get("/signin/{token}")
async def signin_page(token: str) -> HTMLResponse:
    """The link from QQ only shows a button: link previews and prefetchers must not use up the link, and the
    POST from our own page makes the cookie (SameSite=Strict) count from the first page on."""
    token = token[:MAX_TOKEN_CHARS]
    async with database().read() as session:
        await signin.check_link(session, token)
    return render("signin.html", token=token)


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    allowed = {f"{request.url.scheme}://{request.url.netloc}"}
    if settings.xietong_web_url:
        parts = urlsplit(settings.xietong_web_url)
        allowed.add(f"{parts.scheme}://{parts.netloc}")
    return origin in allowed


@router.post("/signin")
async def signin_post(request: Request) -> Response:
    if not _same_origin(request):
        raise Refused(words.OPEN_FROM_QQ)
    body = b""
    async for chunk in request.stream():  # the form is one token: read no more than a small form can be
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise Refused(words.TOO_LARGE, 413)
    token = (parse_qs(body.decode("utf-8", "replace")).get("token") or [""])[0]
    async with work() as w:
        session_token = await signin.redeem(w, token)
    response = RedirectResponse("/console/", status_code=303, headers=HEADERS)
    response.set_cookie(
        COOKIE, session_token, max_age=int(signin.SESSION_VALID.total_seconds()), path="/console",
        httponly=True, samesite="strict", secure=settings.xietong_web_url.startswith("https://"),
    )
    return response


@router.post("/signout")
async def signout_post(request: Request) -> Response:
    if not _same_origin(request):
        raise Refused(words.SIGN_OUT_ON_PAGE)
    token = request.cookies.get(COOKIE)
    if token:
        async with work() as w:
            await signin.end_session(w, token)
    response = render("message.html", title=words.SIGNED_OUT_TITLE, text=words.SIGNED_OUT_PAGE)
    response.delete_cookie(COOKIE, path="/console", httponly=True, samesite="strict",
                           secure=settings.xietong_web_url.startswith("https://"))
    return response


def _choice(enum, value: str | None):
    return next((member for member in enum if member.value == value), None)


@router.get("/")
async def board_page(request: Request, customer: str = "", payment: str = "", stage: str = "") -> HTMLResponse:
    visitor = await visitor_of(request, "board")
    chosen_payment, chosen_stage = _choice(PaymentMethod, payment), _choice(Stage, stage)
    async with database().read() as session:
        board = await pages.board(session, customer=customer[:50], payment=chosen_payment, stage=chosen_stage)
    return render("board.html", visitor=visitor, board=board, customer=customer[:50], payment=chosen_payment,
                  stage=chosen_stage, Stage=Stage)


@router.get("/order/{typed}")
async def order_page(request: Request, typed: str) -> HTMLResponse:
    visitor = await visitor_of(request, "order")
    number = parse_number(typed)
    if number is None:
        raise Refused(words.BAD_NUMBER, 404)
    async with database().read() as session:
        page = await pages.order_page(session, number, ledger_visible=visitor.may(pages.PAGE_ROLES["receivables"]))
    return render("order.html", visitor=visitor, page=page)


@router.get("/receivables")
async def receivables_page(request: Request) -> HTMLResponse:
    visitor = await visitor_of(request, "receivables")
    today = clock.today()
    async with database().read() as session:
        page = await pages.receivables_page(session, today)
    return render("receivables.html", visitor=visitor, page=page, today=today)


@router.get("/monthly")
async def monthly_page(request: Request, month: str = "") -> HTMLResponse:
    visitor = await visitor_of(request, "monthly")
    today = clock.today()
    chosen = parse_month(month[:20], today)
    async with database().read() as session:
        page = await pages.monthly_page(session, chosen, today)
    return render("monthly.html", visitor=visitor, page=page, now=page.report.current, before=page.report.previous)


@router.get("/monthly/{key}.xlsx")
async def monthly_workbook(request: Request, key: str) -> Response:
    """The same workbook /月报 posts to the group, for the month asked."""
    await visitor_of(request, "monthly")
    month: Month = parse_month(key[:20], clock.today())
    async with database().read() as session:
        report = await monthly_report(session, month)
    folder = (Path(settings.xietong_data_dir) / "reports").resolve()
    path = await asyncio.to_thread(workbook.save, report, folder)
    return FileResponse(path, filename=path.name, headers=HEADERS,
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.get("/todo")
async def todo_page(request: Request) -> HTMLResponse:
    visitor = await visitor_of(request, "todo")
    async with database().read() as session:
        sections = await pages.todo_sections(session, visitor.qq, set(visitor.roles))
    return render("todo.html", visitor=visitor, sections=sections)


@router.get("/customers")
async def customers_page(request: Request, q: str = "", name: str = "") -> HTMLResponse:
    """The confidential archive (/客户): list or card, every view audited as in QQ."""
    visitor = await visitor_of(request, "customers")
    async with work(visitor.actor()) as w:
        if name.strip():
            text = await archive.card(w, name[:50], settings.xietong_credit_days)
        else:
            text = await archive.listing(w, q[:50])
    return render("customers.html", visitor=visitor, text=text, q=q[:50], name=name[:50])


def install(app: FastAPI) -> None:
    app.include_router(router)

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(_request: Request, _exc: NotSignedIn) -> HTMLResponse:
        return render("message.html", 401, title=words.SIGN_IN_TITLE, text=words.SIGN_IN_HOW)

    @app.exception_handler(Refused)
    async def _refused(_request: Request, exc: Refused) -> HTMLResponse:
        return render("message.html", exc.status, title=words.REFUSED_TITLE, text=exc.text)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> HTMLResponse:
        title, status = (words.SIGN_IN_REFUSED_TITLE, 403) if isinstance(exc, SignInRefused) else \
            (words.NOT_FOUND_TITLE, 404) if isinstance(exc, NotFound) else (words.CANNOT_SHOW_TITLE, 400)
        return render("message.html", status, title=title, text=exc.message)


def warn_if_unreachable(host: str) -> None:
    """A console address on the LAN while the bot listens on loopback only: the links would lead nowhere."""
    address = urlsplit(settings.xietong_web_url).hostname
    if address and address not in ("127.0.0.1", "localhost", "::1") and host in ("127.0.0.1", "localhost", "::1"):
        logger.warning(words.unreachable(settings.xietong_web_url, host))


install(get_app())
warn_if_unreachable(str(get_driver().config.host))
