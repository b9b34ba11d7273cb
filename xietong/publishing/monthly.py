"""Posting the monthly report: figures → workbook → group file → a summary @-mentioning vp and gm.

:func:`post_monthly_report` is the one entry point, for ``/月报`` and for the scheduler (``XIETONG_REPORT_CRON``).
It knows no chat: the caller hands it an ``upload`` coroutine that puts the file into the group (the plugin
wraps ``bot.upload_group_file``). The upload comes first, so the summary can say where the file is when QQ
refused it; the summary then goes through the outbox like every notification, with the audit event in the
same transaction (and the scheduler's ``dedupe_key``, if it passes one, so a period is posted once).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import clock, files, roster
from xietong.core.db import database
from xietong.core.numbers import format_fen
from xietong.core.outbox import Target
from xietong.core.roles import Role
from xietong.core.work import Actor, Work, work
from xietong.customers.summary import RECIPIENTS as SUMMARY_RECIPIENTS
from xietong.customers.summary import archive_summary
from xietong.reports import groups, workbook
from xietong.reports import messages as msg
from xietong.reports.monthly import Month, MonthlyReport, monthly_report
from xietong.targets.service import progress

log = logging.getLogger("xietong.reports")

REPORT_ROLES = (Role.vp, Role.gm, Role.director, Role.cs)
TELL = (Role.vp, Role.gm)
REPORTS_DIR = "reports"  # under the data folder

Upload = Callable[[int, Path, str], Awaitable[object]]
"""``upload(group_id, absolute_path, file_name)``: raises when the file did not reach the group."""


async def full_report(session: AsyncSession, month: Month) -> MonthlyReport:
    """The month against the one before, with regions, salespeople, targets, freight and the 12-month trend."""
    report = await monthly_report(session, month)
    report.progress = await progress(session, month, clock.today())
    report.freight_fen = await groups.freight_total(session, month)
    report.trend = await groups.trend(session, month)
    return report


async def _send_archive_summary(w: Work, month: Month, dormant_days: int, dedupe_key: str | None) -> None:
    text = await archive_summary(w.session, month.key, *month.bounds(), clock.today(), dormant_days)
    recipients = await roster.holders(w.session, *SUMMARY_RECIPIENTS)
    for qq in recipients:
        key = f"{dedupe_key}#archive:{qq}" if dedupe_key else None
        w.notify(Target.private(qq), text, dedupe_key=key)
    if recipients:
        w.audit("档案月报", f"report:{month.key}", f"私聊发给 {len(recipients)} 人")


@dataclass(frozen=True)
class Posted:
    report: MonthlyReport
    path: Path
    uploaded: bool
    text: str


async def post_monthly_report(
    month: Month,
    group_id: int,
    upload: Upload,
    *,
    data_dir: Path,
    actor: Actor | None = None,
    dedupe_key: str | None = None,
    archive_dormant_days: int | None = None,
) -> Posted:
    """Compute ``month`` against the one before, save the workbook under ``reports_dir``, upload it to
    ``group_id`` and queue the summary there (@vp, @gm). ``actor`` None: the scheduler.

    ``archive_dormant_days`` (the scheduled report): the archive's monthly summary also goes to the director,
    VP and GM, each in private chat, in the same transaction (so it is sent once with the report)."""
    async with database().read() as session:
        await roster.require(session, actor, *REPORT_ROLES)
        report = await full_report(session, month)
    path = await asyncio.to_thread(workbook.save, report, Path(data_dir) / REPORTS_DIR)
    saved_as = files.shown(path, data_dir)
    try:
        await upload(group_id, path, path.name)
        uploaded = True
    except Exception as exc:  # QQ refused, timed out, no bot: whatever it was, the summary says where the file is
        log.warning("monthly report %s: upload to group %s failed: %r", month.key, group_id, exc)
        uploaded = False
    async with work(actor) as w:
        tell = await roster.holders(w.session, *TELL)
        text = msg.summary(report, saved_as, uploaded, nobody_to_tell=not tell)
        w.notify(Target.group(group_id), text, mentions=tell, dedupe_key=dedupe_key)
        now = report.current
        w.audit(
            "月报", f"report:{month.key}",
            f"{now.orders} 单 {format_fen(now.amount_fen)} 元，回款 {format_fen(now.collected_fen)} 元；"
            + (f"已上传 {path.name}" if uploaded else f"上传失败，文件在 {saved_as}"),
        )
        if archive_dormant_days is not None:
            await _send_archive_summary(w, month, archive_dormant_days, dedupe_key)
        origin = actor.origin if actor else None
        if origin is not None and origin != Target.group(group_id):
            w.reply(msg.posted_elsewhere(month.key))
    return Posted(report, path, uploaded, text)
