"""Scheduled work: the weekly meeting brief, the collection digest, the monthly report's timer and
escalations, each announcement exactly once per period with catch-up after downtime; /周报 and /提醒."""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("plugins.core")
require("plugins.orders")
require("plugins.reports")
require("nonebot_plugin_apscheduler")

from xietong.scheduling import messages  # noqa: E402

__plugin_meta__ = PluginMetadata(
    name=messages.PLUGIN_NAME,
    description=messages.PLUGIN_DESCRIPTION,
    usage="\n".join(doc.usage for doc in messages.COMMANDS),
    type="application",
    extra={"commands": messages.COMMANDS},
)

from . import holidays, jobs, matchers  # noqa: E402,F401
