"""Benchmark Xietong against the framework's own limit, over the real reverse WebSocket.

    .venv/bin/python bench/run.py            # the full run (seeds 10k/100k/1M orders once, then reuses them)
    .venv/bin/python bench/run.py --quick    # a short run: fewer messages, 10k and 100k orders only

The driver is a OneBot v11 implementation (tools/onebot_sim/) connected to the real bot process:

1. **echo** — bench/echo_bot.py, NoneBot + the OneBot adapter + one ``/echo`` command: the framework's limit;
2. **commands** — bot.py on a copy of the 10k-order book: read-only ``/订单 /看板 /待办`` (answered with
   ``send_msg``) and state-changing ``/接单 /备货完成 /收款`` (answered through the outbox with
   ``send_group_msg``, quoting the command). Each at a fixed offered rate (open loop) and at saturation
   (a fixed number of messages in flight, closed loop). Latency is from the event frame sent to the API call
   that carries its reply (matched by the quoted message id, or by content for unquoted answers);
   throughput is replies per second;
3. **reports** — ``/应收`` and ``/月报`` (until its summary is posted) on 10k, 100k and 1M orders
   (bench/seed.py), on SQLite and on PostgreSQL when ``--postgres`` (or ``XIETONG_BENCH_POSTGRES``) names a
   server; with start-up time (process start → listening) and peak RSS (VmHWM) of each bot process.

Results go to bench/results/ (JSON and a Markdown table); the table is printed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from bench import seed  # noqa: E402
from tools.onebot_sim import SELF_ID, BotExited, BotProcess, OneBotClient, SentMessage, first_message_id  # noqa: E402

GROUP = seed.GROUP
SUPERUSER = 10001
RESULTS = ROOT / "bench" / "results"
NUMBER = re.compile(r"D\d{6}-\d{3,4}")
AMOUNT = re.compile(r"([\d,]+(?:\.\d+)?) 元")  # the full amount, as /接单's answer states it

# Message ids unique across runs: a reused database remembers the ids it has handled (dedupe).
first_message_id(1_000_000_000 + (int(time.time()) % 50_000) * 20_000)


class StopPhase(Exception):
    """The workload has nothing more to send (e.g. no order left to answer for)."""


# ---------------------------------------------------------------------------------------------
# The bot process and the simulated QQ
# ---------------------------------------------------------------------------------------------


# The escalation round (every minute) posts a book's backlog of 催办 to the group in its first round, and
# the commands' answers then wait behind it in the group's order: quiet here, as the announcements are.
QUIET_REMINDERS = {"XIETONG_ESCALATE_AFTER": "3650d", "XIETONG_ESCALATE_DIRECTOR_AFTER": "3650d",
                   "XIETONG_TRANSIT_DAYS": "3650"}


class Bot(BotProcess):
    """A bot script started like the wire tests start bot.py, timed, with its peak RSS readable."""

    def __init__(self, script: str, database: str, data_dir: Path, profile: Path | None = None, **kwargs: Any):
        kwargs["extra_env"] = {**QUIET_REMINDERS, **kwargs.get("extra_env", {})}
        super().__init__(database=database, data_dir=data_dir, log_level="INFO", superusers=[str(SUPERUSER)],
                         groups=[GROUP], **kwargs)
        self.script = script
        self.startup_seconds = 0.0
        self.profile = profile  # py-spy's collapsed stacks of the whole life of the process, when set
        self.profiler: asyncio.subprocess.Process | None = None

    async def start(self) -> Bot:
        log = self._open_log()
        started = time.monotonic()
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, self.script, cwd=ROOT, env=self.env(), stdin=asyncio.subprocess.DEVNULL,
                stdout=log, stderr=asyncio.subprocess.STDOUT,
            )
        finally:
            log.close()
        while not await self._listening():
            if self.process.returncode is not None:
                raise BotExited(self.process.returncode, self.log_text())
            if time.monotonic() - started > self.startup_timeout:
                await self.kill()
                raise TimeoutError(f"{self.script} not listening; tail:\n{self.log_tail()}")
            await asyncio.sleep(0.01)
        self.startup_seconds = time.monotonic() - started
        if self.profile is not None:
            self.profiler = await asyncio.create_subprocess_exec(
                "py-spy", "record", "--gil", "--format", "raw", "--rate", "100", "--pid", str(self.process.pid),
                "--output", str(self.profile), stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
            )
        return self

    async def stop(self, timeout: float = 10.0) -> int | None:
        code = await super().stop(timeout)
        if self.profiler is not None:
            await self.profiler.wait()  # py-spy writes its file when the process ends
        return code

    def peak_rss_mb(self) -> float | None:
        """VmHWM: the most resident memory the process has had."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except (OSError, AttributeError):
            return None
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(found.group(1)) / 1024 if found else None


