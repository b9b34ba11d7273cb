"""Reports: the monthly sales report (月销量报表) on /月报 and on XIETONG_REPORT_CRON.

The scheduler posts it with::

    from plugins.reports import post_monthly_report

    await post_monthly_report(dedupe_key=f"report:{month}")   # this month, main group, any connected bot

``post_monthly_report(month=None, group_id=None, bot=None, *, dedupe_key=None)``: ``month`` is ``"2026-11"``
(default: the current local month — the cron fires on the 28th), ``group_id`` defaults to the first of
``XIETONG_GROUPS`` and ``bot`` to the connected one. It saves ``<XIETONG_DATA_DIR>/reports/月销量报表-YYYY-MM.xlsx``,
uploads it with ``upload_group_file`` and queues the summary (@副总 @总经理) through the outbox, ``dedupe_key``
included, so a period claimed once is never posted twice. With no bot connected the upload fails and the
summary, delivered once QQ is back, says where the file was saved.
"""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("plugins.core")

from . import messages  # noqa: E402

__plugin_meta__ = PluginMetadata(
    name="协同·报表",
    description="月销量报表：汇总发群并上传 Excel",
    usage="\n".join(doc.usage for doc in messages.COMMANDS),
    type="application",
    extra={"commands": messages.COMMANDS},
)

from . import matchers  # noqa: E402
from .matchers import post_monthly_report  # noqa: E402

__all__ = ["matchers", "post_monthly_report"]
