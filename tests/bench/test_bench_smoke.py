"""The benchmark driver runs end to end against the real bot and produces figures (no time is asserted)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bench import run


async def test_driver_produces_figures(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    results = await asyncio.to_thread(run.main, ["--smoke", "--output", str(output)])

    assert json.loads(output.read_text()) == json.loads(json.dumps(results))
    echo = results["echo"]
    assert echo["saturation"]["messages"] > 0 and echo["saturation"]["throughput"] > 0
    commands = results["commands"]["sqlite"]
    for name in ("/订单", "/看板", "/待办", "/接单", "/备货完成", "/收款"):
        assert commands[name]["rate"]["messages"] > 0, name
        assert commands[name]["saturation"]["p50_ms"] is not None, name
        slowest = commands[name]["rate"]["slowest"]  # to be found again in a server's log by the time sent
        assert 0 < len(slowest) <= 5 and slowest[0]["ms"] == max(s["ms"] for s in slowest), name
        assert isinstance(commands[name]["rate"]["driver_stalls"], list), name
    report = results["reports"]["sqlite"]["1000"]
    assert report["/应收"]["runs"] == 1 and report["/月报"]["runs"] == 1
    assert report["startup_s"] > 0 and report["peak_rss_mb"] > 0
    assert "| /echo (bare NoneBot) |" in output.with_suffix(".md").read_text()