class Client(OneBotClient):
    """The simulator, telling the tracker of every message the bot sends as it is sent."""

    on_sent: Callable[[SentMessage], None] | None = None

    def _record_sent(self, *args: Any) -> int:
        message_id = super()._record_sent(*args)
        if self.on_sent is not None:
            self.on_sent(self.sent[-1])
        if len(self.sent) > 5000:  # a long run keeps no history it does not need
            del self.sent[:4000]
            self.calls.clear()
            self.events.clear()
        return message_id


@dataclass
class Waiter:
    message_id: int
    match: Callable[[SentMessage], bool]
    quoted: bool
    future: asyncio.Future[SentMessage]


class Tracker:
    """Pairs each command with the message that answers it."""

    def __init__(self) -> None:
        self.waiting: list[Waiter] = []
        self.unmatched: deque[str] = deque(maxlen=20)
        self.last_sent = time.monotonic()

    def expect(self, message_id: int, match: Callable[[SentMessage], bool], quoted: bool) -> asyncio.Future:
        future: asyncio.Future[SentMessage] = asyncio.get_running_loop().create_future()
        self.waiting.append(Waiter(message_id, match, quoted, future))
        return future

    def forget(self, future: asyncio.Future) -> None:
        self.waiting = [w for w in self.waiting if w.future is not future]

    def on_sent(self, sent: SentMessage) -> None:
        self.last_sent = time.monotonic()
        for index, waiter in enumerate(self.waiting):
            if (sent.reply_to == waiter.message_id if waiter.quoted else True) and waiter.match(sent):
                del self.waiting[index]
                if not waiter.future.done():
                    waiter.future.set_result(sent)
                return
        self.unmatched.append(sent.text[:80])

    async def quiet(self, seconds: float = 0.8, limit: float = 60.0) -> None:
        """Until the bot has sent nothing for ``seconds`` (the outbox has drained)."""
        deadline = time.monotonic() + limit
        while True:
            idle = time.monotonic() - self.last_sent
            if idle >= seconds or time.monotonic() >= deadline:
                return
            await asyncio.sleep(seconds - idle)


# ---------------------------------------------------------------------------------------------
# Workloads and phases
# ---------------------------------------------------------------------------------------------

Request = tuple[int, str, Callable[[SentMessage], bool], bool]  # user, text, match, quoted


@dataclass
class Workload:
    name: str
    kind: str  # echo | read | write
    next: Callable[[], Request]
    answered: Callable[[SentMessage], None] | None = None


