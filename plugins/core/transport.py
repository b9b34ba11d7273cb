"""OneBot events reach Xietong over the reverse WebSocket only (SPEC §9 Access).

The OneBot v11 adapter also serves HTTP POST event routes (``/onebot/v11/``, ``/onebot/v11/http[/]``)
that check nothing but ``ONEBOT_SECRET``: anyone reaching the port could post a forged event from any
user, or register a bot under QQ's id and lock the real connection out. So every plain HTTP request
under ``/onebot`` is refused before routing, whatever routes an adapter registers there; WebSocket
handshakes go on to the adapter's access-token check. Other routes of the app (the web console) keep
their own sign-in.
"""

from __future__ import annotations

from nonebot import get_driver
from nonebot.drivers import ASGIMixin
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

ONEBOT_PREFIX = "/onebot"
REFUSAL = "OneBot events are accepted over the reverse WebSocket only.\n"


def delivers_onebot_events(path: str) -> bool:
    """``/onebot…`` however it is spelled (case, doubled slashes); the router would not be kinder."""
    normal = "/" + path.lstrip("/").lower()
    return normal == ONEBOT_PREFIX or normal.startswith(ONEBOT_PREFIX + "/")


class RefuseOneBotHttp:
    """ASGI middleware: HTTP requests for OneBot routes get 403 and never reach the adapter."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and delivers_onebot_events(scope.get("path", "")):
            await PlainTextResponse(REFUSAL, status_code=403)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def refuse_onebot_http() -> None:
    driver = get_driver()
    if isinstance(driver, ASGIMixin):
        driver.server_app.add_middleware(RefuseOneBotHttp)
