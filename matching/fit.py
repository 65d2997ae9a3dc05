"""Structured fit between a need and a supplier, and the one place ranking weights live.

Each part is a weight times a value in -1..1: 0 means "unknown or not asked", so a need that
states nothing structured is ranked on semantics alone. Penalties (capacity, smart-factory
level, budget) also raise a flag, so a coordinator sees why a supplier dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from matching.records import NeedProfile, SupplierProfile, sf_rank


@dataclass(frozen=True)
class Weights:
    """All ranking weights. Semantic parts are on a 0..1 (calibrated cosine) scale."""

    semantic: float = 1.0
    # Next-best units add support: unit n (n >= 1) counts support_discount ** n.
    support_discount: float = 0.5
    support_depth: int = 2
    # Share of a unit's best sentence blended into the unit's own similarity.
    sentence_blend: float = 0.5
    specialty: float = 0.05
    technique: float = 0.10
    industry: float = 0.05
    process: float = 0.05
    region: float = 0.05
    sf_level: float = 0.10
    budget: float = 0.05
    capacity: float = 0.20
    track_record: float = 0.05


def _overlap(wanted: frozenset[str], offered: frozenset[str]) -> float:
    return len(wanted & offered) / len(wanted) if wanted else 0.0


def served_industries(supplier: SupplierProfile) -> frozenset[str]:
    return supplier.industries | {c.industry for c in supplier.case_studies if c.industry}


def served_processes(supplier: SupplierProfile) -> frozenset[str]:
    return supplier.processes | {c.process for c in supplier.case_studies if c.process}


def _industry(need: NeedProfile, supplier: SupplierProfile) -> float:
    return 1.0 if need.industry and need.industry in served_industries(supplier) else 0.0


def _process(need: NeedProfile, supplier: SupplierProfile) -> float:
    return 1.0 if need.process and need.process in served_processes(supplier) else 0.0


def _region(need: NeedProfile, supplier: SupplierProfile) -> tuple[float, list[str]]:
    """In-province suppliers score 1 when the need asks for them; the same city scores 0.5."""
    if need.prefer_in_province:
        if supplier.in_province:
            return 1.0, []
        return (0.5 if _same_region(need, supplier) else 0.0), ["out_of_province"]
    return (0.5 if _same_region(need, supplier) else 0.0), []


def _same_region(need: NeedProfile, supplier: SupplierProfile) -> bool:
    return bool(need.region) and need.region == supplier.region


def _sf_level(need: NeedProfile, supplier: SupplierProfile) -> tuple[float, list[str]]:
    """-0.5 per level the manufacturer is below what the supplier requires (floor -1)."""
    have, required = sf_rank(need.sf_level), sf_rank(supplier.min_sf_level)
    if have is None or required is None or have >= required:
        return 0.0, []
    return -min(1.0, (required - have) / 2), ["below_required_sf_level"]


def _budget(need: NeedProfile, supplier: SupplierProfile) -> tuple[float, list[str]]:
    """1 when budget and price ranges overlap; else minus the relative gap (floor -1)."""
    low, high = need.budget_min, need.budget_max
    price_low, price_high = supplier.price_min, supplier.price_max
    if (low is None and high is None) or (price_low is None and price_high is None):
        return 0.0, []
    if high is not None and price_low is not None and price_low > high:
        return -min(1.0, (price_low - high) / max(high, 1)), ["over_budget"]
    if low is not None and price_high is not None and price_high < low:
        return -min(1.0, (low - price_high) / max(low, 1)), ["under_budget"]
    return 1.0, []


def _capacity(supplier: SupplierProfile) -> tuple[float, list[str]]:
    return (-1.0, ["at_capacity"]) if supplier.capacity_left <= 0 else (0.0, [])


def structured_fit(
    need: NeedProfile, supplier: SupplierProfile, weights: Weights
) -> tuple[dict[str, float], list[str]]:
    """Weighted structured parts and the flags they raised."""
    region, region_flags = _region(need, supplier)
    level, level_flags = _sf_level(need, supplier)
    budget, budget_flags = _budget(need, supplier)
    capacity, capacity_flags = _capacity(supplier)
    parts = {
        "specialty": weights.specialty * _overlap(need.specialties, supplier.specialties),
        "technique": weights.technique * _overlap(need.ai_techniques, supplier.ai_techniques),
        "industry": weights.industry * _industry(need, supplier),
        "process": weights.process * _process(need, supplier),
        "region": weights.region * region,
        "sf_level": weights.sf_level * level,
        "budget": weights.budget * budget,
        "capacity": weights.capacity * capacity,
        "track_record": weights.track_record * min(1.0, max(0.0, supplier.track_record)),
    }
    return parts, region_flags + level_flags + budget_flags + capacity_flags
