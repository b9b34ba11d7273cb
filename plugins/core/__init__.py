"""The core library plugin: settings, database, roster, permissions, scope, dedupe, outbox delivery."""

import gc
import logging
import sys
from pathlib import Path
from typing import NoReturn

from nonebot import get_driver, get_plugin_config, logger
from nonebot import log as nonebot_log
from nonebot.adapters import Event
from nonebot.adapters.onebot.v11 import Bot, GroupMessageEvent, HeartbeatMetaEvent, MessageEvent
from nonebot.adapters.onebot.v11.config import Config as OneBotConfig
from nonebot.exception import ActionFailed, IgnoredException, MockApiException, NetworkError
from nonebot.log import LoguruHandler, default_filter, default_format
from nonebot.matcher import Matcher
from nonebot.message import event_preprocessor
from nonebot.plugin import PluginMetadata
from pydantic import ValidationError
from sqlalchemy.engine import make_url

from xietong.core import db, dedupe, messages, migrate, preflight, redact, roster, storage
from xietong.core.logs import level_number, log_to_files, quiet_filter
from xietong.core.presence import presence
from xietong.core.redact import masked_writer
from xietong.core.settings import Settings, exposure_problem
from xietong.core.work import on_outbox_commit

from .chat import clean_event
from .commands import hand_over, is_routed, on_failure, routed
from .delivery import connected_again, start_delivery, stop_delivery, wake
from .quote import recover_reply
from .superusers import is_superuser, superusers
from .transport import refuse_onebot_http

__plugin_meta__ = PluginMetadata(
    name=messages.PLUGIN_NAME,
    description=messages.PLUGIN_DESCRIPTION,
    usage=messages.PLUGIN_USAGE,
    type="library",
    config=Settings,
    extra={"commands": messages.COMMANDS},
)

_driver = get_driver()


def _refuse_to_start(problem: str) -> NoReturn:
    """NoneBot logs and skips a plugin that raises an Exception; SystemExit stops the whole bot, as a
    bad setting or an exposed port must."""
    logger.critical(problem)
    raise SystemExit(messages.cannot_start(problem))


try:
    settings = get_plugin_config(Settings)
except ValidationError as exc:
    _refuse_to_start(messages.bad_settings(
        (".".join(map(str, e["loc"])).upper(), e["msg"]) for e in exc.errors()))

# What the adapter itself will use: the environment (docker, systemd) as well as .env.
_onebot = get_plugin_config(OneBotConfig)
if problem := exposure_problem(str(_driver.config.host), _onebot.onebot_access_token):
    _refuse_to_start(problem)
redact.remember(_onebot.onebot_access_token, _onebot.onebot_secret, make_url(settings.xietong_database_url).password)

for reminder in preflight.reminders(settings, _driver.config.superusers):
    logger.warning(reminder)

refuse_onebot_http()

# The domain logs through the standard library; show those lines in NoneBot's log too.
logging.getLogger("xietong").addHandler(LoguruHandler())
logging.getLogger("xietong").setLevel(logging.INFO)
# One line a command at INFO (the event), and DEBUG calls skipped before loguru builds a record: NoneBot's
# console handler took every level and filtered each record late, several a message (BENCHMARKS.md).
_log_level = level_number(logger, _driver.config.log_level)
_quiet = quiet_filter(logger, _log_level, default_filter)
logger.remove(nonebot_log.logger_id)  # bot.py's masked console sink (or NoneBot's own, in the tests)
nonebot_log.logger_id = logger.add(masked_writer(sys.stdout), level=_log_level, diagnose=False, filter=_quiet,
                                   format=default_format, colorize=sys.stdout.isatty())
log_to_files(logger, Path(settings.xietong_data_dir) / "logs", settings.xietong_log_keep_days,
             filter=_quiet, level=_log_level)


