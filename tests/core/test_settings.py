"""Settings are validated with messages a person can act on."""

from datetime import time, timedelta

import pytest
from pydantic import ValidationError

from xietong.core.settings import Settings, exposure_problem, parse_duration, parse_work_hours


@pytest.mark.parametrize(
    ("text", "expected"),
    [("90s", timedelta(seconds=90)), ("30m", timedelta(minutes=30)), ("2h", timedelta(hours=2)),
     ("1d", timedelta(days=1)), (" 4H ", timedelta(hours=4))],
)
def test_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["2", "two hours", "-1h", "1.5h", ""])
def test_bad_durations(text):
    with pytest.raises(ValueError, match="时长写法不对"):
        parse_duration(text)


def test_work_hours():
    assert parse_work_hours("08:30-12:00,13:30-18:00") == (
        (time(8, 30), time(12, 0)), (time(13, 30), time(18, 0)),
    )
    assert parse_work_hours("00:00-24:00") == ((time(0, 0), time.max),)
    with pytest.raises(ValueError, match="开始应早于结束"):
        parse_work_hours("18:00-08:00")
    with pytest.raises(ValueError, match="工作时间写法不对"):
        parse_work_hours("早上八点")


def test_defaults_follow_the_spec():
    s = Settings()
    assert s.xietong_meeting_cron == "30 8 * * mon"
    assert s.xietong_escalate_after == timedelta(hours=2)
    assert s.xietong_catchup == timedelta(hours=12)
    assert s.xietong_database_url == "sqlite+aiosqlite:///data/xietong.db"


def test_a_bad_cron_is_refused_clearly():
    with pytest.raises(ValidationError, match="cron 写法不对"):
        Settings(xietong_meeting_cron="30 8 * *")
    with pytest.raises(ValidationError, match="时长写法不对"):
        Settings(xietong_escalate_after="soon")


@pytest.mark.parametrize(
    ("host", "token", "refused"),
    [("127.0.0.1", "", False), ("localhost", None, False), ("::1", "", False),
     ("0.0.0.0", "", True), ("0.0.0.0", "secret", False), ("192.168.1.5", None, True)],
)
def test_exposed_host_needs_a_token(host, token, refused):
    problem = exposure_problem(host, token)
    assert (problem is not None) == refused
    if refused:
        assert "ONEBOT_ACCESS_TOKEN" in problem


def test_cron_weekday_numbers_are_standard_crontab():
    """0 and 7 are Sunday as in crontab(5), not APScheduler's Monday-based numbers."""
    s = Settings(xietong_backup_cron="0 3 * * 0", xietong_meeting_cron="30 8 * * 7")
    assert s.xietong_backup_cron == "0 3 * * 0"
    with pytest.raises(ValidationError, match="cron 写法不对"):
        Settings(xietong_meeting_cron="30 8 * * 8")


def test_default_work_hours_are_parsed():
    assert Settings().xietong_work_hours == ((time(8, 30), time(12, 0)), (time(13, 30), time(18, 0)))
