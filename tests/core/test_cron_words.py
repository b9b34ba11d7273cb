"""Schedules in chat read the way people say them, never as a crontab line."""

import pytest

from xietong.scheduling.messages import describe


@pytest.mark.parametrize(("expr", "words"), [
    ("30 8 * * mon", "每周一 08:30"),
    ("30 8 * * 1", "每周一 08:30"),
    ("0 9 * * mon-fri", "每周一至周五 09:00"),
    ("0 9 * * 1,3,5", "每周一、三、五 09:00"),
    ("0 9 * * 0", "每周日 09:00"),
    ("0 9 * * sat,sun", "每周六、日 09:00"),
    ("30 2 * * *", "每天 02:30"),
    ("0 9,14 * * *", "每天 09:00、14:00"),
    ("0 9 28 * *", "每月28日 09:00"),
    ("0 15 25 * *", "每月25日 15:00"),
    ("0 9 1 1,4,7,10 *", "每年1月1日、4月1日、7月1日、10月1日 09:00"),
    ("0 9 * 1,4,7,10 mon", "1、4、7、10月的周一 09:00"),  # the quarterly meeting's default
    ("0 9 * 3 *", "3月每天 09:00"),
    ("*/5 * * * *", "定时"),
    ("0,30 9 * * *", "定时"),
    ("not a cron", "定时"),
    ("0 9 1 * mon", "定时"),
])
def test_crontab_in_words(expr, words):
    assert describe(expr) == words
    assert "*" not in describe(expr)
