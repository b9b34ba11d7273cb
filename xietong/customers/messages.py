"""Words of the customer domain: the archive card and list, complaint tickets."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from xietong.core.clock import fmt_local, local
from xietong.core.commands import CommandDoc
from xietong.core.numbers import format_fen
from xietong.core.text import problem_list
from xietong.parties.access import VIEW_ROLES
from xietong.parties.models import Customer

from .access import CLOSE_ROLES, HISTORY_ROLES
from .models import Complaint, ComplaintStatus

if TYPE_CHECKING:
    from .service import Balance

CONTENT_SHOWN = 40


def balance_text(orders: int, outstanding_fen: int, overdue_orders: int, overdue_fen: int) -> str:
    if not orders:
        return "欠款：无"
    text = f"欠款：{format_fen(outstanding_fen)} 元（{orders} 单）"
    if overdue_orders:
        text += f"，其中逾期 {format_fen(overdue_fen)} 元（{overdue_orders} 单）"
    return text


def card_head(customer: Customer, default_days: int) -> list[str]:
    return [
        f"客户档案：{customer.name}",
        f"联系人：{shown('contact', customer.contact)}　电话：{shown('phone', customer.phone)}",
        f"地区：{shown('region', customer.region)}　业务员：{shown('salesman', customer.salesman)}",
        f"信用额度：{shown('credit_limit_fen', customer.credit_limit_fen)}"
        f"　账期：{shown('credit_days', customer.credit_days, default_days)}",
        *([f"备注：{customer.note}"] if customer.note else []),
    ]


def order_line(number: str, created_at: datetime, amount_fen: int, paid_fen: int, stage: str,
               due: date | None, today: date) -> str:
    line = f"  {number} {fmt_local(created_at, '%m-%d')} {format_fen(amount_fen)}元【{stage}】"
    owed = amount_fen - paid_fen
    if stage != "已取消" and owed > 0:
        line += f" 未收 {format_fen(owed)}"
        if due is not None and due < today:
            line += f"（逾期 {(today - due).days} 天）"
    return line


def collection_line(at: datetime, who: str, order_number: str | None, note: str) -> str:
    about = f"（{order_number}）" if order_number else ""
    return f"  {fmt_local(at)} {who}{about}：{note}"


def added(customer: Customer) -> str:
    return f"已建档：{customer.name}。查看：/客户 {customer.name}"


def changed(customer: Customer, lines: list[str]) -> str:
    return f"客户档案「{customer.name}」已修改：\n" + "\n".join(lines)


def keyword_too_long(limit: int) -> str:
    return f"关键词太长了（最多 {limit} 字），请写名称、地区、业务员或联系人的一部分。"


# ---------------------------------------------------------------- complaints


def _about(complaint: Complaint) -> str:
    if complaint.order_number:
        return f"{complaint.customer_name}（订单 {complaint.order_number}）"
    return complaint.customer_name


def _in_brackets(complaint: Complaint) -> str:
    order = f"，订单 {complaint.order_number}" if complaint.order_number else ""
    return f"（{complaint.customer_name}{order}）"


def complaint_opened(complaint: Complaint, who: str, cs_missing: bool) -> str:
    lines = [
        f"【投诉】{complaint.number} {_about(complaint)}",
        f"内容：{complaint.content}",
        f"登记：{who}",
        f"请客服处理，处理后 /处理 {complaint.number} 结果",
    ]
    if cs_missing:
        lines.append("客服还没有成员：请主任 /设岗 @成员 客服，并先跟进这件投诉。")
    return "\n".join(lines)


def complaint_registered(complaint: Complaint, group_known: bool) -> str:
    tail = "已通知客服。" if group_known else "没有配置工作群，请直接告诉客服。"
    return f"已登记投诉 {complaint.number}{_in_brackets(complaint)}，{tail}"


def complaint_closed(complaint: Complaint, who: str) -> str:
    return f"投诉 {complaint.number}{_in_brackets(complaint)}已由{who}处理：{complaint.result}"


def complaint_already_closed(complaint: Complaint, who: str) -> str:
    return (
        f"投诉 {complaint.number} 已在 {fmt_local(complaint.closed_at)} 由{who}处理过：{(complaint.result or '').rstrip('。')}。"
        "无需重复。"
    )


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= CONTENT_SHOWN else text[:CONTENT_SHOWN] + "…"


def complaint_list(rows: list[tuple[Complaint, str]], today: date) -> str:
    if not rows:
        return "没有未处理的投诉。"
    lines = [f"未处理投诉 {len(rows)} 件："]
    for complaint, who in rows:
        days = (today - local(complaint.opened_at).date()).days
        age = f"，已 {days} 天" if days else ""
        lines.append(
            f"{complaint.number} {_about(complaint)} {fmt_local(complaint.opened_at)} {who}登记{age}："
            f"{_short(complaint.content)}"
        )
    return "\n".join(lines)


def complaint_card(complaint: Complaint, opener: str, closer: str | None) -> str:
    lines = [
        f"投诉 {complaint.number}【{complaint.status.value}】",
        f"客户：{complaint.customer_name}" + (f"　订单：{complaint.order_number}" if complaint.order_number else ""),
        f"内容：{complaint.content}",
        f"登记：{opener} {fmt_local(complaint.opened_at)}",
    ]
    if complaint.status == ComplaintStatus.closed:
        lines.append(f"处理：{closer} {fmt_local(complaint.closed_at)}：{complaint.result}")
    else:
        lines.append(f"处理后请 /处理 {complaint.number} 结果")
    return "\n".join(lines)


# ---------------------------------------------------------------- regions, salespeople, region managers


def _person(person) -> str:
    return person.name + (f" {person.phone}" if person.phone else "")


def region_overview(regions, people, counts: dict) -> str:
    if not regions and not people:
        return "还没有区域档案。新增：/区域 新增 苏南；/区域 业务员 张三 苏南 13800000000"
    lines = ["区域档案："]
    for region in [*regions, None]:
        rid = region.id if region else None
        here = [p for p in people if p.region_id == rid]
        if region is None and not here and not counts.get(None):
            continue
        lines.append(f"【{region.name if region else '未分区域'}】客户 {counts.get(rid, 0)} 家")
        for kind in ("区域经理", "业务员"):
            named = [_person(p) for p in here if p.kind.value == kind]
            if named:
                lines.append(f"  {kind}：" + "、".join(named))
    return "\n".join(lines)


def person_saved(kind: str, name: str, region: str, phone: str, created: bool) -> str:
    verb = "已建档" if created else "已更新"
    return f"{verb}：{kind} {name}，区域 {region}" + (f"，电话 {phone}" if phone else "")


# ---------------------------------------------------------------- follow-up


def followed(name: str, count: int) -> str:
    return f"已记下对「{name}」的跟进（第 {count} 次）。查看：/跟进 {name}"


def follow_history(name: str, rows: list[tuple[datetime, str, str]], shown: int) -> str:
    if not rows:
        return f"「{name}」还没有跟进记录。记录：/跟进 {name} 内容"
    lines = [f"「{name}」的跟进记录（共 {len(rows)} 次）："]
    lines += [f"  {fmt_local(at)} {who}：{text}" for at, who, text in rows[:shown]]
    if len(rows) > shown:
        lines.append(f"  …更早的 {len(rows) - shown} 次未列出")
    return "\n".join(lines)


def _day(at: datetime | None) -> str:
    return fmt_local(at, "%Y-%m-%d") if at else "无"


def follow_list(rows: list[tuple], limit: int) -> str:
    if not rows:
        return "客户档案还是空的。"
    lines = [f"客户跟进情况 {len(rows)} 家（名称｜区域｜业务员｜最近下单｜最近跟进｜跟进次数）："]
    for name, region, salesman, ordered, followed_at, count in rows[:limit]:
        lines.append(f"{name}｜{region or '—'}｜{salesman or '—'}｜{_day(ordered)}｜{_day(followed_at)}｜{count or 0} 次")
    if len(rows) > limit:
        lines.append(f"…另有 {len(rows) - limit} 家")
    return "\n".join(lines)


def archive_summary(month: str, total: int, new: int, regions: list[tuple[str, int]], unassigned: int,
                    salespeople: int, managers: int, follows: int, dormant: int, dormant_days: int) -> str:
    by_region = "、".join(f"{name} {count} 家" for name, count in regions)
    if unassigned:
        by_region += ("、" if by_region else "") + f"未分区域 {unassigned} 家"
    return "\n".join([
        f"【客户档案月报】{month}（保密，仅发主任、副总、总经理）",
        f"客户 {total} 家，本月新建 {new} 家" + (f"；按区域：{by_region}" if by_region else ""),
        f"业务员 {salespeople} 人，区域经理 {managers} 人",
        f"本月跟进 {follows} 次；{dormant_days} 天没有下单也没有跟进的客户 {dormant} 家",
        "明细请私聊 /客户 列表、/区域、/跟进 列表",
    ])


# Commands (the plugin's matchers and /帮助 read them).

CUSTOMER = CommandDoc(
    "客户", "/客户 名称｜/客户 列表 [关键词]｜/客户 新增 + 字段｜/客户 修改 名称 + 字段｜/客户 导出",
    "客户档案：查看、新增、修改、导出 Excel（保密，只在私聊回答）", roles=VIEW_ROLES,
    confidential=True,
)
COMPLAINT = CommandDoc(
    "投诉", "/投诉 单号|客户 内容｜/投诉 列表｜/投诉 T号", "登记客户投诉并通知客服；查看未处理的投诉",
    open_to_all=True,  # SPEC: anyone may register a complaint
)
HANDLE = CommandDoc(
    "处理", "/处理 T号 结果（或回复投诉消息：/处理 结果）", "投诉处理完毕，记下结果", roles=CLOSE_ROLES,
    aliases=("处理投诉",),
)
REGION = CommandDoc(
    "区域", "/区域｜/区域 新增 区域名｜/区域 业务员 姓名 区域 [电话]｜/区域 经理 姓名 区域 [电话]",
    "区域、业务员、区域经理档案（保密，只在私聊回答）", roles=VIEW_ROLES,
)
FOLLOW = CommandDoc(
    "跟进", "/跟进 客户 内容｜/跟进 客户｜/跟进 列表", "客户跟进：记录、查看历史、跟进情况列表（只在私聊回答）",
    roles=HISTORY_ROLES,
)
COMMANDS = (CUSTOMER, REGION, FOLLOW, COMPLAINT, HANDLE)

LIST_WORDS = ("列表", "清单", "全部")
ADD_WORDS = ("新增", "新建", "添加")
CHANGE_WORDS = ("修改", "更新", "改")
EXPORT_WORDS = ("导出", "下载", "excel", "Excel", "EXCEL")
COMPLAINT_LIST_WORDS = ("列表", "清单", "未处理")

CUSTOMER_USAGE = (
    "客户档案（仅私聊）：\n/客户 名称 — 查看档案、欠款、最近订单和催收记录\n/客户 列表 [关键词]\n"
    "/客户 新增 + 换行写 名称：… 联系人：… 电话：… 地区：… 业务员：… 信用额度：… 账期：…\n"
    "/客户 修改 名称 + 换行写要改的字段\n/客户 导出 — Excel"
)
NEED_CHANGE_NAME = "请写上要修改的客户名称，例如：/客户 修改 金陵建材\n电话：13900000000"
COMPLAINT_USAGE = "请写上订单号或客户，再写投诉内容，例如：/投诉 {number} 送货晚了两天"


def need_change_fields(name: str) -> str:
    return f"请写上要改的字段，例如：/客户 修改 {name}\n电话：13900000000"


def exported(count: int, name: str) -> str:
    return f"客户档案已导出（{count} 家）：{name}"


def export_not_sent(count: int, saved_as: str) -> str:
    return f"客户档案已导出（{count} 家），但文件没能发给你，已保存在服务器上：{saved_as}"


REGION_ADD_WORDS = ("新增", "新建", "添加")
PERSON_WORDS = {"业务员": "业务员", "销售": "业务员", "经理": "区域经理", "区域经理": "区域经理", "大区经理": "区域经理"}
REGION_USAGE = (
    "区域档案（仅私聊）：\n/区域 — 各区域的区域经理、业务员和客户数\n/区域 新增 苏南\n"
    "/区域 业务员 张三 苏南 13800000000\n/区域 经理 李四 苏南 13900000000"
)
FOLLOW_LIST_WORDS = ("列表", "清单", "全部")
FOLLOW_PRIVATELY = "客户跟进请私聊我。"


# The chat plugin, as NoneBot lists it.

PLUGIN_NAME = "协同·客户"
PLUGIN_DESCRIPTION = "客户档案（保密，仅私聊）与客户投诉"


# For the operator's log.

def export_upload_failed(exc: BaseException) -> str:
    return f"客户档案导出上传失败：{exc!r}"


# Complaints and follow-ups: refusals.

NEED_COMPLAINT_SUBJECT = "请写上订单号或客户，例如：/投诉 金陵建材 送货晚了两天"


def need_complaint(subject: str) -> str:
    return f"请写上投诉内容，例如：/投诉 {subject or '单号'} 送货晚了两天"


def complaint_too_long(limit: int) -> str:
    return f"投诉内容太长（最多 {limit} 字），请写要点。"


def no_customer_for_complaint(typed: str) -> str:
    return f"客户档案里没有「{typed}」。请写订单号或客户全称。"


def no_complaint(number: str) -> str:
    return f"没有投诉 {number}。"


def need_result(number: str) -> str:
    return f"请写上处理结果，例如：/处理 {number} 已补发两袋，客户满意"


def result_too_long(limit: int) -> str:
    return f"处理结果太长（最多 {limit} 字），请写要点。"


def follow_up_too_long(limit: int) -> str:
    return f"跟进内容太长（最多 {limit} 字）。"


# The archive card's fields: /客户 新增 and 修改.

TEMPLATE = """/客户 新增
名称：金陵建材有限公司
联系人：王经理
电话：13800000000
地区：南京
业务员：小李
信用额度：50000
账期：30天
备注：（可选）"""
NAME_NOT_CLEARED = "名称 不能清空"
NAME_MISSING = "缺少 名称"


def unknown_field(key: str, labels: Iterable[str]) -> str:
    return f"不认识的字段：{key}（可写 {'、'.join(labels)}）"


def unreadable_line(line: str) -> str:
    return f"看不懂这一行：{line}"


def days_unreadable(value: str) -> str:
    return f"账期 要写天数：{value}（如 30天）"


def days_not_whole(value: str) -> str:
    return f"账期 要写整天数：{value}"


def days_too_many(limit: int, value: str) -> str:
    return f"账期 最多 {limit} 天：{value}"


def too_long(label: str, limit: int) -> str:
    return f"{label} 太长（最多 {limit} 字）"


def written_twice(label: str, first: str, second: str) -> str:
    return f"{label} 写了两次：{first} / {second}"


def not_saved(problems: list[str]) -> str:
    return problem_list("客户档案没有保存", problems, f"\n\n参考格式：\n{TEMPLATE}")


def shown(field: str, value: object, default_days: int | None = None) -> str:
    """A field's value as the card and the change reply show it."""
    if field == "credit_limit_fen":
        return "未设" if value is None else f"{format_fen(int(value))} 元"  # type: ignore[call-overload]
    if field == "credit_days":
        if value is None:
            return f"默认（{default_days} 天）" if default_days is not None else "默认"
        return f"{value} 天"
    return str(value) if value not in (None, "") else "—"


