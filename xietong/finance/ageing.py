"""Ageing of receivables and DSO as pure arithmetic (SPEC §4): no database, no chat.

A receivable is an order whose sales slip is issued (the goods leave: 已开单, 已发货, 已到货) and whose
payments do not yet cover its amount; what it still owes is ``amount − paid``. An unpaid 款到发货 order
before its slip is no receivable: it waits for prepayment (待收预付款), is never 逾期 and stays out of the
ageing and DSO. Its age is the number of days past its due date
(``Order.receivable_due``), and it falls into exactly one bucket:

=========  ==========================================================================
未到期      not yet due (due today or later), **or no due date yet**: 货到付款 and 月结
           orders get theirs on delivery (月结: + credit days), so between the slip and the
           delivery they are owed but never overdue; 款到发货 is due on its slip day
1-30       1 to 30 days past due
31-60      31 to 60 days past due
61-90      61 to 90 days past due
90+        more than 90 days past due
=========  ==========================================================================

Because every receivable lands in exactly one bucket, the buckets always sum to the total outstanding.
The SQL in :mod:`xietong.finance.receivables` builds its ``CASE`` from :func:`cutoffs`, so the database
and this module cannot disagree about a boundary (the tests compare the two on random ledgers).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .messages import AGEING_LABELS as LABELS

UPPER_DAYS = (0, 30, 60, 90)
"""Inclusive upper bound, in days past due, of every bucket but the last."""

DSO_PERIOD_DAYS = 90


def days_past_due(due: date | None, today: date) -> int | None:
    """Days since the due date (negative: not yet due); None when there is no due date yet."""
    return None if due is None else (today - due).days


def is_overdue(due: date | None, today: date) -> bool:
    return due is not None and due < today


def bucket_of(due: date | None, today: date) -> int:
    """Index into :data:`LABELS` of a receivable due on ``due``."""
    days = days_past_due(due, today)
    if days is None:
        return 0
    for index, upper in enumerate(UPPER_DAYS):
        if days <= upper:
            return index
    return len(LABELS) - 1


def cutoffs(today: date) -> tuple[date, ...]:
    """The earliest due date of each bucket but the last: due ≥ cutoffs[i] (and not in an earlier
    bucket) puts a receivable in bucket i; due < cutoffs[-1] puts it in 90+."""
    return tuple(today - timedelta(days=upper) for upper in UPPER_DAYS)


@dataclass(frozen=True)
class Ageing:
    """Outstanding fen per bucket, in the order of :data:`LABELS`."""

    amounts: tuple[int, ...] = (0,) * len(LABELS)

    def __post_init__(self) -> None:
        if len(self.amounts) != len(LABELS):
            raise ValueError(f"ageing needs {len(LABELS)} buckets, got {len(self.amounts)}")

    @property
    def total(self) -> int:
        return sum(self.amounts)

    @property
    def overdue(self) -> int:
        return self.total - self.amounts[0]

    def __add__(self, other: Ageing) -> Ageing:
        return Ageing(tuple(a + b for a, b in zip(self.amounts, other.amounts, strict=True)))

    def items(self) -> list[tuple[str, int]]:
        return list(zip(LABELS, self.amounts, strict=True))


def age(receivables: Iterable[tuple[date | None, int]], today: date) -> Ageing:
    """Bucket ``(due date, outstanding fen)`` pairs; nothing owed (≤ 0: paid up or overpaid) is no receivable."""
    amounts = [0] * len(LABELS)
    for due, outstanding in receivables:
        if outstanding > 0:
            amounts[bucket_of(due, today)] += outstanding
    return Ageing(tuple(amounts))


def dso_days(outstanding_fen: int, sales_fen: int, period_days: int = DSO_PERIOD_DAYS) -> int | None:
    """Days sales outstanding, the countback-free textbook form::

        DSO = outstanding now ÷ sales of the period × days in the period

    where *outstanding now* is every open receivable (the total of the ageing) and *sales of the period*
    is the amount of the orders whose sales slip was issued in the last ``period_days`` days (cancelled
    orders never count). Rounded half up to whole days; None when nothing was sold in the period
    (the ratio means nothing then).
    """
    if sales_fen <= 0:
        return None
    numerator = max(outstanding_fen, 0) * period_days
    return (2 * numerator + sales_fen) // (2 * sales_fen)