@_driver.on_startup
async def _open_database() -> None:
    database = db.configure(settings.xietong_database_url)
    await migrate.upgrade(database.engine)
    logger.info(messages.database_ready(database.url.render_as_string(hide_password=True)))
    if settings.xietong_delivery:
        start_delivery(database, settings)
    # What start-up made (modules, plugins, models) lives as long as the process: keep it out of the
    # garbage collector's full passes, which walked all of it every few seconds under load and stalled
    # every chat for ~100 ms (BENCHMARKS.md).
    gc.collect()
    gc.freeze()


@_driver.on_shutdown
async def _close_database() -> None:
    await stop_delivery()
    await dedupe.Marks.of(db.database()).settle()  # handled-marks still being written
    await db.database().dispose()


@_driver.on_bot_connect
async def _record_connection(bot: Bot) -> None:
    try:
        await presence.connected(int(bot.self_id))
    except Exception:  # a record for /状态 and manage.py check; never in the way of QQ connecting
        logger.opt(exception=True).warning("could not record the QQ connection")


on_outbox_commit(wake)
_driver.on_bot_connect(connected_again)  # what waited for QQ goes out as soon as QQ is back


@event_preprocessor
async def _arrived(bot: Bot, event: Event) -> None:
    """Every event passes here, one preprocessor rather than one a kind (NoneBot solves each one's
    parameters in tasks of its own for every event, and skips the mistyped with an exception group)."""
    if isinstance(event, MessageEvent):
        await _scope_and_dedupe(bot, event)
    elif isinstance(event, HeartbeatMetaEvent):
        await _heard_from_qq(bot)


async def _heard_from_qq(bot: Bot) -> None:
    try:
        await presence.heard(int(bot.self_id))
    except Exception:
        logger.opt(exception=True).warning("could not record a QQ heartbeat")


async def _scope_and_dedupe(bot: Bot, event: MessageEvent) -> None:
    """Only our groups, and private chats from the roster; each message handled once, its text cleaned."""
    if isinstance(event, GroupMessageEvent):
        if event.group_id not in settings.xietong_groups:
            raise IgnoredException("group not in XIETONG_GROUPS")
    elif not is_superuser(event):
        async with db.database().read() as session:
            if not await roster.is_member(session, event.user_id):
                raise IgnoredException("private chat from outside the roster")
    clean_event(event)
    await recover_reply(event)
    # Handlers mark it (plugins/core/commands.py); a command's router checks it in the command's own read
    # transaction, so only what no router takes is checked here (after cleaning, as NoneBot will parse it).
    if not is_routed(bot, event) and await dedupe.seen(dedupe.key_of(bot.self_id, event)):
        raise IgnoredException("message already handled")


SENDING = frozenset({"send_msg", "send_group_msg", "send_private_msg", "upload_group_file", "upload_private_file"})


@Bot.on_calling_api
async def _answer_once(bot: Bot, api: str, data: dict) -> None:
    """An answer that changed nothing is marked handled just before it goes out: a second delivery of the
    message (or a second process) stays quiet."""
    if api in SENDING and not await dedupe.claim():
        raise MockApiException(result={"message_id": None})


@on_failure
async def _apologise(bot: Bot, event: MessageEvent, matcher: Matcher, exception: Exception | None) -> None:
    """A traceback never reaches the chat: log it, answer with one short apology."""
    if exception is None or isinstance(exception, dedupe.AlreadyHandled) or not isinstance(event, MessageEvent):
        return
    if storage.unwritable(exception):
        logger.error(f"database refused a write for {event.get_session_id()}: {exception!r}")
        await bot.send(event, messages.STORAGE_TROUBLE)
        if storage.health.failed():  # the administrators hear it once, not once per command
            for qq in superusers():
                await bot.send_private_msg(user_id=qq, message=messages.STORAGE_TROUBLE_ADMIN)
        return
    logger.opt(exception=exception).error(f"command {routed(matcher).plugin_name} failed for {event.get_session_id()}")
    try:
        await bot.send(event, messages.APOLOGY)
    except (ActionFailed, NetworkError) as refused:
        await hand_over(event, messages.APOLOGY, refused)


from . import (  # noqa: E402,F401  (registers the matchers and jobs)
    access,
    backups,
    housekeeping,
    operations,
    quiet_log,
    roster_commands,
    unknown,
)