# /客户: the card, the list and the refusals.

NO_ORDERS_YET = "还没有订单。"
COLLECTIONS_HEAD = "催收记录："
NEED_NAME_TO_CHANGE = "请写上要修改的客户名称，例如：/客户 修改 金陵建材\n电话：13900000000"


def recent_orders(total: int) -> str:
    return f"最近订单（共 {total} 单）："


def nothing_listed(keyword: str) -> str:
    return f"没有含「{keyword}」的客户档案。" if keyword else "客户档案还是空的。新建请用 /客户 新增"


def listing_head(count: int, keyword: str) -> str:
    return f"客户档案 {count} 家" + (f"（含「{keyword}」）" if keyword else "") + "："


def listing_line(customer: Customer, balance: Balance | None) -> str:
    """/客户 列表: name, contact, region, salesman and what is owed, on one line."""
    parts = [customer.name]
    contact = " ".join(p for p in (customer.contact, customer.phone) if p)
    parts += [p for p in (contact, customer.region, customer.salesman and f"业务员 {customer.salesman}") if p]
    if balance:
        late = f"（逾期 {format_fen(balance.overdue_fen)}）" if balance.overdue_fen else ""
        parts.append(f"欠 {format_fen(balance.outstanding_fen)}{late}")
    return "｜".join(parts)


