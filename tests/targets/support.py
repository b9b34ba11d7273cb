"""A small sales organisation for target, report and statement tests: two regions, two salespeople."""

from __future__ import annotations

from tests.customers.support import add_customer
from xietong.core.db import database
from xietong.parties.models import FieldPerson, PersonKind, Region


async def organisation() -> dict[str, int]:
    """苏南 (张三: 金陵建材) and 苏北 (李四: 淮安商贸), and 散户 with neither; returns the ids by name."""
    async with database().session() as session:
        south, north = Region(name="苏南"), Region(name="苏北")
        session.add_all([south, north])
        await session.flush()
        zhang = FieldPerson(kind=PersonKind.salesperson, name="张三", region_id=south.id, phone="13800000001")
        li = FieldPerson(kind=PersonKind.salesperson, name="李四", region_id=north.id)
        manager = FieldPerson(kind=PersonKind.manager, name="王经理", region_id=south.id)
        session.add_all([zhang, li, manager])
        await session.flush()
        ids = {"苏南": south.id, "苏北": north.id, "张三": zhang.id, "李四": li.id}
    ids["金陵建材"] = await add_customer("金陵建材", region="苏南", salesman="张三", region_id=ids["苏南"],
                                      salesperson_id=ids["张三"])
    ids["淮安商贸"] = await add_customer("淮安商贸", region="苏北", salesman="李四", region_id=ids["苏北"],
                                      salesperson_id=ids["李四"])
    ids["散户"] = await add_customer("散户")
    return ids
