"""Words of the customer domain: the archive card and list, complaint tickets."""

from __future__ import annotations

from datetime import date, datetime

from xietong.core.clock import fmt_local, local
from xietong.core.commands import CommandDoc
from xietong.core.numbers import format_fen
from xietong.parties.access import VIEW_ROLES
from xietong.parties.models import Customer

from .access import CLOSE_ROLES, HISTORY_ROLES
from .fields import shown
from .models import Complaint, ComplaintStatus

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
