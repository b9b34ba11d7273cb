"""/假期: days declared for a year chinese_calendar does not know, used by every schedule at once."""

from datetime import date

import pytest
from nonebug import App

from tests.factories import (
    CS,
    SUPERUSER,
    WORKSHOP,
    Capture,
    group_msg,
    last_outbox_id,
    private_msg,
    queued,
    say,
    staff,
)
from tests.scheduling.support import claimed, fix_clock, local, make_order, runner
from xietong.core.db import database
from xietong.core.errors import DomainError
from xietong.orders.enums import Department, TaskState
from xietong.scheduling import holidays
from xietong.scheduling.models import CalendarDay
from xietong.scheduling.workdays import WorkCalendar, package_years, use_declared_days

SPRING_FESTIVAL = "/假期 放假 2027-02-06 至 2027-02-12 春节"
ADJUSTED_SUNDAY = "/假期 补班 2027-02-14"
ONLY_WORKSHOP = {Department.finance: TaskState.done, Department.logistics: TaskState.done}


@pytest.fixture(autouse=True)
def _forget_declared_days():
    use_declared_days({})
    yield
    use_declared_days({})


def test_the_package_does_not_know_2027_so_these_tests_mean_something():
    assert 2027 not in package_years() and 2026 in package_years()
    assert WorkCalendar().is_workday(date(2027, 2, 8))  # a Monday in the 2027 Spring Festival: Mon–Fri fallback


async def declare(app: App, *texts: str) -> list:
    before = await last_outbox_id()
    await say(app, *(private_msg(text, SUPERUSER) for text in texts))
    return await queued(before)


async def next_meeting_line(app: App) -> str:
    event = group_msg("/提醒", SUPERUSER)  # anyone with a post may ask; a superuser needs none
    got: list[str] = []
    await say(app, event, sends={event.message_id: Capture(got)})
    return next(line for line in got[0].splitlines() if line.startswith("· 周例会通知"))


async def test_a_declared_holiday_week_moves_the_monday_meeting_to_the_adjusted_sunday_at_once(app: App):
    fix_clock(2027, 2, 3, 10)  # Wednesday before the Spring Festival
    assert "下次 2027-02-08（周一）08:30" in await next_meeting_line(app)
    replies = await declare(app, SPRING_FESTIVAL, ADJUSTED_SUNDAY)
    assert [r.text for r in replies] == [
        "已记下：2027-02-06 至 2027-02-12 放假（春节），共 7 天。周例会、回款提醒、月报和催办即刻按新日历算，/提醒 可看下次时间。",
        "已记下：2027-02-14 补班，共 1 天。周例会、回款提醒、月报和催办即刻按新日历算，/提醒 可看下次时间。",
    ]
    assert all(r.target == ("private", SUPERUSER) for r in replies)
    assert "下次 2027-02-14（周日）08:30" in await next_meeting_line(app)
    meeting = runner().schedule("meeting")
    assert meeting.next_due(local(2027, 2, 3, 10), runner().calendar) == local(2027, 2, 14, 8, 30)
    collection = runner().schedule("collection")
    assert collection.next_due(local(2027, 2, 5, 10), runner().calendar) == local(2027, 2, 14, 9)


async def test_the_declaration_is_stored_audited_and_survives_a_restart(app: App):
    from sqlalchemy import select

    from xietong.core.models import AuditEvent

    fix_clock(2026, 12, 1, 10)
    await declare(app, SPRING_FESTIVAL)
    async with database().session() as session:
        days = await holidays.declared_days(session)
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "假期"))
    assert [d.day for d in days] == [date(2027, 2, n) for n in range(6, 13)]
    assert {(d.worked, d.name, d.declared_by) for d in days} == {(False, "春节", SUPERUSER)}
    assert (audit.subject, audit.detail, audit.actor_qq) == ("2027-02-06 至 2027-02-12", "放假（春节）", SUPERUSER)
    use_declared_days({})  # a new process knows nothing until it loads the table at start-up
    assert WorkCalendar().is_workday(date(2027, 2, 8))
    async with database().session() as session:
        await holidays.load(session)
    assert not WorkCalendar().is_workday(date(2027, 2, 8))


