"""A day at the company, without QQ: the real bot, driven over the real reverse WebSocket by the test
suite's OneBot v11 simulator, printed as the group would read it.

    python3 manage.py demo

Three orders, one per payment method, go from intake to the money: the workshop, finance and
logistics answer (one of them by quote-reply, in plain words), the slip is issued, goods ship and
arrive, cash on delivery is collected and booked; the director sets the month's sales target, a
salesperson is filed in the archive, an assistant records a follow-up, and the day ends with /目标, a
statement of account (/对账), /应收 and /月报.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.wire.onebot_sim import GROUP, SUPERUSER, BotProcess, OneBotClient, SentMessage  # noqa: E402

PEOPLE = {
    SUPERUSER: "管理员",
    20001: "陈主任",
    20002: "王客服",
    20003: "孙物流",
    20004: "周助理",
    20011: "老张(车间)",
    20021: "钱会计",
    20031: "刘副总",
    20032: "赵总",
}
POSTS = [(20001, "主任"), (20002, "客服"), (20003, "物流"), (20004, "助理"), (20011, "车间"),
         (20021, "财务"), (20031, "副总"), (20032, "总经理")]
NUMBER = re.compile(r"D\d{6}-\d{3}")
BOT_NAME = "协同"


def intake(customer: str, payment: str, item: str, quantity: str, price: str) -> str:
    return (f"/接单\n客户：{customer}\n品名：{item}\n数量：{quantity}\n单价：{price}\n付款方式：{payment}\n"
            "收货人：王工\n电话：13812345678\n地址：南京市江宁区天元路1号\n包装：吨袋\n交期：后天")


class Day:
    def __init__(self, qq: OneBotClient):
        self.qq = qq
        self.printed = 0

    def heading(self, text: str) -> None:
        self.show_sent()
        print(f"\n—— {text} ——")

    def show_sent(self) -> None:
        for sent in self.qq.sent[self.printed:]:
            print(render(sent))
        self.printed = len(self.qq.sent)

    async def say(self, who: int, text: str, *, reply_to: int | None = None, private: bool = False) -> int:
        """One person speaks; wait until the bot has said everything it has to say about it."""
        self.show_sent()
        where = "私聊" if private else ""
        print(f"\n{PEOPLE[who]}{where}：{text}")
        start = self.qq.mark()
        if private:
            message_id = await self.qq.send_private_message(who, text, nickname=PEOPLE[who])
        else:
            message_id = await self.qq.send_group_message(GROUP, who, text, card=PEOPLE[who], reply_to=reply_to)
        await self.qq.wait_for_sent(None, timeout=15, start=start)
        await self.quiet()
        return message_id

    async def quiet(self, seconds: float = 0.6) -> None:
        while True:
            seen = self.qq.mark()
            await asyncio.sleep(seconds)
            if self.qq.mark() == seen:
                return

    def last_number(self) -> str:
        for sent in reversed(self.qq.sent):
            if "已登记订单" in sent.text and (found := NUMBER.search(sent.text)):
                return found.group()
        raise RuntimeError("no order was registered")

    def instruction_to(self, department: str, number: str) -> SentMessage:
        return next(s for s in self.qq.sent if f"【{department}】订单 {number}" in s.text)


def render(sent: SentMessage) -> str:
    if sent.action.startswith("upload_"):
        return f"  {BOT_NAME}：[群文件] {sent.segments[0]['data'].get('name', '（文件）')}"
    parts = []
    for segment in sent.segments:
        if segment["type"] == "at":
            parts.append(f"@{PEOPLE.get(int(segment['data']['qq']), segment['data']['qq'])}")
        elif segment["type"] == "text":
            parts.append(segment["data"]["text"])
    where = "（私聊）" if sent.message_type == "private" else ""
    text = "".join(parts).strip().replace("\n", "\n    ")
    return f"  {BOT_NAME}{where}：{text}"


async def play(qq: OneBotClient) -> None:
    day = Day(qq)
    print("—— 早上，管理员给大家设岗 ——")
    for qq_id, post in POSTS:
        qq.set_member(GROUP, qq_id, card=PEOPLE[qq_id])
        await day.say(SUPERUSER, f"/设岗 [CQ:at,qq={qq_id}] {post}")

    day.heading("一单款到发货")
    await day.say(20002, intake("金陵建材有限公司", "款到发货", "水泥", "30吨", "420"))
    prepaid = day.last_number()
    await day.say(20011, "备好了", reply_to=day.instruction_to("车间", prepaid).message_id)
    await day.say(20021, f"/到账 {prepaid} 5000")
    await day.say(20021, f"/到账 {prepaid}")
    await day.say(20003, f"/派车 {prepaid} 苏A12345 李师傅 13900001111 300")
    await day.say(20002, f"/开单 {prepaid}")
    await day.say(20003, f"/发货 {prepaid} 30 SF1234567890")
    await day.say(20002, f"/已通知 {prepaid}")
    await day.say(20003, f"/到货 {prepaid}")

    day.heading("一单货到付款")
    await day.say(20004, intake("江北五金店", "货到付款", "钢管", "一百二十根", "35.5"))
    cod = day.last_number()
    await day.say(20002, f"/开单 {cod}")
    await day.say(20011, f"/备货完成 {cod}")
    await day.say(20021, f"/放行 {cod}")
    await day.say(20003, f"/派车 {cod} 苏B54321 周师傅 13900002222")
    await day.say(20002, f"/开单 {cod}")
    await day.say(20003, f"/发货 {cod}")
    await day.say(20003, f"/异常 {cod} 高速堵车，预计晚到半天")
    await day.say(20003, f"/异常解除 {cod}")
    await day.say(20003, f"/到货 {cod}")
    await day.say(20003, f"/代收 {cod} 4260")
    await day.say(20021, f"/代收入账 {cod}")

    day.heading("一单月结")
    await day.say(20002, intake("东方建设集团", "月结", "沙子", "1.5万吨", "0.3"))
    monthly = day.last_number()
    await day.say(20011, f"/缺货 {monthly} 沙子只有1万吨，明天补齐")
    await day.say(20002, f"/改单 {monthly}\n数量：1万吨")
    await day.say(20011, f"/备货完成 {monthly}")
    await day.say(20021, f"/放行 {monthly}")
    await day.say(20003, f"/派车 {monthly} 苏C88888 吴师傅 13900003333 800")
    await day.say(20002, f"/开单 {monthly}")
    await day.say(20003, f"/发货 {monthly} 10")
    await day.say(20003, f"/到货 {monthly}")
    await day.say(20021, f"/收款 {monthly} 1000 转账")

    day.heading("目标、区域和跟进")
    month = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    await day.say(20002, "/区域 业务员 张三 苏南 13800005555", private=True)
    await day.say(20002, "/客户 修改 金陵建材有限公司\n地区：苏南\n业务员：张三", private=True)
    await day.say(20001, f"/目标 {month} 10万")
    await day.say(20031, f"/目标 {month} 苏南 3万")
    await day.say(20004, "/跟进 金陵建材 电话回访，下月还要 50 吨水泥", private=True)

    day.heading("下班前看看")
    await day.say(20011, "/目标")
    await day.say(20002, "/对账 金陵建材", private=True)
    await day.say(20001, "/看板")
    await day.say(20021, "/应收")
    await day.say(20002, f"/订单 {monthly}")
    await day.say(20031, "/月报")
    day.show_sent()


async def main() -> int:
    data = Path(tempfile.mkdtemp(prefix="xietong-demo-"))
    print(f"启动协同（数据在 {data}）……")
    async with BotProcess(data_dir=data, database="sqlite", log_level="WARNING") as bot, bot.client() as qq:
        await play(qq)
    print(f"\n演示结束。机器人的日志：{data / 'bot.log'}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
