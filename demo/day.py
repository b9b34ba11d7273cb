"""A day at the company, without QQ: the real bot, driven over the real reverse WebSocket by the test
suite's OneBot v11 simulator, printed as the group would read it.

    python3 manage.py demo

Three orders, one per payment method, go from intake to the money: the workshop, finance and
logistics answer (one of them by quote-reply, in plain words), the slip is issued, goods ship and
arrive, cash on delivery is collected and booked; the director sets the month's sales target, a
salesperson is filed in the archive, an assistant records a follow-up, and the day ends with /目标, a
statement of account (/对账), /应收 and /月报. The bot runs on the demo's clock (demo/clocked_bot.py):
Thursday 2026-11-26, a working day, at the headers' times.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.onebot_sim import GROUP, SUPERUSER, BotProcess, OneBotClient, SentMessage  # noqa: E402

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
AT = re.compile(r"\[CQ:at,qq=(\d+)\]")
BOT_NAME = "协同"
DAY = date(2026, 11, 26)  # a Thursday, a working day
LOCAL = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Customer:
    name: str
    consignee: str
    phone: str
    address: str


JINLING = Customer("金陵建材有限公司", "王建国", "13851234567", "南京市江宁区秣陵街道天元中路128号 金陵建材二号仓库")
JIANGBEI = Customer("江北五金店", "刘春华", "13913587462", "南京市浦口区江浦街道文德路56号")
DONGFANG = Customer("东方建设集团有限公司", "赵志刚", "13770651234", "南京市栖霞区仙林大道10号 东方建设仙林项目部")


def intake(customer: Customer, payment: str, item: str, quantity: str, price: str, packing: str, due: str) -> str:
    return (f"/接单\n客户：{customer.name}\n品名：{item}\n数量：{quantity}\n单价：{price}\n付款方式：{payment}\n"
            f"收货人：{customer.consignee}\n电话：{customer.phone}\n地址：{customer.address}\n包装：{packing}\n交期：{due}")


def names(text: str) -> str:
    """A message as people see it in QQ: @名字, not the CQ code underneath."""
    return AT.sub(lambda m: f"@{PEOPLE.get(int(m.group(1)), m.group(1))}", text)


def snippet(text: str, length: int = 18) -> str:
    line = " ".join(text.split())
    return line if len(line) <= length else line[:length] + "…"


class Day:
    def __init__(self, qq: OneBotClient, clock_file: Path):
        self.qq = qq
        self.clock_file = clock_file
        self.printed = 0
        self.said: dict[int, tuple[str, str]] = {}  # message id → (who, text), for showing quote-replies
        self.now = "08:30"

    def at(self, hh_mm: str) -> str:
        """Set the company's clock (the bot reads it) and return the time for the header."""
        hour, minute = map(int, hh_mm.split(":"))
        self.clock_file.write_text(datetime.combine(DAY, time(hour, minute), LOCAL).isoformat(), "utf-8")
        self.now = hh_mm
        return f"{DAY:%m-%d}（周四）{hh_mm}"

    def heading(self, hh_mm: str, text: str) -> None:
        self.show_sent()
        print(f"\n—— {self.at(hh_mm)} {text} ——")

    def show_sent(self) -> None:
        for sent in self.qq.sent[self.printed:]:
            self.said[sent.message_id] = (BOT_NAME, sent.text)
            print(self.render(sent))
        self.printed = len(self.qq.sent)

    def quoting(self, message_id: int | None) -> str:
        if message_id is None or message_id not in self.said:
            return ""
        who, text = self.said[message_id]
        return f"（回复 {who}「{snippet(names(text))}」）"

    async def say(
        self, who: int, text: str, *, at: str | None = None, reply_to: int | None = None, private: bool = False
    ) -> int:
        """One person speaks (at ``at`` o'clock); wait until the bot has said everything it has to say."""
        self.show_sent()
        if at:
            self.at(at)
        where = "（私聊）" if private else ""
        shown = names(text).replace("\n", "\n    ")
        print(f"\n[{self.now}] {PEOPLE[who]}{where}{self.quoting(reply_to)}：{shown}")
        start = self.qq.mark()
        if private:
            message_id = await self.qq.send_private_message(who, text, nickname=PEOPLE[who])
        else:
            message_id = await self.qq.send_group_message(GROUP, who, text, card=PEOPLE[who], reply_to=reply_to)
        self.said[message_id] = (PEOPLE[who], text)
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

    def render(self, sent: SentMessage) -> str:
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
        return f"  {BOT_NAME}{where}{self.quoting(sent.reply_to)}：{text}"


