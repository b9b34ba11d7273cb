"""/网页: the sign-in link in private chat; /网页 退出: end every browser session of the caller."""

from nonebot import get_plugin_config
from nonebot.adapters.onebot.v11 import GroupMessageEvent, MessageEvent
from nonebot.params import CommandArg

from plugins.core.chat import actor, plain_words
from plugins.core.commands import command
from plugins.core.superusers import is_superuser
from xietong.console import messages as msg
from xietong.console import signin
from xietong.core.settings import Settings
from xietong.core.work import work

settings = get_plugin_config(Settings)


def link_to(token: str) -> str:
    return f"{settings.xietong_web_url}/console/signin/{token}"


@command(msg.WEB)
async def web(event: MessageEvent, arg=CommandArg()):
    said = plain_words(arg)
    if said and said[0] in msg.SIGN_OUT_WORDS:
        async with work(actor(event)) as w:
            return msg.signed_out(await signin.sign_out(w))
    if not settings.xietong_web_url:
        return msg.NOT_SET_UP_SUPERUSER if is_superuser(event) else msg.NOT_SET_UP
    if isinstance(event, GroupMessageEvent):
        return msg.PRIVATE_ONLY  # a link in a group could be used by whoever clicks first
    async with work(actor(event)) as w:
        token = await signin.issue_link(w)
    return msg.link(link_to(token))
