"""Field tracking, as Odoo's ``tracking=True``: a model lists the fields whose changes are audited, and one hook
in the unit of work (the session's ``before_flush``) records every change of them as an :class:`AuditEvent`
with the old and new values, shown as people read them.

A model opts in with two class attributes, so core imports no feature::

    __tracked__ = {"amount_fen": Tracked("金额", show=yuan), ...}   # in the order changes are listed
    __tracked_subject__ = "number"                                  # the attribute naming the audit subject

Services state only why (:meth:`xietong.core.work.Work.because`, a ``with`` block around the change); a change
nobody explained is recorded all the same, named by the new value of a ``names_event`` field (the stage's
word) or :data:`DEFAULT_ACTION`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypedDict

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction

from .messages import CHANGED
from .models import AuditEvent

DEFAULT_ACTION = CHANGED
_TRACKS = "xietong_tracking"  # session.info key: the reasons stated in this transaction, by object
ACTOR = "xietong_actor"  # session.info key: the QQ of whoever the unit of work acts for


@dataclass(frozen=True)
class Tracked:
    """How one tracked field reads: its label and how a value is shown (None and "" are recorded as null)."""

    label: str
    show: Callable[[Any], str] = str
    names_event: bool = False  # its new value names a change nobody explained (the stage: 已发货)
    stated: bool = False  # not a column: whoever changes it states old and new (an order's items)


class Change(TypedDict):
    """One field's change as stored in ``AuditEvent.changes``: shown values, None for empty."""

    field: str
    label: str
    old: str | None
    new: str | None


@dataclass(eq=False)
class Reason:
    """Why tracked fields of one object change within a ``because`` block, and the event that records it."""

    obj: Any
    action: str
    note: str
    stated: dict[str, tuple[object, object]]
    actor_qq: int | None
    always: bool  # record the event even when no tracked field changed (a report repeated)
    start: dict[str, Any]
    end: dict[str, Any] | None = None
    carried: bool = False  # began before the last flush
    event: AuditEvent | None = None

    def state(self, name: str, old: object, new: object) -> None:
        """Old and new of a tracked name that is not a column (``Tracked(stated=True)``)."""
        self.stated[name] = (old, new)

    def changes(self) -> list[Change]:
        """The changes so far (a service words its reply with the same values the audit records)."""
        return _diff(self.obj, self.start, _values(self.obj) if self.end is None else self.end, self.stated)


@dataclass(eq=False)
class _Track:
    obj: Any
    reasons: list[Reason] = field(default_factory=list)
    open: Reason | None = None


def _is_tracked(obj: object) -> bool:
    return bool(getattr(type(obj), "__tracked__", None))


@contextmanager
def because(
    session: Session,
    obj: object,
    action: str,
    note: str = "",
    *,
    actor_qq: int | None = None,
    always: bool = False,
) -> Iterator[Reason]:
    """Tracked changes of ``obj`` inside the block are recorded as ``action`` (with ``note``). Inside an outer
    block for the same object this one joins it: the outermost reason is the one the service states."""
    track = _tracks(session).setdefault(inspect(obj), _Track(obj))
    if track.open is not None:
        yield track.open
        return
    start = _values(obj) if inspect(obj).has_identity else {}  # a new object: its creation is the change
    reason = Reason(obj, action, note, {}, actor_qq, always, start=start)
    track.reasons.append(reason)
    track.open = reason
    try:
        yield reason
    finally:
        reason.end = _values(obj)
        track.open = None


def _tracks(session: Session) -> dict[Any, _Track]:
    return session.info.setdefault(_TRACKS, {})


_UNLOADED = object()  # an expired attribute: its value is not known here, so it is not compared


def _values(obj: Any) -> dict[str, Any]:
    """The tracked columns' values now."""
    state = inspect(obj)
    return {name: state.dict.get(name, _UNLOADED) for name, spec in type(obj).__tracked__.items() if not spec.stated}


def _flushed_values(obj: Any) -> dict[str, Any]:
    """The tracked columns' values as of the last flush (what is stored), nothing for a new object."""
    state = inspect(obj)
    if not state.has_identity:
        return {}
    values = {}
    for name, spec in type(obj).__tracked__.items():
        if not spec.stated:
            history = state.attrs[name].history
            values[name] = history.deleted[0] if history.deleted else state.dict.get(name, _UNLOADED)
    return values


def _diff(obj: Any, before: dict[str, Any], after: dict[str, Any], stated: Mapping[str, tuple]) -> list[Change]:
    changes = []
    for name, spec in type(obj).__tracked__.items():
        old, new = stated.get(name, (None, None)) if spec.stated else (before.get(name), after.get(name))
        if old != new and _UNLOADED not in (old, new):
            changes.append(Change(field=name, label=spec.label, old=_shown(spec, old), new=_shown(spec, new)))
    return changes


def _shown(spec: Tracked, value: object) -> str | None:
    return None if value is None or value == "" else spec.show(value)


def _default_action(obj: Any, changes: list[Change]) -> str:
    specs = type(obj).__tracked__
    named = [c["new"] for c in changes if specs[c["field"]].names_event and c["new"]]
    return named[0] if named else DEFAULT_ACTION


@event.listens_for(Session, "before_flush")
def _record(session: Session, _context: object, _instances: object) -> None:
    """The hook: every tracked change since the last flush becomes an audit event, under its stated reason."""
    tracks = _tracks(session)
    for obj in [*session.new, *session.dirty]:
        if _is_tracked(obj):
            tracks.setdefault(inspect(obj), _Track(obj))
    for track in tracks.values():
        _record_track(session, track)


def _record_track(session: Session, track: _Track) -> None:
    obj, now = track.obj, _values(track.obj)
    since = _flushed_values(obj)
    for reason in track.reasons:
        if not reason.carried:
            _write(session, obj, None, since, reason.start)  # changed before the reason was stated
        since = reason.end if reason.end is not None else now
        _write(session, obj, reason, reason.start, since)
    _write(session, obj, None, since, now)
    track.reasons = [r for r in track.reasons if r.end is None]
    for reason in track.reasons:
        reason.carried = True


def _write(session: Session, obj: Any, reason: Reason | None, before: dict, after: dict) -> None:
    if reason is None and before is after:
        return
    changes = _diff(obj, before, after, reason.stated if reason else {})
    if reason is not None and reason.event is not None and reason.event in session:
        if reason.event.changes != changes:
            reason.event.changes = changes
        return
    if not changes and not (reason is not None and reason.always):
        return
    audit = AuditEvent(
        actor_qq=reason.actor_qq if reason else session.info.get(ACTOR),
        action=reason.action if reason else _default_action(obj, changes),
        subject=str(getattr(obj, type(obj).__tracked_subject__)),
        detail=reason.note if reason else "",
        changes=changes or None,
    )
    session.add(audit)
    if reason is not None:
        reason.event = audit


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    """The reasons belong to one transaction."""
    if transaction.parent is None:
        session.info.pop(_TRACKS, None)