async def play(qq: OneBotClient, clock_file: Path) -> None:
    day = Day(qq, clock_file)
    print(f"—— {day.at('08:30')} 早上，管理员给大家设岗 ——")
    for qq_id, post in POSTS:
        qq.set_member(GROUP, qq_id, card=PEOPLE[qq_id])
        await day.say(SUPERUSER, f"/设岗 [CQ:at,qq={qq_id}] {post}")

    day.heading("09:10", "金陵建材要 30 吨水泥，款到发货")
    await day.say(20002, intake(JINLING, "款到发货", "P·O 42.5 普通硅酸盐水泥", "30吨", "420", "吨袋", "11月28日"))
    prepaid = day.last_number()
    await day.say(20011, "备好了", at="09:35", reply_to=day.instruction_to("车间", prepaid).message_id)
    await day.say(20021, f"/到账 {prepaid} 5000", at="09:50")
    await day.say(20021, f"/到账 {prepaid}", at="10:05")
    await day.say(20003, f"/派车 {prepaid} 苏A·3K512 李师傅 13905171126 600", at="10:10")
    await day.say(20002, f"/开单 {prepaid}", at="10:12")
    await day.say(20003, f"/发货 {prepaid} 30 SF1402638851", at="10:30")
    await day.say(20002, f"/已通知 {prepaid}", at="10:34")

    day.heading("10:40", "江北五金店要镀锌钢管，货到付款")
    await day.say(20004, intake(JIANGBEI, "货到付款", "镀锌钢管 DN50", "120根", "86", "捆扎", "明天"))
    cod = day.last_number()
    await day.say(20002, f"/开单 {cod}", at="10:45")
    await day.say(20011, f"/备货完成 {cod}", at="11:20")
    await day.say(20021, f"/放行 {cod}", at="11:22")
    await day.say(20003, f"/派车 {cod} 苏A·7M209 周师傅 13813954470", at="11:30")
    await day.say(20002, f"/开单 {cod}", at="11:32")
    await day.say(20003, f"/到货 {prepaid}", at="11:50")
    await day.say(20003, f"/发货 {cod}", at="13:05")
    await day.say(20003, f"/异常 {cod} 长江大桥堵车，预计晚到一小时", at="13:20")
    await day.say(20003, f"/异常解除 {cod}", at="13:45")
    await day.say(20003, f"/到货 {cod}", at="13:55")
    await day.say(20003, f"/代收 {cod} 10320", at="13:58")

    day.heading("14:00", "东方建设仙林项目要机制砂，月结")
    await day.say(20002, intake(DONGFANG, "月结", "机制砂（中砂）", "600吨", "95", "散装", "12月1日"))
    monthly = day.last_number()
    await day.say(20011, f"/缺货 {monthly} 机制砂库存只有400吨，剩下的下周一到", at="14:20")
    await day.say(20002, f"/改单 {monthly}\n数量：400吨", at="14:30")
    await day.say(20011, f"/备货完成 {monthly}", at="14:50")
    await day.say(20021, f"/放行 {monthly}", at="14:55")
    await day.say(20003, f"/派车 {monthly} 苏A·9L033 吴师傅 13584021907 1800", at="15:00")
    await day.say(20002, f"/开单 {monthly}", at="15:05")
    await day.say(20003, f"/发货 {monthly}", at="15:30")
    await day.say(20003, f"/到货 {monthly}", at="16:20")
    await day.say(20021, f"/代收入账 {cod}", at="16:40")
    await day.say(20021, f"/收款 {monthly} 20000 转账", at="16:50")

    day.heading("17:00", "目标、区域和跟进")
    month = f"{DAY:%Y-%m}"
    await day.say(20002, "/区域 业务员 张三 苏南 13800005555", private=True)
    await day.say(20002, "/客户 修改 金陵建材有限公司\n地区：苏南\n业务员：张三", at="17:05", private=True)
    await day.say(20001, f"/目标 {month} 10万", at="17:10")
    await day.say(20031, f"/目标 {month} 苏南 3万", at="17:12")
    await day.say(20004, "/跟进 金陵建材 电话回访，下月还要 50 吨水泥", at="17:15", private=True)

    day.heading("17:30", "下班前看看")
    await day.say(20011, "/目标")
    await day.say(20002, "/对账 金陵建材", at="17:31", private=True)
    await day.say(20001, "/看板")
    await day.say(20021, "/应收", at="17:32")
    await day.say(20002, f"/订单 {monthly}", at="17:35")
    await day.say(20031, "/月报", at="17:40")
    day.show_sent()


async def main() -> int:
    data = Path(tempfile.mkdtemp(prefix="xietong-demo-"))
    clock_file = data / "clock.txt"
    clock_file.write_text(datetime.combine(DAY, time(8, 30), LOCAL).isoformat(), "utf-8")
    print(f"启动协同（数据在 {data}）……")
    bot = BotProcess(data_dir=data, database="sqlite", log_level="WARNING", script="demo/clocked_bot.py",
                     extra_env={"XIETONG_DEMO_CLOCK": str(clock_file)})
    async with bot, bot.client() as qq:
        await play(qq, clock_file)
    print(f"\n演示结束。机器人的日志：{data / 'bot.log'}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
