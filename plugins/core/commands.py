"""Commands are declared once, as data: the matcher, the refusal and /帮助 all read the same record.

A handler registered with :func:`command` returns the text to answer (read-only queries) or
``None`` (state changes answer through the outbox); a :class:`DomainError` it raises is
answered as a short reply, and anything else reaches the error postprocessor.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps

from nonebot import get_loaded_plugins, on_command
from nonebot.matcher import Matcher, current_matcher

from xietong.core.errors import DomainError
from xietong.core.roles import Role


@dataclass(frozen=True)
class CommandDoc:
    name: str
    usage: str
    brief: str
    roles: tuple[Role, ...] = ()  # empty: every roster member
    aliases: tuple[str, ...] = ()
    superuser_only: bool = False

    def allowed(self, held: set[Role], superuser: bool) -> bool:
        if self.superuser_only:
            return superuser
        return superuser or not self.roles or bool(held & set(self.roles))


Handler = Callable[..., Awaitable[str | None]]


def answering(fn: Handler) -> Handler:
    """Turn a handler's returned text and its domain errors into replies."""

    @wraps(fn)
    async def handler(**kwargs):
        matcher = current_matcher.get()
        try:
            text = await fn(**kwargs)
        except DomainError as exc:
            await matcher.finish(exc.message)
        if text:
            await matcher.finish(text)

    # NoneBot resolves string annotations in the wrapper's module: hand it the resolved ones.
    handler.__signature__ = inspect.signature(fn, eval_str=True)  # type: ignore[attr-defined]
    return handler


def command(doc: CommandDoc, *, priority: int = 10) -> Callable[[Handler], type[Matcher]]:
    """Register ``fn`` as the handler of the documented command."""

    def register(fn: Handler) -> type[Matcher]:
        # _depth=1: the matcher belongs to the plugin that declared the command, not to core
        matcher = on_command(doc.name, aliases=set(doc.aliases), priority=priority, block=True, _depth=1)
        matcher.handle()(answering(fn))
        return matcher

    return register


def all_docs() -> list[CommandDoc]:
    """Every command of every loaded plugin, from its metadata ``extra["commands"]``."""
    docs: list[CommandDoc] = []
    for plugin in sorted(get_loaded_plugins(), key=lambda p: p.module_name):
        meta = plugin.metadata
        if meta and meta.extra:
            docs.extend(meta.extra.get("commands", ()))
    return docs