def more_customers(count: int) -> str:
    return f"…另有 {count} 家，完整档案请 /客户 导出"


def name_taken(name: str) -> str:
    return f"档案里已有「{name}」。要改请用 /客户 修改 {name}"


def name_close_to(other: str) -> str:
    return f"档案里已有相近的客户「{other}」。如确是另一家，请在名称里写明区别。"


def unchanged(name: str) -> str:
    return f"客户档案「{name}」没有变化。"


# /区域: the archive's regions and field people.

REGION_WORD = "区域"


def empty_name(what: str) -> str:
    return f"{what}名称不能为空。"


def entry_name_too_long(what: str, limit: int, name: str) -> str:
    return f"{what}名称太长（最多 {limit} 字）：{name[:20]}…"


def region_exists(name: str) -> str:
    return f"已有区域「{name}」。"


def region_added(name: str) -> str:
    return f"已新增区域：{name}"


# /客户 导出: the workbook.

EXPORT_SHEET = "客户档案"
EXPORT_HEADS = {
    "name": "名称", "contact": "联系人", "phone": "电话", "region": "地区", "salesman": "业务员",
    "credit_limit": "信用额度（元）", "credit_days": "账期（天）", "owed": "欠款（元）", "overdue": "逾期（元）",
    "open_orders": "未结订单", "note": "备注", "created": "建档时间",
}


def export_file(at: datetime) -> str:
    return f"客户档案-{at:%Y%m%d-%H%M%S}.xlsx"


def export_total(count: int) -> str:
    return f"合计 {count} 家"
