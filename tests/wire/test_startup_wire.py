"""First run over the wire: settings written as people write them, and no .env at all (docker, systemd)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from tools.onebot_sim import REPO_ROOT, SELF_ID, SUPERUSER, BotProcess

OTHER_GROUP = 9002


async def test_obvious_spellings_and_defaults_in_code_make_a_working_bot(tmp_path: Path) -> None:
    bot = BotProcess(
        data_dir=tmp_path,
        extra_env={"SUPERUSERS": "[10001]", "XIETONG_GROUPS": f"9001,{OTHER_GROUP}"},
        without=("COMMAND_START", "COMMAND_SEP", "DRIVER"),  # as with environment variables and no .env
    )
    async with bot, bot.client() as qq:
        start = qq.mark()
        asked = await qq.send_group_message(OTHER_GROUP, SUPERUSER, "／岗位")  # full-width slash, second group
        answer = await qq.wait_for_sent(lambda m: m.reply_to == asked or m.text.startswith("主任："), start=start)
        assert answer.target == OTHER_GROUP and answer.text.startswith("主任：")

        mark = qq.mark()
        await qq.send_private_message(SUPERUSER, "/状态")
        status = await qq.wait_for_sent("协同运行状态", start=mark)
        assert f"QQ：已连接（{SELF_ID}）" in status.text and "待发消息 0 条" in status.text

        check = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "xietong.core.check", cwd=REPO_ROOT, env=bot.env(),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )
        output = (await check.communicate())[0].decode()
        assert check.returncode == 0, output
        assert "✓ 设置没有问题" in output and "SUPERUSERS=[\"10001\"]" in output
        assert "ONEBOT_ACCESS_TOKEN=***" in output and "wire-secret" not in output
        assert f"✓ QQ（{SELF_ID}）最后联系" in output
