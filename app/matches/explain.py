"""What a result page says about each hit beyond its rank: both sides' sentences that matched
each other, the facets and flags in the reader's words, and for a need the facts a supplier
triages by (deadline, budget, region, manufacturer, its own bid status)."""

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

import matching
from app import vocab
from app.i18n import gettext
from app.matches import reasons
from app.matches.cache import IndexCache
from app.matches.reasons import Reason, _
from app.matches.store import NEED, SUPPLIER, unit_vectors
from app.models import Bid, BidInvitation, Need, Organization
from matching.reasons import Quote, Sentence, need_sentences, pair_quotes, supplier_sentences

Side = tuple[list[Sentence], np.ndarray]
BID_STATUS = {
    "none": _("Not bid yet"),
    "invited": _("Invited to bid"),
    "submitted": _("Bid submitted"),
    "withdrawn": _("Bid withdrawn"),
}


@dataclass(frozen=True)
class NeedFacts:
    manufacturer: str
    deadline_at: datetime | None
    budget_min: int | None
    budget_max: int | None
    region: str  # in words, "" when the need names none
    bid_status: str  # one of BID_STATUS
    bid_label: str


def query_side(text: str, vector: np.ndarray) -> Side:
    return [Sentence("query", text)], np.asarray(vector, np.float32).reshape(1, -1)


def need_sides(
    session: Session, embedder: matching.Embedder, needs: list[matching.NeedProfile]
) -> dict[int, Side]:
    """Each need's sentences with their stored vectors (hash-checked)."""
    units = {n.id: matching.need_units(n) for n in needs}
    vectors = unit_vectors(session, embedder, NEED, units)
    sides = {}
    for owner, listed in units.items():
        sentences = need_sentences(listed)
        keys = [u.key for u in listed if u.key in sentences]
        sides[owner] = [sentences[k] for k in keys], np.vstack([vectors[(owner, k)] for k in keys])
    return sides


def supplier_side(cache: IndexCache, supplier: matching.SupplierProfile) -> Side:
    """The supplier's quotable sentences with the vectors the index holds for them (made
    once per supplier until its record or vectors change)."""
    return cache.derived("side", SUPPLIER, supplier.id, lambda: _supplier_side(cache, supplier))


def _supplier_side(cache: IndexCache, supplier: matching.SupplierProfile) -> Side:
    sentences = supplier_sentences(supplier)
    keys, vectors = cache.owner_vectors(SUPPLIER, supplier.id, sentences=True)
    at = [n for n, key in enumerate(keys) if key in sentences]
    return [sentences[keys[n]] for n in at], vectors[at]


def quotes(viewer: Side, result: Side, locale: str) -> list[Quote]:
    """The result's sentences (first) beside the viewer-side sentence each matched."""
    if not len(viewer[0]) or not len(result[0]):
        return []
    return pair_quotes(viewer[0], viewer[1], result[0], result[1], locale)


def pair_reasons(
    need: matching.NeedProfile,
    supplier: matching.SupplierProfile,
    hit: matching.Hit,
    quoted: list[Quote],
    locale: str,
) -> list[Reason]:
    """Matched facets, similar case studies, then the flags, all in words."""
    cases = {q.source_id for q in quoted if q.source == "case_study"}
    return (
        reasons.facets(need, supplier, hit.parts, locale)
        + reasons.cases_reason(reasons.similar_cases(need, supplier, cases), locale)
        + reasons.flag_reasons(hit.flags, locale)
    )


def need_facts(
    session: Session, supplier_org: int, need_ids: list[int], locale: str
) -> dict[int, NeedFacts]:
    """The facts on a recommended need's card, for the supplier reading it."""
    rows = session.execute(
        select(Need, Organization.name)
        .join(Organization, Organization.id == Need.organization_id)
        .where(Need.id.in_(need_ids))
    )
    status = _bid_status(session, supplier_org, need_ids)
    facts = {}
    for need, maker in rows:
        region = vocab.REGIONS.get(need.region) if need.region else None
        code = status.get(need.id, "none")
        facts[need.id] = NeedFacts(
            maker,
            need.deadline_at,
            need.budget_min,
            need.budget_max,
            region.label(locale) if region else "",
            code,
            gettext(locale, BID_STATUS[code]),
        )
    return facts


def _bid_status(session: Session, org: int, need_ids: list[int]) -> dict[int, str]:
    invited = session.scalars(
        select(BidInvitation.need_id).where(
            BidInvitation.supplier_org_id == org, BidInvitation.need_id.in_(need_ids)
        )
    )
    status = dict.fromkeys(invited, "invited")
    bids = session.execute(
        select(Bid.need_id, Bid.status).where(Bid.supplier_org_id == org, Bid.need_id.in_(need_ids))
    )
    return status | {need: str(state) for need, state in bids}
