"""Period keys, crontab reading, the working-day rule of each announcement, catch-up windows, the trigger."""

from datetime import date, timedelta

import pytest

from tests.scheduling.support import CALENDAR, COLLECTION, MEETING, REPORT, local
from xietong.core.cron import standard_day_of_week
from xietong.core.settings import Settings
from xietong.scheduling.periods import (
    Period,
    WorkdayTrigger,
    cron_instants,
    cron_trigger,
    schedules,
    week_key,
)
from xietong.scheduling.workdays import WorkCalendar

EVERY_DAY = WorkCalendar(workdays_only=False)
HOURS_12 = timedelta(hours=12)


def test_period_keys():
    assert MEETING.key(local(2026, 11, 23, 8, 30)) == "meeting:2026-W48"
    assert MEETING.key(local(2026, 11, 29, 23, 59)) == "meeting:2026-W48"
    assert MEETING.key(local(2026, 11, 30, 0, 0)) == "meeting:2026-W49"
    assert COLLECTION.key(local(2026, 11, 26, 9)) == "collection:2026-11-26"
    assert REPORT.key(local(2026, 11, 27, 9)) == "report:2026-11"


def test_keys_follow_local_time_and_iso_years():
    # 2026-11-25 16:30 UTC is 00:30 on the 26th in Shanghai
    from datetime import datetime, timezone

    assert COLLECTION.key(datetime(2026, 11, 25, 16, 30, tzinfo=timezone.utc)) == "collection:2026-11-26"
    assert week_key(date(2027, 1, 1)) == "2026-W53"
    assert week_key(date(2027, 1, 4)) == "2027-W01"
    assert Period.week.same(date(2026, 12, 28), date(2027, 1, 3))


def test_crontab_day_of_week_numbers_are_standard():
    assert standard_day_of_week("1") == "mon"
    assert standard_day_of_week("0") == standard_day_of_week("7") == "sun"
    assert standard_day_of_week("1-5") == "mon,tue,wed,thu,fri"
    assert standard_day_of_week("5-7") == "sun,fri,sat"
    assert standard_day_of_week("*/2") == "sun,tue,thu,sat"
    assert standard_day_of_week("mon-fri") == "mon-fri"
    assert standard_day_of_week("*") == "*"
    thursday = local(2026, 11, 26, 10)
    assert next(cron_instants(cron_trigger("30 8 * * 1"), thursday, thursday + timedelta(days=8))) == local(2026, 11, 30, 8, 30)
    assert next(cron_instants(cron_trigger("0 9 * * 0"), thursday, thursday + timedelta(days=8))) == local(2026, 11, 29, 9)
    with pytest.raises(ValueError):
        cron_trigger("30 8 * *")


def test_defaults_come_from_the_settings():
    names = [(s.name, s.cron, s.period, s.shift) for s in schedules(Settings())]
    assert names == [
        ("meeting", "30 8 * * mon", Period.week, 1),
        ("collection", "0 9 * * mon-fri", Period.day, 0),
        ("report", "0 9 28 * *", Period.month, -1),
        ("quarter", "0 9 * 1,4,7,10 mon", Period.quarter, 0),
        ("coordination", "0 15 25 * *", Period.month, -1),
        ("pace", "0 9 15 * *", Period.month, 1),
    ]
    custom = schedules(Settings(xietong_meeting_cron="0 9 * * tue"))
    assert custom[0].next_due(local(2026, 11, 26), CALENDAR) == local(2026, 12, 1, 9)


def test_meeting_on_a_holiday_monday_moves_to_the_first_working_day_of_that_week():
    # 2026-10-05 (Mon) to 10-07 are National Day holidays; 10-08 (Thu) is the first working day
    assert MEETING.next_due(local(2026, 10, 1), CALENDAR) == local(2026, 10, 8, 8, 30)
    assert MEETING.key(local(2026, 10, 8, 8, 30)) == "meeting:2026-W41"
    assert MEETING.due_instants(local(2026, 10, 5), local(2026, 10, 7, 23, 59), CALENDAR) == []
    # the next week is back on Monday; without the working-day rule nothing moves
    assert MEETING.next_due(local(2026, 10, 8, 8, 31), CALENDAR) == local(2026, 10, 12, 8, 30)
    assert MEETING.next_due(local(2026, 10, 1), EVERY_DAY) == local(2026, 10, 5, 8, 30)


