"""Command words of the scheduler plugin."""

from plugins.core.commands import CommandDoc

BRIEF = CommandDoc("周报", "/周报", "现在看周报：上周订单、未完结、异常、投诉、回款、纪要待办")
SCHEDULES = CommandDoc("提醒", "/提醒", "各项定时提醒、设置和下次时间")
HOLIDAYS = CommandDoc(
    "假期",
    "/假期 [放假|补班|删除 日期 [至 日期] [名称]]",
    "看工作日历，补上节假日数据还没有的放假和调休（超级用户）",
    superuser_only=True,
)
COMMANDS = (BRIEF, SCHEDULES, HOLIDAYS)

NO_ARGUMENTS = "{usage} 后面不用写别的，直接发 {usage} 就行。"
