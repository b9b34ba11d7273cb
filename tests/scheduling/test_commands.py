"""/周报 and /提醒 through NoneBot, and the plugin's timers: jobs installed, start-up catch-up, the report."""

from datetime import timedelta

from nonebug import App

from tests.core.test_access import NO_POST
from tests.factories import (
    CS,
    DIRECTOR,
    SUPERUSER,
    Capture,
    give_roles,
    group_msg,
    private_msg,
    queued,
    say,
    staff,
)
from tests.scheduling.support import claimed, fix_clock, local, make_order
from xietong.core.roles import Role
from xietong.orders.enums import Stage

VP, GM = 20061, 20071


# ------------------------------------------------------------------ /周报


async def test_weekly_brief_now_for_anyone_on_the_roster(app: App):
    await staff()
    fix_clock(2026, 11, 30, 10)
    await make_order("D261124-001", created_at=local(2026, 11, 24, 10))
    await make_order("D261120-001", created_at=local(2026, 11, 20, 10), stage=Stage.shipped,
                     shipped_at=local(2026, 11, 25, 15), exception_note="车坏在半路")
    event = group_msg("/周报", CS)
    got: list[str] = []
    await say(app, event, sends={event.message_id: Capture(got)})
    [text] = got
    assert text.startswith(
        "【周报】截至 11-30 10:00\n"
        "上周（11-23 至 11-29）：新接 1 单，共 12,600 元；发货 1 单；到货 0 单。\n"
        "本周至今（11-30）：新接 0 单；发货 0 单；到货 0 单。\n"
        "未完结 2 单：处理中 1 · 已发货 1\n"
        "异常 1 项：\n"
        "  · D261120-001 金陵建材：车坏在半路\n"
        "投诉：无。\n"
    )
    assert await queued() == []  # read-only: answered directly, nothing stored


async def test_weekly_brief_on_a_friday_shows_this_week_so_far(app: App):
    """Issue 14: on a Friday /周报 said 新接 0 单 in a week with 9 orders (it showed only last week)."""
    await staff()
    fix_clock(2026, 12, 4, 16)  # Friday
    for i in range(1, 10):
        await make_order(f"D26120{1 + i % 3}-{i:03d}", created_at=local(2026, 12, 1 + i % 3, 9))
    await make_order("D261203-100", created_at=local(2026, 12, 3, 9), stage=Stage.shipped,
                     shipped_at=local(2026, 12, 4, 11))
    await make_order("D261125-001", created_at=local(2026, 11, 25, 9))
    event = group_msg("/周报", CS)
    got: list[str] = []
    await say(app, event, sends={event.message_id: Capture(got)})
    [text] = got
    assert text.split("\n")[1:3] == [
        "上周（11-23 至 11-29）：新接 1 单，共 12,600 元；发货 0 单；到货 0 单。",
        "本周至今（11-30 至 12-04）：新接 10 单，共 126,000 元；发货 1 单；到货 0 单。",
    ]


async def test_weekly_brief_in_private_and_for_a_superuser(app: App):
    await staff()
    fix_clock(2026, 11, 30, 10)
    private = private_msg("/周报", CS)
    superuser = group_msg("/周报", SUPERUSER)
    got: list[str] = []
    await say(app, private, superuser, sends={private.message_id: Capture(got), superuser.message_id: Capture(got)})
    assert len(got) == 2 and all(t.startswith("【周报】截至 11-30 10:00") for t in got)


async def test_weekly_brief_is_refused_to_someone_not_on_the_roster(app: App):
    await staff()
    event = group_msg("/周报", 30001)
    await say(app, event, sends={event.message_id: NO_POST})  # plugins/core/access.py


async def test_weekly_brief_takes_no_arguments(app: App):
    await staff()
    event = group_msg("/周报 上周", CS)
    await say(app, event, sends={event.message_id: "/周报 后面不用写别的，直接发 /周报 就行。"})


# ------------------------------------------------------------------ /提醒


