"""The read-only web console: /网页 in private chat sends a one-time link; pages under /console on the bot's port."""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("plugins.core")

from xietong.console import messages  # noqa: E402

__plugin_meta__ = PluginMetadata(
    name=messages.PLUGIN_NAME,
    description=messages.PLUGIN_DESCRIPTION,
    usage="\n".join(doc.usage for doc in messages.COMMANDS),
    type="application",
    extra={"commands": messages.COMMANDS},
)

from . import matchers, web  # noqa: E402,F401
