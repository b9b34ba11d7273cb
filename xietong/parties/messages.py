"""Words of the archive every feature that shows a customer uses."""

ASK_PRIVATELY = "客户档案保密，请私聊我查询。"


def not_found(typed: str) -> str:
    return f"客户档案里没有「{typed}」。新建请用 /客户 新增"


EMPTY_NAME = "客户名称不能为空。"


def ambiguous_shown(typed: str, candidates: list[str], shown: int) -> str:
    names = "、".join(candidates[:shown])
    more = f" 等 {len(candidates)} 家" if len(candidates) > shown else ""
    return f"客户「{typed}」对应多个档案：{names}{more}。请写全名。"


def ambiguous(typed: str) -> str:
    """Where the archive is not to be shown (a group): no names."""
    return f"客户「{typed}」对应不止一个档案，请写客户全名或订单号。"


def name_too_long(limit: int, name: str) -> str:
    return f"客户名称太长（最多 {limit} 字）：{name[:20]}…"