async def test_schedules_with_their_settings_and_next_times(app: App):
    fix_clock(2026, 11, 26, 10)  # a Thursday
    await staff()
    event = group_msg("/提醒", CS)
    await say(app, event, sends={event.message_id: (
        "定时提醒（北京时间）：\n"
        "· 周例会通知：每周一 08:30，下次 2026-11-30（周一）08:30；逢节假日顺延到本周下一个工作日\n"
        "· 回款提醒：每周一至周五 09:00，下次 2026-11-27（周五）09:00；节假日不发\n"
        "· 月销量报表：每月28日 09:00，下次 2026-11-27（周五）09:00；逢节假日提前到本月上一个工作日\n"
        "· 季度大区经理工作会议：1、4、7、10月的周一 09:00，下次 2027-01-04（周一）09:00；逢节假日改到下一个上班的周一\n"
        "· 月度工作协调会：每月25日 15:00，下次 2026-12-25（周五）15:00；逢节假日提前到本月上一个工作日\n"
        "· 月中目标进度：每月15日 09:00，下次 2026-12-15（周二）09:00；逢节假日顺延到本月下一个工作日\n"
        "· 每日备份：每天 02:30，下次 2026-11-27（周五）02:30\n"
        "· 催办（工作时间内每分钟检查）：\n"
        "  部门待回复超过 2 小时再 @ 该部门，超过 4 小时再 @ 主任；\n"
        "  发货超过 5 天未到货 @ 物流；发货超过 2 小时未通知客户 @ 客服；投诉超过 3 天未处理 @ 客服。\n"
        "工作时间：工作日（跳过法定节假日，调休上班日照常） 08:30-12:00、13:30-18:00\n"
        "停机错过的公告，12 小时内重启会补发。"
    )})


async def test_schedules_during_a_holiday_show_where_the_meeting_moved(app: App):
    fix_clock(2026, 10, 1, 10)
    await staff()
    event = group_msg("/提醒", CS)
    got: list[str] = []
    await say(app, event, sends={event.message_id: Capture(got)})
    assert "每周一 08:30，下次 2026-10-08（周四）08:30" in got[0]
    assert "每周一至周五 09:00，下次 2026-10-08（周四）09:00" in got[0]


async def test_schedules_take_no_arguments(app: App):
    await staff()
    event = group_msg("/提醒 明天", CS)
    await say(app, event, sends={event.message_id: "/提醒 后面不用写别的，直接发 /提醒 就行。"})


def test_both_commands_are_in_the_help():
    from plugins.core.commands import all_docs
    from xietong.scheduling.messages import BRIEF, SCHEDULES

    docs = all_docs()
    assert BRIEF in docs and SCHEDULES in docs


# ------------------------------------------------------------------ the timers


def test_install_adds_one_job_per_schedule_and_the_escalation_round():
    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    from plugins.scheduler import jobs
    from xietong.core.clock import LOCAL_TZ
    from xietong.scheduling.periods import WorkdayTrigger

    target = AsyncIOScheduler(timezone=LOCAL_TZ)
    jobs.install(target)
    jobs.install(target)  # again: replaced, not doubled
    by_id = {job.id: job for job in target.get_jobs()}
    assert set(by_id) == {"xietong-meeting", "xietong-collection", "xietong-report", "xietong-quarter",
                          "xietong-coordination", "xietong-pace", "xietong-escalate", "xietong-calendar"}
    meeting = by_id["xietong-meeting"]
    assert isinstance(meeting.trigger, WorkdayTrigger) and meeting.args == ("meeting",)
    assert meeting.trigger.get_next_fire_time(None, local(2026, 10, 1)) == local(2026, 10, 8, 8, 30)
    assert meeting.misfire_grace_time == 12 * 3600 and meeting.coalesce
    assert isinstance(by_id["xietong-escalate"].trigger, IntervalTrigger)
    assert by_id["xietong-escalate"].trigger.interval == timedelta(minutes=1)


