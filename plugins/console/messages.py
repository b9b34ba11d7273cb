"""The console's command, declared once for the matcher and /帮助."""

from plugins.core.commands import CommandDoc

WEB = CommandDoc("网页", "/网页（私聊）；/网页 退出", "网页控制台：私聊发一次性登录链接；退出则结束你所有的网页登录")
SIGN_OUT_WORDS = ("退出", "登出", "注销")
COMMANDS = (WEB,)
