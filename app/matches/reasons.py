"""Why a supplier and a need fit, in the reader's words: matched facets, flags, the fit level.

Every label is an English msgid translated into the reader's locale here, so pages and the
API show the same words and no code (`out_of_province`, `readiness_path`) reaches a reader.
"""

from dataclasses import dataclass

import matching
from app import vocab
from app.i18n import gettext
from matching.fit import served_industries, served_processes
from matching.levels import FitLevel


def _(message: str) -> str:
    """Marks a msgid for extraction; translated when labelled."""
    return message


LEVELS = {FitLevel.HIGH: _("High"), FitLevel.MEDIUM: _("Medium"), FitLevel.LOW: _("Low")}
FLAGS = {
    "out_of_province": _("Outside Gyeongnam (the need prefers in-province suppliers)"),
    "below_required_sf_level": _("The manufacturer is below the supplier's smart-factory level"),
    "over_budget": _("Prices above the budget"),
    "under_budget": _("Prices below the budget"),
    "at_capacity": _("No capacity left"),
    "readiness_path": _("Readiness path: suppliers offering the first step"),
    "not_ranked": _("Outside the matching ranking"),
    "below_minimum_fit": _("Below the minimum fit"),
    "missing_certification": _("Missing a certification the need requires"),
    "conflict": _("Conflict of interest"),
}


@dataclass(frozen=True)
class Reason:
    """One facet of the fit: `ok` facets matched (shown with ✓), the others are flags."""

    code: str
    label: str
    ok: bool = True


def level_label(level: FitLevel | str | None, locale: str) -> str:
    """A fit level (or its stored code, "high" / "medium" / "low") in words."""
    if not level:
        return gettext(locale, "Below the minimum fit")
    return gettext(locale, LEVELS[FitLevel(level)])


def flag_label(code: str, locale: str) -> str:
    """A flag in words; an unknown code still reads as words, never as the bare code."""
    return gettext(locale, FLAGS.get(code, "Other constraint"))


def facets(
    need: matching.NeedProfile,
    supplier: matching.SupplierProfile,
    parts: dict[str, float],
    locale: str,
) -> list[Reason]:
    """The structured facets that matched, in the order a plant manager reads them."""
    found = [
        Reason("technique", t.label(locale))
        for code in sorted(need.ai_techniques & supplier.ai_techniques)
        if (t := vocab.AI_TECHNIQUES.get(code))
    ]
    found += [
        Reason("specialty", t.label(locale))
        for code in sorted(need.specialties & supplier.specialties)
        if (t := vocab.SPECIALTIES.get(code))
    ]
    found += _term("process", need.process, served_processes(supplier), vocab.PROCESSES, locale)
    found += _term("industry", need.industry, served_industries(supplier), vocab.INDUSTRIES, locale)
    found += _region(need, supplier, locale)
    if parts.get("budget", 0.0) > 0:
        found.append(Reason("budget", gettext(locale, "Within budget")))
    return found


def _term(
    code: str,
    wanted: str | None,
    offered: frozenset[str],
    terms: dict[str, vocab.Term],
    locale: str,
) -> list[Reason]:
    term = terms.get(wanted) if wanted and wanted in offered else None
    return [Reason(code, term.label(locale))] if term else []


def _region(
    need: matching.NeedProfile, supplier: matching.SupplierProfile, locale: str
) -> list[Reason]:
    if need.region and need.region == supplier.region and (t := vocab.REGIONS.get(need.region)):
        return [Reason("region", t.label(locale))]
    if need.prefer_in_province and supplier.in_province:
        return [Reason("region", gettext(locale, "In Gyeongnam"))]
    return []


def similar_cases(
    need: matching.NeedProfile, supplier: matching.SupplierProfile, quoted: set[int]
) -> int:
    """Case studies in the need's industry or process, or quoted as matching it."""
    return sum(
        1
        for c in supplier.case_studies
        if c.id in quoted
        or (need.industry and c.industry == need.industry)
        or (need.process and c.process == need.process)
    )


def cases_reason(count: int, locale: str) -> list[Reason]:
    if not count:
        return []
    if count == 1:
        return [Reason("cases", gettext(locale, "1 similar case study"))]
    return [Reason("cases", gettext(locale, "%(n)s similar case studies", n=count))]


def flag_reasons(flags: list[str], locale: str) -> list[Reason]:
    return [Reason(code, flag_label(code, locale), ok=False) for code in flags]
