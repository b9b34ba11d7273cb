"""What finance adds to the orders' views, through their extension points (orders imports no finance):
the 逾期 flag beside the stage in /订单 and /看板, and the finance and cs sections of /待办."""

from xietong.core.roles import Role
from xietong.orders import queries

from .collecting import cs_todo, finance_todo
from .receivables import overdue_flags


def install() -> None:
    """Register once; calling again changes nothing."""
    if overdue_flags not in queries.flag_providers:
        queries.flag_providers.append(overdue_flags)
    for role, provider in ((Role.finance, finance_todo), (Role.cs, cs_todo)):
        if provider not in queries.todo_providers.get(role, []):
            queries.add_todo(role, provider)