def stats(latencies: list[float], started: float, ended: float, errors: int) -> dict[str, Any]:
    ordered = sorted(latencies)

    def pct(p: float) -> float | None:
        if not ordered:
            return None
        return round(ordered[min(len(ordered) - 1, max(0, int(p / 100 * len(ordered) + 0.5) - 1))] * 1000, 2)

    elapsed = max(ended - started, 1e-9)
    return {"messages": len(ordered), "errors": errors, "seconds": round(elapsed, 3),
            "throughput": round(len(ordered) / elapsed, 1), "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99)}


def slowest(done: list[tuple[float, float]], keep: int = 5) -> list[dict[str, Any]]:
    """The phase's slowest messages, each with the wall-clock time it was sent: to be found again in the
    database server's log (a tail is explained by what the server and the bot did at that moment)."""
    to_wall = time.time() - time.monotonic()
    worst = sorted(done, key=lambda pair: pair[0] - pair[1])[:keep]
    return [{"sent": datetime.fromtimestamp(sent + to_wall, timezone.utc).strftime("%H:%M:%S.%f")[:-3],
             "ms": round((answered - sent) * 1000, 1)} for sent, answered in worst]


class Stalls:
    """Where the driver itself stopped: a tail it causes (its loop late to send, or to answer the bot's
    calls) is not the bot's. Its event loop's lateness over 10 ms, and its own garbage collections."""

    def __init__(self) -> None:
        self.seen: list[tuple[float, float, str]] = []  # (monotonic start, ms, what)
        self._gc_started = 0.0

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.monotonic()
        elif (ms := (time.monotonic() - self._gc_started) * 1000) > 5:
            self.seen.append((self._gc_started, ms, f"gc{info['generation']}"))

    async def watch(self) -> None:
        gc.callbacks.append(self._on_gc)
        try:
            while True:
                before = time.monotonic()
                await asyncio.sleep(0.002)
                if (late := (time.monotonic() - before - 0.002) * 1000) > 10:
                    self.seen.append((before, late, "loop"))
        finally:
            gc.callbacks.remove(self._on_gc)

    def between(self, start: float, end: float) -> list[dict[str, Any]]:
        to_wall = time.time() - time.monotonic()
        return [{"at": datetime.fromtimestamp(at + to_wall, timezone.utc).strftime("%H:%M:%S.%f")[:-3],
                 "ms": round(ms, 1), "what": what} for at, ms, what in self.seen if start <= at <= end]


STALLS = Stalls()


@contextmanager
def driver_collections_held() -> Iterator[None]:
    """No garbage collection in the driver during a measured phase: a full collection of its heap (every
    answer recorded so far) stopped it for 60–280 ms, late to send and late to answer the bot's calls, and
    the tail was counted against whichever bot was measured then (round 5). The bot's own collections
    are not touched: they are part of what it costs."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def machine_ticks() -> tuple[int, int] | None:
    """The machine's stolen and total CPU ticks so far (/proc/stat): on a virtual machine the hypervisor may
    give the cores to another guest for a while, which stops the bot and the driver alike."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    return (fields[7] if len(fields) > 7 else 0), sum(fields[:8])


def steal_pct(before: tuple[int, int] | None) -> float | None:
    """The share of the machine's CPU time the hypervisor took since ``before`` (top's ``st``)."""
    after = machine_ticks()
    if before is None or after is None or after[1] == before[1]:
        return None
    return round(100 * (after[0] - before[0]) / (after[1] - before[1]), 1)


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time the process has used so far (/proc/<pid>/stat), or None where unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except (OSError, TypeError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Driver:
    def __init__(self, client: Client, timeout: float, pid: int | None = None):
        self.client = client
        self.tracker = Tracker()
        self.timeout = timeout
        self.pid = pid  # the bot's: CPU per message at saturation, which the machine's load hardly moves
        client.on_sent = self.tracker.on_sent

    async def one(self, workload: Workload, request: Request | None = None) -> tuple[float, float | None]:
        user, message, match, quoted = request or workload.next()
        message_id = self.client.next_message_id()
        future = self.tracker.expect(message_id, match, quoted)
        sent_at = time.monotonic()
        await self.client.send_group_message(GROUP, user, message, message_id=message_id)
        try:
            answer = await asyncio.wait_for(future, self.timeout)
        except asyncio.TimeoutError:
            self.tracker.forget(future)
            return sent_at, None
        if workload.answered:
            workload.answered(answer)
        return sent_at, answer.at

    async def at_rate(self, workload: Workload, rate: float, seconds: float) -> dict[str, Any]:
        """Open loop: one message every 1/rate seconds, whatever the answers do."""
        start = time.monotonic()
        tasks = []
        for index in range(int(rate * seconds)):
            delay = start + index / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                request = workload.next()
            except StopPhase:
                break
            tasks.append(asyncio.create_task(self.one(workload, request)))
            await asyncio.sleep(0)
        return self._summary(await asyncio.gather(*tasks), start) | {"offered_rate": rate}

    async def saturate(self, workload: Workload, concurrency: int, seconds: float, limit: int) -> dict[str, Any]:
        """Closed loop: ``concurrency`` messages always in flight, for ``seconds`` or ``limit`` messages."""
        start = time.monotonic()
        results: list[tuple[float, float | None]] = []
        budget = itertools.count()

        async def worker() -> None:
            while time.monotonic() - start < seconds and next(budget) < limit:
                try:
                    results.append(await self.one(workload))
                except StopPhase:
                    return

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return self._summary(results, start) | {"concurrency": concurrency}

    @staticmethod
    def _summary(results: list[tuple[float, float | None]], start: float) -> dict[str, Any]:
        done = [(sent, answered) for sent, answered in results if answered is not None]
        ended = max((answered for _, answered in done), default=start)
        return stats([answered - sent for sent, answered in done], start, ended, len(results) - len(done)) | {
            "slowest": slowest(done)}

    async def measure(self, workload: Workload, plan: Plan, log: Callable[[str], None]) -> dict[str, Any]:
        for _ in range(plan.warmup):
            await self.one(workload)
        await self.tracker.quiet(plan.quiet_seconds)
        with driver_collections_held():
            started, ticks = time.monotonic(), machine_ticks()  # after the collection that begins a phase
            rate = await self.at_rate(workload, plan.rate, plan.rate_seconds)
        rate["driver_stalls"] = STALLS.between(started, time.monotonic())
        rate["steal_pct"] = steal_pct(ticks)
        log(f"  {workload.name:6} @{plan.rate:g}/s: {_brief(rate)}")
        await self.tracker.quiet(plan.quiet_seconds)
        cpu_before = cpu_seconds(self.pid)
        with driver_collections_held():
            ticks = machine_ticks()
            saturated = await self.saturate(workload, plan.concurrency, plan.saturation_seconds,
                                            plan.saturation_limit)
            saturated["steal_pct"] = steal_pct(ticks)
        await self.tracker.quiet(plan.quiet_seconds)  # the outbox's work for these messages counts too
        cpu_after = cpu_seconds(self.pid)
        if cpu_before is not None and cpu_after is not None and saturated["messages"]:
            saturated["cpu_ms"] = round(1000 * (cpu_after - cpu_before) / saturated["messages"], 2)
        log(f"  {workload.name:6} ×{plan.concurrency}: {_brief(saturated)}")
        await self.tracker.quiet(plan.quiet_seconds)
        if self.tracker.unmatched:
            log(f"    (unmatched bot messages, e.g. {list(self.tracker.unmatched)[-3:]!r})")
            self.tracker.unmatched.clear()
        return {"kind": workload.kind, "rate": rate, "saturation": saturated}


def _brief(result: dict[str, Any]) -> str:
    cpu = f", CPU {result['cpu_ms']} ms/msg" if "cpu_ms" in result else ""
    steal = f", {result['steal_pct']} % stolen" if result.get("steal_pct") else ""
    return (f"{result['throughput']:8.1f} msg/s  p50 {result['p50_ms']} ms  p95 {result['p95_ms']} ms  "
            f"p99 {result['p99_ms']} ms  ({result['messages']} answered, {result['errors']} timed out{cpu}{steal})")


@dataclass
class Plan:
    rate: float = 20.0
    rate_seconds: float = 10.0
    concurrency: int = 16
    saturation_seconds: float = 8.0
    saturation_limit: int = 100_000
    warmup: int = 20
    report_repeats: int = 3
    sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)
    timeout: float = 30.0
    workloads: tuple[str, ...] = ()  # command names without the slash; empty: all
    quiet_seconds: float = 0.8  # between phases: until the bot has sent nothing for this long

    @classmethod
    def quick(cls) -> Plan:
        return cls(rate_seconds=4, saturation_seconds=3, warmup=10, report_repeats=2, sizes=(10_000, 100_000))

    @classmethod
    def smoke(cls) -> Plan:
        return cls(rate_seconds=0.5, saturation_seconds=0.5, concurrency=4, saturation_limit=10, warmup=2,
                   report_repeats=1, sizes=(1_000,), timeout=15, quiet_seconds=0.2)


# ---------------------------------------------------------------------------------------------
# What is measured
# ---------------------------------------------------------------------------------------------


def echo_workload() -> Workload:
    counter = itertools.count()

    def make() -> Request:
        token = f"e{next(counter)}x"
        return SUPERUSER, f"/echo {token}", lambda m, t=token: m.text == t, False

    return Workload("/echo", "echo", make)


def is_direct(prefix: str) -> Callable[[SentMessage], bool]:
    return lambda m: m.action == "send_msg" and m.text.startswith(prefix)


def intake_text(customer: str, tons: int) -> str:
    """Each /接单 of a run its own quantity: since issue 13 the same order twice in a day is asked about, not taken."""
    return (f"/接单\n客户：{customer}\n品名：P.O 42.5 水泥\n数量：{tons}吨\n单价：420\n付款方式：款到发货\n"
            "收货人：王工\n电话：13800000000\n地址：南京市江宁区天元路1号\n包装：吨袋")


TODO_HEADERS = {seed.WORKSHOP: "【车间】", seed.FINANCE: "【财务】", seed.LOGISTICS: "【物流】", seed.CS: "【客服】"}


class Commands:
    """The Xietong workloads: what each command says and how its answer is recognised."""

    def __init__(self, numbers: list[str], customers: list[str]):
        self.rng = random.Random(1)
        self.numbers = numbers
        self.customers = customers
        self.to_stock: deque[str] = deque()
        self.to_pay: deque[tuple[str, str]] = deque()  # (order number, its amount in yuan)
        self.tons = itertools.count(30)
        self.todo_users = itertools.cycle((seed.WORKSHOP, seed.FINANCE, seed.LOGISTICS, seed.CS))

    def read(self) -> list[Workload]:
        def show() -> Request:
            number = self.rng.choice(self.numbers)
            return seed.CS, f"/订单 {number}", is_direct(f"订单 {number}"), False

        def board() -> Request:
            return seed.CS, "/看板", is_direct("看板"), False

        def todo() -> Request:  # its own header: a long answer's later parts must not answer the next /待办
            user = next(self.todo_users)
            return user, "/待办", is_direct(TODO_HEADERS[user]), False

        return [Workload("/订单", "read", show), Workload("/看板", "read", board), Workload("/待办", "read", todo)]

    def write(self) -> list[Workload]:
        def intake() -> Request:
            text = intake_text(self.rng.choice(self.customers), next(self.tons))
            return seed.CS, text, lambda m: "已登记订单" in m.text, True

        def registered(answer: SentMessage) -> None:
            number, amount = NUMBER.search(answer.text), AMOUNT.search(answer.text)
            if number and amount:
                self.to_stock.append(number.group())
                self.to_pay.append((number.group(), amount.group(1).replace(",", "")))

        def stock_done() -> Request:
            if not self.to_stock:
                raise StopPhase
            number = self.to_stock.popleft()
            return seed.WORKSHOP, f"/备货完成 {number}", lambda m, n=number: n in m.text, True

        def payment() -> Request:
            if not self.to_pay:
                raise StopPhase
            number, amount = self.to_pay.popleft()
            return seed.FINANCE, f"/收款 {number} {amount} 网银", lambda m, n=number: n in m.text, True

        return [
            Workload("/接单", "write", intake, registered),
            Workload("/备货完成", "write", stock_done),
            Workload("/收款", "write", payment),
        ]


async def book_sample(url: str) -> tuple[list[str], list[str]]:
    """Order numbers and customer names of a seeded book."""
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            numbers = list(await conn.scalars(text("SELECT number FROM sales_order ORDER BY id DESC LIMIT 2000")))
            customers = list(await conn.scalars(text("SELECT name FROM customer ORDER BY id LIMIT 40")))
    finally:
        await engine.dispose()
    return numbers, customers


@dataclass
class Database:
    backend: str
    url: str
    cleanup: Callable[[], Any] | None = None


async def scratch_copy(orders: int, backend: str, server: str | None, workdir: Path) -> Database:
    """A throw-away copy of the seeded book, for commands that change it."""
    if backend == "sqlite":
        source = await asyncio.to_thread(seed.seed_sqlite, orders)
        target = workdir / "commands.db"
        shutil.copyfile(source, target)
        return Database("sqlite", f"sqlite+aiosqlite:///{target}")
    assert server is not None
    template = await seed.seed_postgres(orders, server)
    name = f"xietong_bench_run_{uuid.uuid4().hex[:8]}"
    await seed._admin(server, f'CREATE DATABASE "{name}" TEMPLATE "{make_url(template).database}"')
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    return Database("postgresql", url, lambda: seed._admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def seeded(orders: int, backend: str, server: str | None) -> Database:
    if backend == "sqlite":
        return Database("sqlite", f"sqlite+aiosqlite:///{await asyncio.to_thread(seed.seed_sqlite, orders)}")
    assert server is not None
    return Database("postgresql", await seed.seed_postgres(orders, server))


class Run:
    def __init__(self, plan: Plan, backends: list[str], server: str | None, log: Callable[[str], None],
                 profile_dir: Path | None = None):
        self.profile_dir = profile_dir
        self.plan = plan
        self.backends = backends
        self.server = server
        self.log = log
        self.workdir = Path(tempfile.mkdtemp(prefix="xietong-bench-"))

    def bot(self, script: str, database: str, name: str) -> Bot:
        profile = self.profile_dir / f"{name}.txt" if self.profile_dir else None
        return Bot(script, database, self.workdir / name, profile)

    async def echo(self) -> dict[str, Any]:
        self.log("echo: bench/echo_bot.py")
        bot = self.bot("bench/echo_bot.py", f"sqlite+aiosqlite:///{self.workdir / 'echo.db'}", "echo")
        async with bot:
            async with Client(bot.ws_url, token=bot.token, self_id=SELF_ID) as client:
                driver = Driver(client, self.plan.timeout, bot.process.pid)
                result = await driver.measure(echo_workload(), self.plan, self.log)
            result |= {"startup_s": round(bot.startup_seconds, 2), "peak_rss_mb": bot.peak_rss_mb()}
        return result

    async def commands(self, backend: str) -> dict[str, Any]:
        orders = min(10_000, min(self.plan.sizes))
        database = await scratch_copy(orders, backend, self.server, self.workdir)
        self.log(f"commands on {backend}, a copy of the {orders:,}-order book")
        try:
            numbers, customers = await book_sample(database.url)
            workloads = Commands(numbers, customers)
            bot = self.bot("bot.py", database.url, f"commands-{backend}")
            results: dict[str, Any] = {}
            async with bot:
                async with Client(bot.ws_url, token=bot.token, self_id=SELF_ID) as client:
                    driver = Driver(client, self.plan.timeout, bot.process.pid)
                    for workload in workloads.read() + workloads.write():
                        if self.plan.workloads and workload.name.lstrip("/") not in self.plan.workloads:
                            continue
                        results[workload.name] = await driver.measure(workload, self.plan, self.log)
                results["peak_rss_mb"] = bot.peak_rss_mb()
            return results
        finally:
            if database.cleanup:
                await database.cleanup()

    async def reports(self, backend: str, orders: int) -> dict[str, Any]:
        database = await seeded(orders, backend, self.server)
        bot = self.bot("bot.py", database.url, f"reports-{backend}-{orders}")
        timings: dict[str, list[float]] = {"/应收": [], "/月报": [], "/看板": [], "/待办": []}
        async with bot:
            async with Client(bot.ws_url, token=bot.token, self_id=SELF_ID) as client:
                driver = Driver(client, max(self.plan.timeout, 120))
                asks = {
                    "/应收": Workload("/应收", "read", lambda: (seed.FINANCE, "/应收", is_direct("应收"), False)),
                    "/月报": Workload("/月报", "write", lambda: (20171, "/月报", lambda m: "【月销量报表】" in m.text,
                                                             False)),
                    "/看板": Workload("/看板", "read", lambda: (seed.CS, "/看板", is_direct("看板"), False)),
                    "/待办": Workload("/待办", "read", lambda: (seed.FINANCE, "/待办", is_direct("【财务】"), False)),
                }
                first = await driver.one(asks["/看板"])
                for _ in range(self.plan.report_repeats):
                    for name, workload in asks.items():
                        sent, answered = await driver.one(workload)
                        if answered is not None:
                            timings[name].append(answered - sent)
                        await driver.tracker.quiet(min(self.plan.quiet_seconds, 0.3))
            peak_rss = bot.peak_rss_mb()
        result = {
            name: {"median_s": round(sorted(t)[len(t) // 2], 3), "max_s": round(max(t), 3), "runs": len(t)}
            if t else None
            for name, t in timings.items()
        }
        result |= {
            "startup_s": round(bot.startup_seconds, 2),
            "first_answer_s": round(first[1] - first[0], 3) if first[1] else None,
            "peak_rss_mb": peak_rss,
        }
        self.log(f"  {backend} {orders:>9,} orders: " + "  ".join(
            f"{k} {v['median_s']}s" for k, v in result.items() if isinstance(v, dict) and v)
            + f"  start-up {result['startup_s']}s  peak RSS {result['peak_rss_mb']:.0f} MB")
        return result

    async def all(self, parts: set[str]) -> dict[str, Any]:
        results: dict[str, Any] = {"machine": await machine(self.server), "plan": self.plan.__dict__}
        watcher = asyncio.create_task(STALLS.watch())
        try:
            if "echo" in parts:
                results["echo"] = await self.echo()
            if "commands" in parts:
                results["commands"] = {backend: await self.commands(backend) for backend in self.backends}
            if "reports" in parts:
                results["reports"] = {}
                for backend in self.backends:
                    self.log(f"reports on {backend}")
                    for orders in self.plan.sizes:
                        results["reports"].setdefault(backend, {})[str(orders)] = await self.reports(backend, orders)
        finally:
            results["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]
            watcher.cancel()
            shutil.rmtree(self.workdir, ignore_errors=True)
        return results


def _proc(name: str) -> str:
    return Path("/proc", name).read_text()


async def machine(server: str | None) -> dict[str, Any]:
    memory = re.search(r"MemTotal:\s+(\d+)", _proc("meminfo"))
    cpu = re.search(r"model name\s*:\s*(.+)", _proc("cpuinfo"))
    info = {
        "cores": os.cpu_count(),
        "cpu": cpu.group(1).strip() if cpu else platform.processor(),
        "memory_gb": round(int(memory.group(1)) / 2**20, 1) if memory else None,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": None,
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }
    if server:
        engine = create_async_engine(server, poolclass=NullPool)
        try:
            async with engine.connect() as conn:
                info["postgresql"] = (await conn.scalar(text("SHOW server_version"))).split()[0]
        finally:
            await engine.dispose()
    return info


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}, SQLite {m['sqlite']}"
        + (f", PostgreSQL {m['postgresql']}" if m.get("postgresql") else "")
        + f"; load average {m['load_before'][0]} before, {m.get('load_after', ['?'])[0]} after ({m['when']}).",
        "",
    ]
    echo = results.get("echo")
    echo_rate = echo["saturation"]["throughput"] if echo else None
    echo_cpu = echo["saturation"].get("cpu_ms") if echo else None

    def cpu(sat: dict[str, Any]) -> str:
        if sat.get("cpu_ms") is None:
            return "—"
        return f"{sat['cpu_ms']:.1f}" + (f" ({echo_cpu / sat['cpu_ms']:.2f})" if echo_cpu else "")

    if echo or results.get("commands"):
        lines += [
            "| workload | backend | @20 msg/s: p50 / p95 / p99 ms | saturation: msg/s | ratio to echo | "
            "saturation p50 / p95 / p99 ms | CPU ms/msg (echo's ÷ this) |",
            "|---|---|---|---|---|---|---|",
        ]
        if echo:
            rate, sat = echo["rate"], echo["saturation"]
            lines.append(
                f"| /echo (bare NoneBot) | — | {_ms(rate['p50_ms'])} / {_ms(rate['p95_ms'])} / {_ms(rate['p99_ms'])} | "
                f"{sat['throughput']:.0f} | 1.00 | {_ms(sat['p50_ms'])} / {_ms(sat['p95_ms'])} / {_ms(sat['p99_ms'])} | "
                f"{cpu(sat)} |"
            )
        for backend, by_command in results.get("commands", {}).items():
            for name, result in by_command.items():
                if not isinstance(result, dict) or "rate" not in result:
                    continue
                rate, sat = result["rate"], result["saturation"]
                errors = rate["errors"] + sat["errors"]
                ratio = f"{sat['throughput'] / echo_rate:.2f}" if echo_rate else "—"
                lines.append(
                    f"| {name} ({result['kind']}) | {backend} | "
                    f"{_ms(rate['p50_ms'])} / {_ms(rate['p95_ms'])} / {_ms(rate['p99_ms'])} | "
                    f"{sat['throughput']:.0f} | {ratio} | "
                    f"{_ms(sat['p50_ms'])} / {_ms(sat['p95_ms'])} / {_ms(sat['p99_ms'])} | {cpu(sat)} |"
                    + (f" {errors} timed out" if errors else "")
                )
        lines.append("")
    reports = results.get("reports", {})
    if reports:
        lines += ["| backend | orders | /应收 s (median / max) | /月报 s (median / max) | /看板 s | /待办 (财务) s | "
                  "start-up s | peak RSS MB |", "|---|---|---|---|---|---|---|---|"]
        for backend, by_size in reports.items():
            for orders, r in by_size.items():
                def cell(name: str, r: dict[str, Any] = r) -> str:
                    v = r.get(name)
                    return f"{v['median_s']:.3f} / {v['max_s']:.3f}" if v else "—"

                def median(name: str, r: dict[str, Any] = r) -> str:
                    return f"{r[name]['median_s']:.3f}" if r.get(name) else "—"

                lines.append(f"| {backend} | {int(orders):,} | {cell('/应收')} | {cell('/月报')} | {median('/看板')} | "
                             f"{median('/待办')} | {r['startup_s']} | {r['peak_rss_mb']:.0f} |")
        lines.append("")
    if echo:
        lines.append(f"Echo bot: start-up {echo['startup_s']} s, peak RSS {echo['peak_rss_mb']:.0f} MB.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short phases, 10k and 100k orders")
    parser.add_argument("--smoke", action="store_true", help="a handful of messages, 1,000 orders (for the tests)")
    parser.add_argument("--postgres", default=os.environ.get("XIETONG_BENCH_POSTGRES"),
                        help="postgresql+asyncpg:// URL of a server where databases may be created")
    parser.add_argument("--only", default="echo,commands,reports", help="parts to run: echo,commands,reports")
    parser.add_argument("--sizes", help="order-book sizes for the reports, e.g. 10000,100000")
    parser.add_argument("--concurrency", type=int, help="messages in flight at saturation")
    parser.add_argument("--commands", help="only these commands, e.g. 接单,备货完成 (the writes need 接单 first)")
    parser.add_argument("--output", type=Path, help="write the JSON results here")
    parser.add_argument("--render", type=Path, metavar="JSON", help="only print the table of earlier results")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="record each bot with py-spy (collapsed stacks in DIR; figures are then slower)")
    args = parser.parse_args(argv)
    if args.render:
        results = json.loads(args.render.read_text())
        print(render(results))
        return results
    plan = Plan.smoke() if args.smoke else Plan.quick() if args.quick else Plan()
    if args.sizes:
        plan.sizes = tuple(int(s) for s in args.sizes.split(","))
    if args.concurrency:
        plan.concurrency = args.concurrency
    if args.commands:
        plan.workloads = tuple(args.commands.split(","))
    backends = ["sqlite"] + (["postgresql"] if args.postgres else [])

    def log(line: str) -> None:
        print(line, flush=True)

    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    run = Run(plan, backends, args.postgres, log, args.profile)
    results = asyncio.run(run.all(set(args.only.split(","))))
    table = render(results)
    output = args.output or RESULTS / time.strftime("%Y%m%d-%H%M%S.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    output.with_suffix(".md").write_text(table + "\n")
    print("\n" + table)
    print(f"\nresults: {output}")
    return results


if __name__ == "__main__":
    main()