def test_a_week_without_a_working_day_has_no_meeting():
    # Spring Festival 2026: 02-15 to 02-23 off; week 8 (02-16..22) has no working day, week 9 meets on Tuesday
    instants = MEETING.due_instants(local(2026, 2, 9), local(2026, 3, 1), CALENDAR)
    assert instants == [local(2026, 2, 9, 8, 30), local(2026, 2, 24, 8, 30)]


def test_collection_digest_skips_holidays_and_runs_on_adjusted_working_days():
    instants = COLLECTION.due_instants(local(2026, 9, 28), local(2026, 10, 18), CALENDAR)
    days = [t.date() for t in instants]
    assert date(2026, 10, 1) not in days
    assert date(2026, 10, 10) in days  # the adjusted working Saturday
    assert date(2026, 10, 17) not in days  # an ordinary Saturday
    assert days == [date(2026, 9, d) for d in (28, 29, 30)] + [date(2026, 10, d) for d in (8, 9, 10, 12, 13, 14, 15, 16)]
    # without the working-day rule, mon-fri is just Monday to Friday
    loose = [t.date() for t in COLLECTION.due_instants(local(2026, 9, 28), local(2026, 10, 4), EVERY_DAY)]
    assert loose == [date(2026, 9, d) for d in (28, 29, 30)] + [date(2026, 10, 1), date(2026, 10, 2)]


def test_report_on_a_weekend_comes_forward_to_the_previous_working_day():
    # 2026-11-28 is a Saturday: the report goes out on Friday the 27th, still before the 28th
    assert REPORT.next_due(local(2026, 11, 1), CALENDAR) == local(2026, 11, 27, 9)
    assert REPORT.next_due(local(2026, 11, 27, 9, 1), CALENDAR) == local(2026, 12, 28, 9)
    # 2026-12-28 is a Monday: unchanged
    assert REPORT.latest_due(local(2026, 12, 28, 10), HOURS_12, CALENDAR) == local(2026, 12, 28, 9)


def test_the_catch_up_window_is_inclusive():
    monday = local(2026, 11, 30, 8, 30)
    assert MEETING.latest_due(local(2026, 11, 30, 8, 29), HOURS_12, CALENDAR) is None
    assert MEETING.latest_due(monday, HOURS_12, CALENDAR) == monday
    assert MEETING.latest_due(local(2026, 11, 30, 20, 30), HOURS_12, CALENDAR) == monday
    assert MEETING.latest_due(local(2026, 11, 30, 20, 31), HOURS_12, CALENDAR) is None
    assert COLLECTION.latest_due(local(2026, 11, 26, 21), HOURS_12, CALENDAR) == local(2026, 11, 26, 9)
    assert COLLECTION.latest_due(local(2026, 11, 26, 21, 0, 1), HOURS_12, CALENDAR) is None


def test_the_apscheduler_trigger_fires_on_due_instants_only():
    trigger = WorkdayTrigger(MEETING, CALENDAR)
    assert trigger.get_next_fire_time(None, local(2026, 9, 28, 8, 30)) == local(2026, 9, 28, 8, 30)
    assert trigger.get_next_fire_time(local(2026, 9, 28, 8, 30), local(2026, 9, 28, 8, 30)) == local(2026, 10, 8, 8, 30)
    # a scheduler catching up on misfires asks from the previous fire time, even if now is later
    assert trigger.get_next_fire_time(local(2026, 11, 23, 8, 30), local(2026, 12, 9)) == local(2026, 11, 30, 8, 30)
    assert str(trigger) == "workday[30 8 * * mon]"


def test_a_cron_that_never_fires_has_no_next_time():
    never = REPORT.__class__("report", "月销量报表", "X", "0 9 31 2 *", Period.month, -1)
    assert never.next_due(local(2026, 11, 26), CALENDAR) is None
