"""A manufacturer's readiness for an AI project: a 0-100 score that shows its parts.

Weights (maximum points, summing to 100):

| part      | max | answers -> points                                              |
| --------- | --- | -------------------------------------------------------------- |
| sf_level  |  25 | none 0, basic 6, intermediate1 12, intermediate2 19, advanced 25 |
| systems   |  15 | 5 per system in place (MES, ERP, PLC, sensors, ...), at most 15 |
| data      |  25 | none 0, partial 12, systematic 25                              |
| staff     |  20 | none 0, some 10, dedicated 20                                  |
| budget    |  15 | none 0, partial 8, secured 15                                  |

Data and staff weigh most because the province's survey names missing data and missing
in-house AI skill as what stops projects; budget next (the up-front cost). The
smart-factory level and systems say whether data can be collected at all. Unknown codes
score 0, so the function never fails on old or odd rows.

What a score means is its band (below 40: start with the basics; 40-69: a focused pilot;
70 and up: ready for a full project), and how to raise it are the parts short of their
maximum, the largest gain first.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from app.i18n import Msgid
from app.vocab import Term

SF_POINTS = {"none": 0, "basic": 6, "intermediate1": 12, "intermediate2": 19, "advanced": 25}
POINTS_PER_SYSTEM, SYSTEMS_MAX = 5, 15
DATA_POINTS = {"none": 0, "partial": 12, "systematic": 25}
STAFF_POINTS = {"none": 0, "some": 10, "dedicated": 20}
BUDGET_POINTS = {"none": 0, "partial": 8, "secured": 15}

DATA = {
    "none": Term("none", "수집하지 않음", "Not collected"),
    "partial": Term("partial", "일부 수집", "Partly collected"),
    "systematic": Term("systematic", "체계적으로 수집·저장", "Collected and stored systematically"),
}
STAFF = {
    "none": Term("none", "담당 인력 없음", "No one assigned"),
    "some": Term("some", "겸임 인력 있음", "Some staff, part-time"),
    "dedicated": Term("dedicated", "전담 인력 있음", "Dedicated staff"),
}
BUDGET = {
    "none": Term("none", "미확보", "Not secured"),
    "partial": Term("partial", "일부 확보", "Partly secured"),
    "secured": Term("secured", "확보", "Secured"),
}


# (lowest score, band, what it means), highest first.
BANDS = (
    (70, "ready", Msgid("Ready for an AI project")),
    (40, "pilot", Msgid("Ready for a focused pilot")),
    (0, "basics", Msgid("Start with the basics")),
)
MEANINGS = {
    "ready": Msgid(
        "Data, staff and budget are largely in place: suppliers can propose a full project."
    ),
    "pilot": Msgid(
        "A small, focused pilot is realistic; closing the gaps below makes proposals firmer."
    ),
    "basics": Msgid(
        "Collecting data and naming someone in-house come first; the support group's "
        "readiness programme helps with both before an AI project."
    ),
}
STEPS = {
    "sf_level": Msgid(
        "Raise the smart-factory level (for example through a smart-factory project): up to "
        "+%(points)s points"
    ),
    "systems": Msgid(
        "Put systems that record production in place (MES, ERP, PLC, sensors) and list them "
        "in your profile: up to +%(points)s points"
    ),
    "data": Msgid(
        "Collect and store production data systematically (defects, machine states, "
        "energy): up to +%(points)s points"
    ),
    "staff": Msgid(
        "Name someone in-house for the project, part-time at least: up to +%(points)s points"
    ),
    "budget": Msgid(
        "Secure the budget for your co-payment (the subsidy covers the rest): up to "
        "+%(points)s points"
    ),
}


class Assessment(Protocol):
    """What the score reads; a ManufacturerProfile or any object with these fields."""

    sf_level: str
    systems: list[str]
    readiness_data: str
    readiness_staff: str
    readiness_budget: str


@dataclass(frozen=True)
class Part:
    key: str
    answer: str
    points: int
    max_points: int


@dataclass(frozen=True)
class Step:
    key: str  # the part it raises
    points: int  # at most this many points more
    message: Msgid  # with %(points)s


@dataclass(frozen=True)
class Readiness:
    score: int
    parts: tuple[Part, ...]

    @property
    def max_score(self) -> int:
        return sum(part.max_points for part in self.parts)

    @property
    def band(self) -> str:
        return next(band for low, band, _ in BANDS if self.score >= low)

    @property
    def band_name(self) -> Msgid:
        return next(name for _, band, name in BANDS if band == self.band)

    @property
    def meaning(self) -> Msgid:
        return MEANINGS[self.band]

    def next_steps(self) -> list[Step]:
        """The parts short of their maximum, the largest gain first."""
        short = [p for p in self.parts if p.points < p.max_points]
        short.sort(key=lambda p: p.points - p.max_points)
        return [Step(p.key, p.max_points - p.points, STEPS[p.key]) for p in short]


def _answer(key: str, table: dict[str, int], answer: str) -> Part:
    return Part(key, answer, table.get(answer, 0), max(table.values()))


def _systems(systems: Sequence[str]) -> Part:
    count = len(set(systems))
    return Part("systems", str(count), min(SYSTEMS_MAX, count * POINTS_PER_SYSTEM), SYSTEMS_MAX)


def readiness(profile: Assessment) -> Readiness:
    parts = (
        _answer("sf_level", SF_POINTS, profile.sf_level),
        _systems(profile.systems or []),
        _answer("data", DATA_POINTS, profile.readiness_data),
        _answer("staff", STAFF_POINTS, profile.readiness_staff),
        _answer("budget", BUDGET_POINTS, profile.readiness_budget),
    )
    return Readiness(sum(part.points for part in parts), parts)