async def test_escalations_wait_over_a_declared_holiday():
    await staff()
    fake = fix_clock(2027, 2, 5, 17)  # Friday before the holiday
    async with database().session() as session:
        session.add_all(CalendarDay(day=date(2027, 2, n), worked=False, name="春节") for n in range(6, 13))
        session.add(CalendarDay(day=date(2027, 2, 14), worked=True))
    async with database().session() as session:
        await holidays.load(session)
    await make_order("D270205-001", tasks=ONLY_WORKSHOP)
    for day in (8, 10, 12):  # Monday, Wednesday, Friday of the holiday: no working time passes
        fake.set(2027, 2, day, 16)
        assert await runner().escalate() == []
    fake.set(2027, 2, 14, 9, 29)  # 1 h on Friday + 59 min on the adjusted Sunday
    assert await runner().escalate() == []
    fake.set(2027, 2, 14, 9, 30)
    before = await last_outbox_id()
    assert await runner().escalate() != []
    [first] = await queued(before)
    assert first.mentions == [WORKSHOP, WORKSHOP + 1]


async def test_listing_shows_the_years_known_and_the_days_declared(app: App):
    fix_clock(2026, 12, 2, 10)
    event = private_msg("/假期", SUPERUSER)
    await say(app, event, sends={event.message_id: (
        "工作日历：节假日数据已有 2004–2026 年（国务院安排，含调休）。\n"
        "手工加的日子：无。\n"
        "2027 年还没有安排：先按周一至周五上班算，国务院公布后请用 /假期 放假 … 加上。"
    )})
    await declare(app, SPRING_FESTIVAL, ADJUSTED_SUNDAY)
    event = private_msg("/假期", SUPERUSER)
    await say(app, event, sends={event.message_id: (
        "工作日历：节假日数据已有 2004–2026 年（国务院安排，含调休）。\n"
        "手工加的日子：\n"
        "· 2027-02-06 至 2027-02-12 放假（春节）\n"
        "· 2027-02-14 补班"
    )})


async def test_removing_days_restores_the_calendar_at_once(app: App):
    fix_clock(2027, 2, 3, 10)
    await declare(app, SPRING_FESTIVAL, ADJUSTED_SUNDAY)
    [reply] = await declare(app, "/假期 删除 2027-02-06 至 2027-02-14")
    assert reply.text == "已删除 2027-02-06 至 2027-02-14 手工加的 8 天，日历即刻恢复。"
    assert "下次 2027-02-08（周一）08:30" in await next_meeting_line(app)
    event = private_msg("/假期 删除 2027-02-06", SUPERUSER)
    await say(app, event, sends={event.message_id: "2027-02-06 没有手工加的日子，不用删除。"})


async def test_only_a_superuser_may_see_or_change_the_calendar(app: App):
    await staff()
    fix_clock(2026, 12, 2, 10)
    looking, changing = group_msg("/假期", CS), group_msg(SPRING_FESTIVAL, CS)
    refusal = "这一步只有超级用户可以做。"
    await say(app, looking, changing, sends={looking.message_id: refusal, changing.message_id: refusal})
    async with database().session() as session:
        assert await holidays.declared_days(session) == []


@pytest.mark.parametrize(("text", "answer"), [
    ("/假期 放假 2026-10-01 国庆", "节假日数据里已经有 2026 年的安排，以它为准，不用手工加。"),
    ("/假期 放假 2027-02-30 春节", "「2027-02-30」不是有效日期，请写成 2027-02-06 这样。"),
    ("/假期 放假 2027-02-12 至 2027-02-06", "结束日期 2027-02-06 早于开始日期 2027-02-12，请检查。"),
    ("/假期 放假 2027-01-01 至 2027-12-31", "一次最多写 31 天，请分几次写。"),
    ("/假期 补班 2027-02-15", "2027-02-15 是周一，本来就上班；补班只用于周六、周日。"),
    ("/假期 放假 2099-01-01", "只能加今年到后年的日子（2026 至 2028 年）。"),
    ("/假期 休息 2027-02-06", holidays.words.HOLIDAY_USAGE),
    ("/假期 放假 明年春节", holidays.words.HOLIDAY_USAGE),
])
async def test_bad_requests_are_named_and_change_nothing(app: App, text: str, answer: str):
    fix_clock(2026, 12, 2, 10)
    event = private_msg(text, SUPERUSER)
    await say(app, event, sends={event.message_id: answer})
    async with database().session() as session:
        assert await holidays.declared_days(session) == []


