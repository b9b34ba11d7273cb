"""Confidential commands are logged without their contents.

NoneBot logs every incoming message at INFO, text included; a private ``/客户 新增 … 电话 … 信用额度``
would put the archive in the log. Private messages are parsed into :class:`PrivateMessageEvent` below,
which logs a command declared ``confidential`` by its name only.
"""

from __future__ import annotations

from functools import cache

from nonebot import get_driver
from nonebot.adapters.onebot.v11 import Adapter, PrivateMessageEvent
from typing_extensions import override

from .commands import all_docs


@cache
def _confidential_names() -> frozenset[str]:
    """Asked at the first private message, when every plugin is loaded."""
    return frozenset(name.lower() for doc in all_docs() if doc.confidential for name in (doc.name, *doc.aliases))


def confidential_command(text: str) -> str | None:
    """The confidential command ``text`` starts with, if any."""
    text = text.lstrip()
    for start in sorted(get_driver().config.command_start, key=len, reverse=True):
        if start and text.startswith(start):
            words = text[len(start):].split(maxsplit=1)
            if words and words[0].lower() in _confidential_names():
                return words[0]
    return None


class QuietPrivateMessageEvent(PrivateMessageEvent):
    @override
    def get_event_description(self) -> str:
        if name := confidential_command(self.original_message.extract_plain_text()):
            return f"Message {self.message_id} from {self.user_id} /{name} (contents not logged)"
        return super().get_event_description()


Adapter.add_custom_model(QuietPrivateMessageEvent)
