"""The read-only web console: /网页 in private chat sends a one-time link; pages under /console on the bot's port."""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("plugins.core")

from xietong.console import messages  # noqa: E402

__plugin_meta__ = PluginMetadata(
    name="协同·网页控制台",
    description="只读网页：看板、订单、应收、月报、待办、客户档案；QQ 私聊 /网页 登录",
    usage="\n".join(doc.usage for doc in messages.COMMANDS),
    type="application",
    extra={"commands": messages.COMMANDS},
)

from . import matchers, web  # noqa: E402,F401
