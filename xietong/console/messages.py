"""Words of the web console: the /网页 answers and the sign-in refusals."""

from xietong.core.commands import CommandDoc
from xietong.core.numbers import format_fen

NOT_SET_UP = "网页控制台还没有开通，请联系管理员。"
NOT_SET_UP_SUPERUSER = "网页控制台还没有开通：请在 .env 里设置 XIETONG_WEB_URL（本机在办公室局域网里的地址，如 http://192.168.1.10:8080），然后重启。"
PRIVATE_ONLY = "登录链接只在私聊里发，请私聊我 /网页。"
NO_POST = "你还没有岗位，不能用网页控制台。请主任 /设岗。"


def link(url: str) -> str:
    return f"网页控制台登录链接（10 分钟内有效，只能用一次，请勿转发）：\n{url}"


def signed_out(sessions: int) -> str:
    return f"已退出网页控制台（{sessions} 个登录）。" if sessions else "你没有登录中的网页控制台。"


# Why a link or a session does not let someone in (shown on the page).
LINK_UNKNOWN = "这个登录链接无效。请在 QQ 私聊机器人发 /网页 重新获取。"
LINK_USED = "这个登录链接已经用过了。请在 QQ 私聊机器人发 /网页 重新获取。"
LINK_EXPIRED = "这个登录链接已过期（10 分钟有效）。请在 QQ 私聊机器人发 /网页 重新获取。"
LINK_ENDED = "这个登录链接已作废（你已退出网页控制台）。请重新发 /网页。"
NO_POST_WEB = "你目前没有岗位，不能查看控制台。"


# Commands (the plugin's matchers and /帮助 read them).

WEB = CommandDoc("网页", "/网页（私聊）；/网页 退出", "网页控制台：私聊发一次性登录链接；退出则结束你所有的网页登录")
SIGN_OUT_WORDS = ("退出", "登出", "注销")
COMMANDS = (WEB,)


# The chat plugin, as NoneBot lists it.

PLUGIN_NAME = "协同·网页控制台"
PLUGIN_DESCRIPTION = "只读网页：看板、订单、应收、月报、待办、客户档案；QQ 私聊 /网页 登录"


# The web pages.

NAV = {"board": "看板", "todo": "待办", "receivables": "应收", "monthly": "月报", "customers": "客户"}
OPEN_FROM_QQ = "请从 QQ 里收到的登录链接打开。"
TOO_LARGE = "请求太大。"
SIGN_OUT_ON_PAGE = "请在控制台页面上点退出。"
SIGNED_OUT_TITLE = "已退出"
SIGNED_OUT_PAGE = "已退出网页控制台。再次登录请在 QQ 私聊机器人发 /网页。"
BAD_NUMBER = "单号写法不对。"
SIGN_IN_TITLE = "请先登录"
SIGN_IN_HOW = "请在 QQ 私聊机器人发 /网页，用收到的链接登录。"
REFUSED_TITLE = "不能查看"
SIGN_IN_REFUSED_TITLE = "不能登录"
NOT_FOUND_TITLE = "没有找到"
CANNOT_SHOW_TITLE = "看不了"


def page_needs(roles: str) -> str:
    return f"这一页需要「{roles}」岗位。"


def unreachable(url: str, host: str) -> str:
    """For the operator's log: the console's address is on the LAN, the bot listens on loopback only."""
    return (f"XIETONG_WEB_URL={url}，但 HOST={host} 只在本机监听：办公室的浏览器打不开控制台。"
            "请把 HOST 改为 0.0.0.0（并设置 ONEBOT_ACCESS_TOKEN）。")


# The console's charts.

AGEING_CHART = "按账龄的未收金额"
TREND_CHART = "近 13 个月销售与回款"
SALES = "销售"
COLLECTED = "回款"
BY_PRODUCT = "按品名（元）"
BY_CUSTOMER = "按客户（元）"
BY_PAYMENT = "按付款方式（元）"


def ageing_bucket(label: str, not_due: bool) -> str:
    return label if not_due else f"{label} 天"


def month_label(month: int) -> str:
    return f"{month}月"


def highest(fen: int) -> str:
    return f"最高 {format_fen(fen)} 元"