def test_dates_may_be_written_the_usual_ways():
    request = holidays.parse(["放假", "2027年2月6日至2027/2/12", "春节"])
    assert (request.first, request.last, request.name) == (date(2027, 2, 6), date(2027, 2, 12), "春节")
    with pytest.raises(DomainError):
        holidays.parse(["删除", "2027-02-06", "春节"])


def test_the_package_wins_for_a_year_it_knows():
    use_declared_days({date(2026, 10, 1): True, date(2026, 10, 10): False})
    assert not WorkCalendar().is_workday(date(2026, 10, 1))  # National Day stays a holiday
    assert WorkCalendar().is_workday(date(2026, 10, 10))  # the package's adjusted Saturday stays worked


async def test_from_december_superusers_are_reminded_once_a_week_while_next_year_is_unknown():
    fake = fix_clock(2026, 11, 30, 9)
    assert await holidays.remind(fake(), [SUPERUSER, 10002]) == []  # November: too early
    fake.set(2026, 12, 1, 9)
    assert await holidays.remind(fake(), [SUPERUSER, 10002]) == ["calendar-missing:2027:2026-W49"]
    sent = await queued()
    assert [m.target for m in sent] == [("private", SUPERUSER), ("private", 10002)]
    assert sent[0].text.startswith("【工作日历】2027 年的放假安排还没有")
    fake.set(2026, 12, 6, 9)  # Sunday, same week; a restart catching up too
    assert await holidays.remind(fake(), [SUPERUSER, 10002]) == []
    assert await holidays.remind(fake(), [SUPERUSER, 10002]) == []
    fake.set(2026, 12, 7, 9)
    assert await holidays.remind(fake(), [SUPERUSER]) == ["calendar-missing:2027:2026-W50"]
    async with database().session() as session:
        session.add(CalendarDay(day=date(2027, 2, 8), worked=False, name="春节"))
    fake.set(2026, 12, 14, 9)
    assert await holidays.remind(fake(), [SUPERUSER]) == []  # declared: nothing to remind
    assert await claimed("calendar-missing:2027") == [
        "calendar-missing:2027:2026-W49", "calendar-missing:2027:2026-W49#2", "calendar-missing:2027:2026-W50"
    ]


async def test_days_declared_for_a_year_the_package_later_learns_are_announced_unused_once():
    fake = fix_clock(2026, 11, 2, 9)
    async with database().session() as session:  # declared before the package knew 2026
        session.add_all([CalendarDay(day=date(2026, 10, 1), worked=True), CalendarDay(day=date(2026, 10, 2), worked=True)])
    assert await holidays.remind(fake(), [SUPERUSER]) == ["calendar-superseded:2026"]
    [notice] = await queued()
    assert notice.text == "【工作日历】节假日数据已经有 2026 年的安排，以它为准；手工加的 2026 年 2 天不再使用。"
    fake.set(2026, 11, 9, 9)
    assert await holidays.remind(fake(), [SUPERUSER]) == []


async def test_declaring_moves_the_running_jobs_next_run_time():
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from plugins.scheduler import jobs
    from xietong.core.clock import LOCAL_TZ

    fix_clock(2027, 2, 3, 10)
    target = AsyncIOScheduler(timezone=LOCAL_TZ)
    jobs.install(target)
    target.start(paused=True)
    try:
        await jobs.reload_calendar(target)
        assert target.get_job("xietong-meeting").next_run_time == local(2027, 2, 8, 8, 30)
        async with database().session() as session:
            session.add_all(CalendarDay(day=date(2027, 2, n), worked=False, name="春节") for n in range(6, 13))
            session.add(CalendarDay(day=date(2027, 2, 14), worked=True))
        await jobs.reload_calendar(target)
        assert target.get_job("xietong-meeting").next_run_time == local(2027, 2, 14, 8, 30)
    finally:
        target.shutdown(wait=False)
