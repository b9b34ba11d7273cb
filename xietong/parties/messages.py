"""Words of the archive every feature that shows a customer uses."""

ASK_PRIVATELY = "客户档案保密，请私聊我查询。"


def not_found(typed: str) -> str:
    return f"客户档案里没有「{typed}」。新建请用 /客户 新增"
