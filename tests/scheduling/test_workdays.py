"""Working days (holidays, 调休, unknown years) and working time across lunch, evenings, weekends, holidays."""

import logging
from datetime import date, time, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scheduling.support import local
from xietong.core.settings import Settings
from xietong.scheduling import workdays
from xietong.scheduling.workdays import WorkCalendar, official_workday

OFFICE = WorkCalendar()  # 08:30-12:00, 13:30-18:00 on working days
ALWAYS = WorkCalendar(hours=((time(0), time.max),))
EVERY_DAY = WorkCalendar(workdays_only=False)

NATIONAL_DAY = date(2026, 10, 1)  # Thursday, public holiday
ADJUSTED_SATURDAY = date(2026, 10, 10)  # Saturday worked in exchange for the National Day week
ORDINARY_SATURDAY = date(2026, 10, 17)


def test_the_dates_used_here_are_what_chinese_calendar_says():
    assert chinese_calendar.is_holiday(NATIONAL_DAY)
    assert ADJUSTED_SATURDAY.weekday() == 5 and chinese_calendar.is_workday(ADJUSTED_SATURDAY)
    assert ORDINARY_SATURDAY.weekday() == 5 and not chinese_calendar.is_workday(ORDINARY_SATURDAY)


def test_holidays_are_off_and_adjusted_weekends_are_on():
    assert not OFFICE.is_workday(NATIONAL_DAY)
    assert not OFFICE.is_workday(date(2026, 10, 5))  # a Monday inside the holiday
    assert OFFICE.is_workday(ADJUSTED_SATURDAY)
    assert not OFFICE.is_workday(ORDINARY_SATURDAY)
    assert OFFICE.is_workday(date(2026, 11, 26))  # an ordinary Thursday


def test_workdays_only_false_makes_every_day_a_working_day():
    assert EVERY_DAY.is_workday(NATIONAL_DAY)
    assert EVERY_DAY.is_workday(ORDINARY_SATURDAY)


def test_a_year_chinese_calendar_does_not_know_falls_back_to_monday_to_friday_and_warns_once(caplog):
    year = 2099
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(year, 1, 5))
    official_workday.cache_clear()
    workdays._years_without_data.discard(year)
    with caplog.at_level(logging.WARNING, logger="xietong.scheduling"):
        assert official_workday(date(year, 1, 5))  # a Monday
        assert official_workday(date(year, 1, 9))  # a Friday
        assert not official_workday(date(year, 1, 10))  # a Saturday
        assert OFFICE.working_time_between(local(year, 1, 9, 17), local(year, 1, 12, 9)) == timedelta(hours=1, minutes=30)
    warnings = [r for r in caplog.records if str(year) in r.getMessage()]
    assert len(warnings) == 1


def test_working_time_across_lunch():
    assert OFFICE.working_time_between(local(2026, 11, 26, 11), local(2026, 11, 26, 14, 30)) == timedelta(hours=2)
    assert OFFICE.working_time_between(local(2026, 11, 26, 12, 10), local(2026, 11, 26, 13, 20)) == timedelta(0)


def test_working_time_across_the_evening():
    assert OFFICE.working_time_between(local(2026, 11, 26, 17), local(2026, 11, 27, 9, 30)) == timedelta(hours=2)


def test_working_time_across_a_weekend():
    friday, monday = local(2026, 11, 27, 17), local(2026, 11, 30, 9, 30)
    assert OFFICE.working_time_between(friday, monday) == timedelta(hours=2)
    assert EVERY_DAY.working_time_between(friday, monday) == timedelta(hours=1 + 8 + 8 + 1)


def test_working_time_across_the_national_day_week_and_its_adjusted_saturday():
    # Wed 09-30 17:00 → Thu 10-08 09:30: only 1 h on 09-30 and 1 h on 10-08 count
    assert OFFICE.working_time_between(local(2026, 9, 30, 17), local(2026, 10, 8, 9, 30)) == timedelta(hours=2)
    # Fri 10-09 17:00 → Sat 10-10 09:30: the Saturday is worked
    assert OFFICE.working_time_between(local(2026, 10, 9, 17), local(2026, 10, 10, 9, 30)) == timedelta(hours=2)
    # Sat 10-10 17:00 → Mon 10-12 09:30: the Sunday is not
    assert OFFICE.working_time_between(local(2026, 10, 10, 17), local(2026, 10, 12, 9, 30)) == timedelta(hours=2)


def test_always_means_whole_working_days():
    assert ALWAYS.always and not OFFICE.always
    # Fri 20:00 → Sat 08:00: the Friday evening counts, the Saturday does not
    assert ALWAYS.working_time_between(local(2026, 11, 27, 20), local(2026, 11, 28, 8)) == timedelta(hours=4)
    assert ALWAYS.is_working_time(local(2026, 11, 26, 23, 59))
    assert not ALWAYS.is_working_time(local(2026, 11, 28, 12))


def test_is_working_time():
    assert OFFICE.is_working_time(local(2026, 11, 26, 8, 30))
    assert not OFFICE.is_working_time(local(2026, 11, 26, 12))
    assert not OFFICE.is_working_time(local(2026, 11, 26, 18))
    assert OFFICE.is_working_time(local(2026, 10, 10, 10))
    assert not OFFICE.is_working_time(local(2026, 10, 1, 10))


def test_add_working_time_skips_lunch_nights_weekends_and_holidays():
    assert OFFICE.add_working_time(local(2026, 11, 26, 11), timedelta(hours=2)) == local(2026, 11, 26, 14, 30)
    assert OFFICE.add_working_time(local(2026, 11, 27, 17), timedelta(hours=2)) == local(2026, 11, 30, 9, 30)
    assert OFFICE.add_working_time(local(2026, 9, 30, 17, 30), timedelta(hours=4)) == local(2026, 10, 8, 12)
    assert OFFICE.add_working_time(local(2026, 11, 28, 3), timedelta(minutes=30)) == local(2026, 11, 30, 9)
    assert OFFICE.add_working_time(local(2026, 11, 26, 10), timedelta(0)) == local(2026, 11, 26, 10)


@settings(max_examples=150, deadline=None)
@given(
    start=st.datetimes(min_value=local(2026, 1, 1).replace(tzinfo=None), max_value=local(2026, 12, 20).replace(tzinfo=None)),
    minutes=st.integers(min_value=0, max_value=60 * 40),
    always=st.booleans(),
)
def test_add_working_time_is_the_inverse_of_working_time_between(start, minutes, always):
    calendar = ALWAYS if always else OFFICE
    begin = start.replace(tzinfo=local(2026, 1, 1).tzinfo)
    end = calendar.add_working_time(begin, timedelta(minutes=minutes))
    assert calendar.working_time_between(begin, end) == timedelta(minutes=minutes)
    assert minutes == 0 or calendar.is_working_time(end - timedelta(microseconds=1))


def test_settings_default_work_hours_are_parsed():
    calendar = WorkCalendar.from_settings(Settings())
    assert calendar.hours == ((time(8, 30), time(12)), (time(13, 30), time(18)))
    assert calendar.describe() == "工作日（跳过法定节假日，调休上班日照常） 08:30-12:00、13:30-18:00"
    always = WorkCalendar.from_settings(Settings(xietong_work_hours="00:00-24:00", xietong_workdays_only=False))
    assert always.describe() == "每天 全天"
