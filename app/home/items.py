"""What a home lists: sections of items, each linking to where the user acts."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from app.i18n import Msgid, gettext
from app.matches.cache import IndexCache
from app.models import (
    ResultPhase,
)

Cache = IndexCache | None
PHASE_NAMES = {
    ResultPhase.demonstration: Msgid("After demonstration"),
    ResultPhase.deployment: Msgid("After deployment"),
    ResultPhase.follow_up: Msgid("Follow-up"),
}


SOON = timedelta(days=14)  # answers a supplier got, accounts an admin may look at: this recent
NEW_ACCOUNT = timedelta(days=7)  # an admin's list of accounts to look over
NAV_LIMIT = 50  # items listed per section (the count is of every one)


@dataclass(frozen=True)
class Item:
    """One thing to act on: what it is, where to act, and why it is listed."""

    title: str
    href: str
    note: Msgid | None = None
    params: dict[str, Any] = field(default_factory=dict)
    at: datetime | None = None  # when it began waiting, or its deadline
    flags: tuple[str, ...] = ()

    def text(self, locale: str) -> str:
        return gettext(locale, self.note, **self.params) if self.note else ""


@dataclass(frozen=True)
class Section:
    kind: str
    title: Msgid
    href: str  # the page listing every item of the kind
    items: list[Item]
    action: bool = True  # False: status to read, not a task (left out of the nav's count)
    total: int | None = None  # when more wait than are listed

    @property
    def count(self) -> int:
        return len(self.items) if self.total is None else self.total


@dataclass(frozen=True)
class Home:
    role: str
    sections: list[Section]

    @property
    def total(self) -> int:
        return sum(s.count for s in self.sections if s.action)

    def counts(self) -> dict[str, int]:
        return {s.kind: s.count for s in self.sections}


def section(
    kind: str,
    title: Msgid,
    href: str,
    items: list[Item],
    action: bool = True,
    total: int | None = None,
) -> Section:
    count = len(items) if total is None else total
    return Section(kind, title, href, items[:NAV_LIMIT], action, count)
