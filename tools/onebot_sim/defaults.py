"""The deployment the simulator runs, unless the caller says otherwise."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
WS_PATH = "/onebot/v11/ws"

TOKEN = "wire-secret"
GROUP = 9001
SUPERUSER = 10001
SELF_ID = 80000001

# Scheduled announcements (SPEC §7) out of the way: a wire test's group reads only what the test caused,
# not a meeting or monthly report the bot catches up on at start-up because the suite happens to run
# within XIETONG_CATCHUP of its time. A test of the announcements passes its own values in ``extra_env``.
QUIET_SCHEDULES = {
    "XIETONG_MEETING_CRON": "0 3 1 1 *",
    "XIETONG_COLLECTION_CRON": "0 3 1 1 *",
    "XIETONG_REPORT_CRON": "0 3 1 1 *",
    "XIETONG_WORKDAYS_ONLY": "false",
    "XIETONG_CATCHUP": "1s",
}