def test_the_suite_runs_no_timers_of_its_own():
    """XIETONG_DELIVERY=false (the tests): nothing is scheduled behind the tests' back."""
    from nonebot_plugin_apscheduler import scheduler

    assert not [job for job in scheduler.get_jobs() if job.id.startswith("xietong-") and job.id != "xietong-backup"]


async def test_start_up_installs_the_jobs_and_qq_connecting_catches_up(monkeypatch):
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from plugins.scheduler import jobs
    from xietong.core.clock import LOCAL_TZ

    await staff()
    fix_clock(2026, 11, 30, 8, 45)  # the bot was down at 08:30 on Monday
    fake = AsyncIOScheduler(timezone=LOCAL_TZ)
    monkeypatch.setattr(jobs, "scheduler", fake)
    monkeypatch.setattr(jobs, "settings", jobs.settings.model_copy(update={"xietong_delivery": True}))
    await jobs._start()
    assert {job.id for job in fake.get_jobs()} >= {"xietong-meeting", "xietong-escalate"}
    assert await claimed() == []  # nothing is posted before QQ is there to take it
    await jobs._catch_up()
    await jobs._catch_up()  # a reconnect: the period is claimed, nothing more
    assert await claimed() == ["meeting:2026-W49"]
    [meeting] = await queued()
    assert meeting.text.startswith("【周例会】11-30（周一）08:30 开周例会")


async def test_timer_callbacks_post_and_survive_errors(monkeypatch):
    from plugins.scheduler import jobs

    await staff()
    fix_clock(2026, 11, 30, 8, 30)
    await jobs.run_announcement("meeting")
    assert await claimed() == ["meeting:2026-W49"]

    async def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(jobs.runner, "announce", broken)
    monkeypatch.setattr(jobs.runner, "escalate", broken)
    await jobs.run_announcement("meeting")  # logged, not raised: the job lives on
    await jobs.run_escalation()


async def test_the_monthly_report_is_posted_once_on_its_day(app: App):
    from plugins.scheduler import jobs

    await staff()
    await give_roles(VP, Role.vp, name="孙副总")
    await give_roles(GM, Role.gm, name="钱总")
    clock = fix_clock(2026, 11, 27, 9)  # the 28th is a Saturday: the report comes a day early
    outcome = await jobs.runner.announce("report")
    assert outcome.posted and outcome.key == "report:2026-11"
    summary, *archive = await queued()
    assert summary.mentions == [VP, GM] and "2026-11" in summary.text
    assert [q.target for q in archive] == [("private", DIRECTOR), ("private", VP), ("private", GM)]
    assert all(q.text.startswith("【客户档案月报】2026-11") for q in archive)
    clock.advance(hours=2)  # a restart, or the other process, later that morning
    assert not (await jobs.runner.announce("report")).posted
    assert [o for o in await jobs.runner.catch_up() if o.posted] == []
    assert await claimed("report") == ["report:2026-11"] + [f"report:2026-11#archive:{qq}" for qq in (DIRECTOR, VP, GM)]


async def test_no_monthly_report_without_a_vp_or_gm_to_tell(app: App):
    from plugins.scheduler import jobs

    await staff()
    fix_clock(2026, 11, 27, 9)
    outcome = await jobs.runner.announce("report")
    assert outcome.key == "report:2026-11" and not outcome.posted
    assert await claimed() == [] and await queued() == []


async def test_two_processes_post_the_monthly_report_once(app: App):
    import asyncio

    from plugins.scheduler import jobs

    await staff()
    await give_roles(VP, Role.vp, name="孙副总")
    fix_clock(2026, 11, 27, 9)
    outcomes = await asyncio.gather(jobs.runner.announce("report"), jobs.runner.announce("report"))
    assert sorted(o.posted for o in outcomes) == [False, True]
    assert await claimed() == ["report:2026-11", f"report:2026-11#archive:{DIRECTOR}", f"report:2026-11#archive:{VP}"]
    assert len(await queued()) == 3  # the group summary, and the archive summary to the director and the VP
