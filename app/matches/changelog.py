"""Which rows of the change log an index cache contains: a watermark that holds when change
ids commit out of order.

On PostgreSQL a change id is drawn from a sequence when its row is inserted, and the
transaction may commit after another one holding a higher id was already read. So the mark
is the highest id applied (`top`) plus the gaps below it: ids not seen committed yet. A
reader asks for every row above `top` or inside a gap, however old. A gap is given up only
once the row just above it was written more than GRACE ago: the transaction holding it would
have had to stay open that long after taking its id, which the sync at commit
(app/matches/tracking.py) never does. Rolled-back ids are such gaps. On SQLite writers are
serialised, so ids commit in order and a gap never lasts.

A `REBUILD` row (written by `axmatch reindex`) tells running workers to reload their cache.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from app.models import IndexChange, utcnow

GRACE = timedelta(minutes=15)
REBUILD = "rebuild"
MANY_GAPS = 50  # past this, one range query and a filter here instead of one clause per gap


class BadMark(ValueError):
    """A saved watermark that cannot be right (log text, not shown to users)."""


@dataclass
class Gap:
    first: int
    last: int
    after_at: float  # when the row just above the gap was written (epoch seconds)


@dataclass
class Watermark:
    top: int = 0
    gaps: list[Gap] = field(default_factory=list)

    def contains(self, change_id: int) -> bool:
        return change_id <= self.top and not any(g.first <= change_id <= g.last for g in self.gaps)

    def unseen(self) -> ColumnElement[bool]:
        """A filter on the log that every row this mark does not contain passes."""
        if len(self.gaps) > MANY_GAPS:
            return IndexChange.id >= self.gaps[0].first
        inside = [IndexChange.id.between(g.first, g.last) for g in self.gaps]
        return or_(IndexChange.id > self.top, *inside)

    def add(self, rows: Iterable[tuple[int, datetime]]) -> None:
        """Mark these (id, created_at) rows as applied."""
        for change_id, at in sorted(rows):
            if change_id > self.top:
                if change_id > self.top + 1:
                    self.gaps.append(Gap(self.top + 1, change_id - 1, at.timestamp()))
                self.top = change_id
            else:
                self._fill(change_id, at.timestamp())

    def _fill(self, change_id: int, at: float) -> None:
        for n, gap in enumerate(self.gaps):
            if gap.first <= change_id <= gap.last:
                parts = [Gap(gap.first, change_id - 1, max(at, gap.after_at))]
                parts.append(Gap(change_id + 1, gap.last, gap.after_at))
                self.gaps[n : n + 1] = [p for p in parts if p.first <= p.last]
                return

    def expire(self, now: datetime) -> None:
        """Give up the gaps whose ids no open transaction can still hold."""
        oldest = (now - GRACE).timestamp()
        self.gaps = [g for g in self.gaps if g.after_at >= oldest]

    def to_json(self) -> dict[str, Any]:
        return {"top": self.top, "gaps": [[g.first, g.last, g.after_at] for g in self.gaps]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Watermark":
        gaps = [Gap(int(a), int(b), float(t)) for a, b, t in data["gaps"]]
        if any(g.first > g.last for g in gaps):
            raise BadMark("a gap ends before it starts")
        return cls(int(data["top"]), sorted(gaps, key=lambda g: g.first))


def of_log(session: Session) -> Watermark:
    """The mark of a cache built from the database now: every row committed so far, with the
    ids a still-open transaction may hold left as gaps."""
    now = utcnow()
    base = select(func.max(IndexChange.id)).where(IndexChange.created_at < now - GRACE)
    mark = Watermark(session.scalar(base) or 0)
    recent = select(IndexChange.id, IndexChange.created_at).where(IndexChange.id > mark.top)
    mark.add((row.id, row.created_at) for row in session.execute(recent))
    mark.expire(now)
    return mark


def last_rebuild(session: Session) -> int:
    query = select(func.max(IndexChange.id)).where(IndexChange.owner_kind == REBUILD)
    return session.scalar(query) or 0


def log_rebuild(session: Session) -> None:
    """Tell every running worker to reload its index cache (after a reindex)."""
    session.add(IndexChange(owner_kind=REBUILD, owner_id=0, created_at=utcnow()))
