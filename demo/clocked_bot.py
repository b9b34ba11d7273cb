"""bot.py on the demo's clock: the local time the demo writes into the file named by
``XIETONG_DEMO_CLOCK``, running on from the moment it was written. The transcript's headers and the
times the bot shows (timelines, due dates) then tell the same day."""

from __future__ import annotations

import os
import runpy
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xietong.core import clock  # noqa: E402

CLOCK_FILE = Path(os.environ["XIETONG_DEMO_CLOCK"])


def demo_now() -> datetime:
    written = CLOCK_FILE.stat().st_mtime
    start = datetime.fromisoformat(CLOCK_FILE.read_text("utf-8").strip())  # aware: +08:00
    return (start + timedelta(seconds=time.time() - written)).astimezone(timezone.utc)


clock.set_clock(demo_now)
runpy.run_path(str(ROOT / "bot.py"), run_name="__main__")
