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
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

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
class Readiness:
    score: int
    parts: tuple[Part, ...]

    @property
    def max_score(self) -> int:
        return sum(part.max_points for part in self.parts)


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
