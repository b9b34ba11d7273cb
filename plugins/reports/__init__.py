"""Reports: the monthly sales report (月销量报表) on /月报, and sales targets on /目标.

The scheduler posts the report on XIETONG_REPORT_CRON through the domain's ``xietong.publishing.monthly``
(plugins/scheduler/jobs.py), not through this plugin: plugins never import each other's matchers.
"""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("plugins.core")

from xietong.publishing.messages import MONTHLY, PLUGIN_DESCRIPTION, PLUGIN_NAME  # noqa: E402
from xietong.targets.messages import TARGET  # noqa: E402

COMMANDS = (MONTHLY, TARGET)

__plugin_meta__ = PluginMetadata(
    name=PLUGIN_NAME,
    description=PLUGIN_DESCRIPTION,
    usage="\n".join(doc.usage for doc in COMMANDS),
    type="application",
    extra={"commands": COMMANDS},
)

from . import matchers  # noqa: E402

__all__ = ["matchers"]
