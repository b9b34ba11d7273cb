"""/区域 and the archive's regions, salespeople and region managers; the migration from free text."""

import asyncio

import sqlalchemy as sa
from alembic import command
from nonebug import App
from sqlalchemy import select

from tests.customers.support import GM, VP, audits
from tests.factories import (
    ASSISTANT,
    CS,
    DIRECTOR,
    WORKSHOP,
    give_roles,
    group_msg,
    last_outbox_id,
    private_msg,
    queued,
    say,
    staff,
)
from xietong.core import migrate
from xietong.core.db import database
from xietong.core.roles import Role
from xietong.parties.models import Customer, FieldPerson, PersonKind, Region

ASK_PRIVATELY = "客户档案保密，请私聊我查询。"


async def texts(after: int) -> list[str]:
    return [q.text for q in await queued(after)]


async def test_director_files_salespeople_and_managers_and_everyone_allowed_sees_them(app: App):
    await staff()
    await give_roles(VP, Role.vp, name="孙副总")
    mark = await last_outbox_id()
    await say(app, private_msg("/区域 业务员 张三 苏南 138-0000-0000", DIRECTOR),
              private_msg("/区域 经理 李四 苏南", DIRECTOR), private_msg("/区域 新增 苏北", CS))
    assert await texts(mark) == [
        "已建档：业务员 张三，区域 苏南，电话 13800000000",
        "已建档：区域经理 李四，区域 苏南",
        "已新增区域：苏北",
    ]
    mark = await last_outbox_id()
    await say(app, private_msg("/区域 业务员 张三 苏北", CS))
    assert await texts(mark) == ["已更新：业务员 张三，区域 苏北，电话 13800000000"]
    listing = private_msg("/区域", VP)
    await say(app, listing, sends={listing.message_id: (
        "区域档案：\n【苏北】客户 0 家\n  业务员：张三 13800000000\n【苏南】客户 0 家\n  区域经理：李四"
    )})
    assert [a[2] for a in await audits("新增档案")] == [
        "业务员 张三，区域 苏南，电话 13800000000", "区域经理 李四，区域 苏南", "区域 苏北"]
    assert len(await audits("查看客户")) == 1


async def test_a_customer_names_its_region_and_salesperson_entries(app: App):
    await staff()
    await say(app, private_msg("/客户 新增\n名称：金陵建材\n地区：苏南\n业务员：王五", CS),
              private_msg("/客户 新增\n名称：石城贸易\n地区：苏南\n业务员：王五", CS))
    async with database().session() as session:
        region = await session.scalar(select(Region).where(Region.name == "苏南"))
        person = await session.scalar(select(FieldPerson).where(FieldPerson.name == "王五"))
        customers = (await session.scalars(select(Customer).order_by(Customer.id))).all()
    assert person.kind == PersonKind.salesperson and person.region_id == region.id
    assert [(c.region_id, c.salesperson_id) for c in customers] == [(region.id, person.id)] * 2
    await say(app, private_msg("/客户 修改 石城贸易\n地区：苏北\n业务员：", CS))
    async with database().session() as session:
        changed = await session.scalar(select(Customer).where(Customer.name == "石城贸易"))
        north = await session.scalar(select(Region).where(Region.name == "苏北"))
    assert (changed.region_id, changed.salesperson_id) == (north.id, None)


async def test_only_archive_roles_see_and_only_cs_or_director_write(app: App):
    await staff()
    await give_roles(GM, Role.gm, name="钱总")
    refused_view = private_msg("/区域", WORKSHOP)
    refused_write = private_msg("/区域 业务员 张三 苏南", ASSISTANT)
    refused_gm = private_msg("/区域 新增 苏南", GM)
    in_group = group_msg("/区域", DIRECTOR)
    await say(app, refused_view, refused_write, refused_gm, in_group, sends={
        refused_view.message_id: "这一步需要「主任、客服、副总或总经理」岗位。",
        refused_write.message_id: "这一步需要「客服或主任」岗位。",
        refused_gm.message_id: "这一步需要「客服或主任」岗位。",
        in_group.message_id: ASK_PRIVATELY,
    })
    async with database().session() as session:
        assert await session.scalar(select(sa.func.count()).select_from(FieldPerson)) == 0


async def test_bad_input_is_named_and_nothing_is_saved(app: App):
    await staff()
    bad_phone = private_msg("/区域 业务员 张三 苏南 12345", CS)
    no_region = private_msg("/区域 业务员 张三", CS)
    taken = private_msg("/区域 新增 苏南", CS)
    await say(app, private_msg("/区域 新增 苏南", CS), bad_phone, no_region, taken, sends={
        bad_phone.message_id: "电话 格式不对：12345（手机 11 位，座机带区号，如 0550-3012345）",
        no_region.message_id: (
            "区域档案（仅私聊）：\n/区域 — 各区域的区域经理、业务员和客户数\n/区域 新增 苏南\n"
            "/区域 业务员 张三 苏南 13800000000\n/区域 经理 李四 苏南 13900000000"
        ),
        taken.message_id: "已有区域「苏南」。",
    })
    async with database().session() as session:
        assert await session.scalar(select(sa.func.count()).select_from(FieldPerson)) == 0


async def test_migration_turns_free_text_into_one_entry_per_distinct_name(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path}/old.db"
    config = migrate.alembic_config(url)
    await asyncio.to_thread(command.upgrade, config, "b1834bd5e913")  # main's head before this branch
    engine = sa.create_engine(f"sqlite:///{tmp_path}/old.db")
    with engine.begin() as conn:
        for name, region, salesman in (("甲", "苏南", "张三"), ("乙", " 苏南 ", "张三"), ("丙", "苏北", "李四"),
                                       ("丁", "", "")):
            conn.execute(sa.text(
                "INSERT INTO customer (name, contact, phone, region, salesman, note, created_at) "
                "VALUES (:n, '', '', :r, :s, '', '2026-11-01 00:00:00.000000')"), {"n": name, "r": region, "s": salesman})
    await asyncio.to_thread(command.upgrade, config, "head")
    with engine.connect() as conn:
        regions = dict(conn.execute(sa.text("SELECT name, id FROM region")).all())
        people = conn.execute(sa.text("SELECT name, kind, region_id FROM field_person ORDER BY name")).all()
        links = conn.execute(sa.text("SELECT name, region_id, salesperson_id FROM customer ORDER BY id")).all()
    engine.dispose()
    assert sorted(regions) == ["苏北", "苏南"]
    assert [(n, k, r) for n, k, r in people] == [("张三", "salesperson", regions["苏南"]), ("李四", "salesperson", regions["苏北"])]  # codes at head
    assert [(n, r) for n, r, _ in links] == [("甲", regions["苏南"]), ("乙", regions["苏南"]), ("丙", regions["苏北"]),
                                             ("丁", None)]
    assert links[0][2] == links[1][2] != links[2][2] and links[3][2] is None
