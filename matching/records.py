"""The records matching works on: plain frozen dataclasses, no ORM.

Money is always in 만원 (KRW 10,000). Vocabulary codes (specialties, AI techniques, KSIC
industries, processes, regions, smart-factory levels) are the codes of `app/vocab.py`; the
library only compares them, so it does not import that module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Smart-factory levels, lowest first; the index of a code is its rank.
SF_LEVELS: tuple[str, ...] = ("none", "basic", "intermediate1", "intermediate2", "advanced")

# Gyeongnam region codes share this prefix ("gn-changwon", "gn-gimhae", ...).
IN_PROVINCE_PREFIX = "gn-"


def is_in_province(region: str | None) -> bool:
    """True for a Gyeongnam region code."""
    return bool(region) and str(region).startswith(IN_PROVINCE_PREFIX)


def sf_rank(level: str | None) -> int | None:
    """Rank of a smart-factory level code, or None when unknown or absent."""
    return SF_LEVELS.index(level) if level in SF_LEVELS else None


@dataclass(frozen=True)
class CaseStudy:
    id: int
    title: str
    text: str
    industry: str | None = None
    process: str | None = None
    outcome: str = ""


@dataclass(frozen=True)
class SupplierProfile:
    """A supplier as matching sees it. `track_record` is 0..1, from verified outcomes."""

    id: int
    name: str
    description: str
    case_studies: tuple[CaseStudy, ...] = ()
    specialties: frozenset[str] = frozenset()
    ai_techniques: frozenset[str] = frozenset()
    industries: frozenset[str] = frozenset()
    processes: frozenset[str] = frozenset()
    region: str | None = None
    in_province: bool = False
    capacity: int = 1
    active_engagements: int = 0
    price_min: int | None = None
    price_max: int | None = None
    min_sf_level: str | None = None
    track_record: float = 0.0
    admitted: bool = True
    certifications: frozenset[str] = frozenset()

    @property
    def capacity_left(self) -> int:
        return self.capacity - self.active_engagements

    def offers_any(self, codes: frozenset[str]) -> bool:
        """True when the supplier offers one of `codes` as a specialty field or AI technique."""
        return not codes.isdisjoint(self.specialties) or not codes.isdisjoint(self.ai_techniques)


@dataclass(frozen=True)
class NeedProfile:
    """A manufacturer's need. `specialties` is optional: the specialty fields it asks for.

    `requires_any` is a hard filter: when set, only suppliers offering at least one of these
    codes (among their specialty fields and AI techniques, disjoint code sets) are matched.
    `required_certifications` is one too: only suppliers holding every one are matched.
    """

    id: int
    title: str
    description: str
    industry: str | None = None
    process: str | None = None
    ai_techniques: frozenset[str] = frozenset()
    region: str | None = None
    prefer_in_province: bool = False
    budget_min: int | None = None
    budget_max: int | None = None
    sf_level: str | None = None
    excluded_supplier_ids: frozenset[int] = frozenset()
    specialties: frozenset[str] = field(default_factory=frozenset)
    requires_any: frozenset[str] = frozenset()
    required_certifications: frozenset[str] = frozenset()
