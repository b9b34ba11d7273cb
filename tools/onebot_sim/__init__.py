"""A OneBot v11 implementation, simulated: wire tests, the benchmark and the demo drive the real bot with it.

:class:`BotProcess` runs ``python bot.py`` on a free loopback port with its own data directory;
:class:`OneBotClient` connects to it by reverse WebSocket as NapCat, Lagrange.OneBot or go-cqhttp
would, sends real event frames (array or CQ-string messages), answers the bot's API calls
(recording every message the bot sends), and can refuse or ignore chosen calls on purpose.

Typical use::

    async with BotProcess(token="s3cret", groups=[9001], superusers=["10001"]) as bot:
        async with bot.client(self_id=80000001) as qq:
            mid = await qq.send_group_message(9001, 10001, "/设岗 [CQ:at,qq=20002] 客服", fmt="string")
            sent = await qq.wait_for_sent("已设岗")
            assert sent.reply_to == mid
"""

from . import databases
from .client import OneBotClient, first_message_id
from .defaults import GROUP, QUIET_SCHEDULES, REPO_ROOT, SELF_ID, SUPERUSER, TOKEN, WS_PATH
from .process import BotExited, BotProcess, free_port
from .records import ApiCall, ApiError, Fault, HandshakeRefused, Member, Quirks, SentMessage, StoredMessage
from .segments import (
    MessageFormat,
    MessageInput,
    Segment,
    at_segment,
    cq_escape,
    cq_unescape,
    mentions_of,
    parse_cq,
    plain_text,
    reply_segment,
    segments_of,
    text_segment,
    to_cq,
)

__all__ = [
    "GROUP", "QUIET_SCHEDULES", "REPO_ROOT", "SELF_ID", "SUPERUSER", "TOKEN", "WS_PATH",
    "ApiCall", "ApiError", "BotExited", "BotProcess", "Fault", "HandshakeRefused", "Member", "MessageFormat",
    "MessageInput", "OneBotClient", "Quirks", "Segment", "SentMessage", "StoredMessage",
    "at_segment", "cq_escape", "cq_unescape", "databases", "first_message_id", "free_port", "mentions_of",
    "parse_cq", "plain_text", "reply_segment", "segments_of", "text_segment", "to_cq",
]
