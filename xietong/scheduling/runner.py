"""Everything the scheduler runs, configured once from the settings; the chat side only times it.

``announce(name, now)`` is what the timer fires at a due instant and what the start-up catch-up calls:
both post the latest due period when it is at most ``XIETONG_CATCHUP`` old and still unclaimed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from xietong.core import clock
from xietong.core.outbox import Target

from .announce import Outcome, Post, SelfPosting, announce_due, announce_self_posting
from .brief import meeting_posts
from .digest import collection_posts
from .escalate import Rules, escalate
from .meetings import coordination_posts, quarter_posts
from .pace import pace_posts
from .periods import Schedule, schedules
from .workdays import WorkCalendar

log = logging.getLogger("xietong.scheduling")

BuildAt = Callable[[AsyncSession, datetime], Awaitable[Sequence[Post]]]

BUILDERS: dict[str, BuildAt] = {
    "meeting": meeting_posts,
    "collection": collection_posts,
    "quarter": quarter_posts,
    "coordination": coordination_posts,
    "pace": pace_posts,
}


@dataclass
class Runner:
    schedules: list[Schedule]
    calendar: WorkCalendar
    rules: Rules
    catchup: timedelta
    target: Target | None  # where announcements go: the first of XIETONG_GROUPS
    builders: dict[str, BuildAt] = field(default_factory=lambda: dict(BUILDERS))
    self_posting: dict[str, SelfPosting] = field(default_factory=dict)  # the chat side adds the monthly report

    @classmethod
    def from_settings(cls, settings) -> Runner:
        group = settings.primary_group
        runner = cls(
            schedules=schedules(settings),
            calendar=WorkCalendar.from_settings(settings),
            rules=Rules.from_settings(settings),
            catchup=settings.xietong_catchup,
            target=Target.group(group) if group else None,
        )
        runner.builders["meeting"] = partial(meeting_posts, dormant_days=settings.xietong_dormant_days)
        return runner

    def schedule(self, name: str) -> Schedule:
        return next(s for s in self.schedules if s.name == name)

    @property
    def announced(self) -> list[Schedule]:
        """The schedules this runner can post (the report only once the chat side has wired it in)."""
        return [s for s in self.schedules if s.name in self.builders or s.name in self.self_posting]

    async def announce(self, name: str, now: datetime | None = None) -> Outcome | None:
        if self.target is None:
            log.warning("XIETONG_GROUPS is empty: %s not posted", name)
            return None
        if name in self.self_posting:
            return await announce_self_posting(
                self.schedule(name),
                now or clock.now(),
                within=self.catchup,
                calendar=self.calendar,
                post=self.self_posting[name],
            )
        return await announce_due(
            self.schedule(name),
            now or clock.now(),
            within=self.catchup,
            calendar=self.calendar,
            target=self.target,
            build=self.builders[name],
        )

    async def catch_up(self, now: datetime | None = None) -> list[Outcome]:
        """At start-up: post whatever fell due while the bot was down (within the catch-up window)."""
        now = now or clock.now()
        outcomes = []
        for schedule in self.announced:
            outcome = await self.announce(schedule.name, now)
            if outcome is not None:
                outcomes.append(outcome)
        return outcomes

    async def escalate(self, now: datetime | None = None) -> list[str]:
        return await escalate(now or clock.now(), self.rules, self.calendar, self.target)

    def next_runs(self, now: datetime | None = None) -> list[tuple[Schedule, datetime | None]]:
        now = now or clock.now()
        return [(s, s.next_due(now, self.calendar)) for s in self.schedules]
