"""Readiness routing: a need goes straight to AI suppliers, or first to the readiness path.

A manufacturer below the programme's threshold (settings: smart-factory level under
`readiness_min_sf_level`, or data collection under `readiness_min_data`) is routed, when it
publishes a need, to suppliers offering data collection, MES and sensor basics
(`readiness_path_offers`): a hard filter of matching. The reason is stored as codes and
rendered in the reader's language; a coordinator's override stores the coordinator's words.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, vocab
from app.config import Settings, get_settings
from app.db import expect_version
from app.errors import Conflict, Forbidden, NotFound
from app.i18n import gettext
from app.models import ManufacturerProfile, Need, NeedStatus, Role, User
from app.profiles.readiness import DATA, readiness
from app.readiness.schemas import TrackIn
from app.schemas import MAX_ID

AI, READINESS = "ai", "readiness"
TRACKS = (AI, READINESS)
STAFF = frozenset({Role.coordinator, Role.admin})
DATA_ORDER = tuple(DATA)  # none, partial, systematic


def _rank(order: tuple[str, ...], code: str) -> int:
    """Unknown answers rank lowest: an odd profile is routed to the readiness path."""
    return order.index(code) if code in order else 0


def decide(profile: ManufacturerProfile | None, settings: Settings) -> tuple[str, str | None]:
    """(track, reason codes) for a manufacturer, e.g. ("readiness", "sf_level:basic:intermediate1
    score:18"): one `part:answer:minimum` code per threshold it is below, then its score."""
    if profile is None:
        return AI, None
    levels = tuple(vocab.SF_LEVELS)
    codes = []
    if _rank(levels, profile.sf_level) < _rank(levels, settings.readiness_min_sf_level):
        codes.append(f"sf_level:{profile.sf_level}:{settings.readiness_min_sf_level}")
    if _rank(DATA_ORDER, profile.readiness_data) < _rank(DATA_ORDER, settings.readiness_min_data):
        codes.append(f"data:{profile.readiness_data}:{settings.readiness_min_data}")
    if not codes:
        return AI, None
    return READINESS, " ".join([*codes, f"score:{readiness(profile).score}"])


def manufacturer_profile(session: Session, org_id: int) -> ManufacturerProfile | None:
    query = select(ManufacturerProfile).where(ManufacturerProfile.organization_id == org_id)
    return session.scalar(query)


def route(session: Session, need: Need) -> None:
    """Set a need's track as it is published; a coordinator's earlier override stands."""
    if need.track_overridden_by_id is not None:
        return
    profile = manufacturer_profile(session, need.organization_id)
    need.track, need.track_reason = decide(profile, get_settings())


def required_offers(track: str) -> frozenset[str]:
    """What a supplier must offer to be matched with a need on `track` (empty: anything)."""
    return frozenset(get_settings().readiness_path_offers) if track == READINESS else frozenset()


def get_track(session: Session, viewer: User, need_id: int) -> Need:
    """A need whose track its manufacturer or the staff may see (else NotFound)."""
    need = session.get(Need, need_id) if 1 <= need_id <= MAX_ID else None
    if need is None or (
        viewer.role not in STAFF
        and (viewer.role is not Role.manufacturer or need.organization_id != viewer.organization_id)
    ):
        raise NotFound("Need not found.")
    return need


def override(session: Session, actor: User, need_id: int, data: TrackIn) -> Need:
    """A coordinator sets a need's track, with a reason; audited, version-checked."""
    if actor.role not in STAFF:
        raise Forbidden("Only coordinators can change a need's track.")
    need = get_track(session, actor, need_id)
    if need.status is NeedStatus.closed:
        raise Conflict("A closed need is read-only.")
    expect_version(need, data.version)
    before = {"track": need.track, "track_reason": need.track_reason}
    need.track, need.track_reason = data.track, data.reason
    need.track_overridden_by_id = actor.id
    after = {"track": need.track, "track_reason": need.track_reason}
    audit.record(
        session,
        actor,
        "need.track_overridden",
        need,
        before=before,
        after=after,
        reason=data.reason,
    )
    session.flush()
    return need


@dataclass(frozen=True)
class TrackView:
    """What a reader is told about a need's track, in the reader's language."""

    track: str
    lines: list[str]
    overridden: bool
    offers: list[str]


def view(need: Need, viewer: User, locale: str) -> TrackView | None:
    """None when there is nothing to say (an AI-track need nobody routed or overrode)."""
    overridden = need.track_overridden_by_id is not None
    if need.track == AI and not need.track_reason and not overridden:
        return None
    if overridden:
        lines = [
            gettext(locale, "A coordinator set this track: %(reason)s", reason=need.track_reason)
        ]
    else:
        lines = explain(
            need.track_reason or "", locale, own=viewer.organization_id == need.organization_id
        )
    offers = [_offer_label(code, locale) for code in sorted(required_offers(need.track))]
    return TrackView(need.track, lines, overridden, offers)


def explain(codes: str, locale: str, own: bool) -> list[str]:
    """Sentences from reason codes; codes this version does not know are skipped."""
    if own:
        lead = gettext(
            locale,
            "Your factory first needs data collection, MES and sensor basics: this need is "
            "matched with suppliers who build them, before AI.",
        )
    else:
        lead = gettext(
            locale,
            "This factory first needs data collection, MES and sensor basics: this need is "
            "matched with suppliers who build them, before AI.",
        )
    lines = [lead]
    for code in codes.split():
        line = _line(code.split(":"), locale)
        if line:
            lines.append(line)
    return lines


def _line(parts: list[str], locale: str) -> str | None:
    if parts[0] == "sf_level" and len(parts) == 3:
        have, minimum = (_label(vocab.SF_LEVELS, p, locale) for p in parts[1:])
        return gettext(
            locale,
            "Smart-factory level %(have)s; AI projects start from %(minimum)s.",
            have=have,
            minimum=minimum,
        )
    if parts[0] == "data" and len(parts) == 3:
        have, minimum = (_label(DATA, p, locale) for p in parts[1:])
        return gettext(
            locale,
            "Production data: %(have)s; AI projects need at least: %(minimum)s.",
            have=have,
            minimum=minimum,
        )
    if parts[0] == "score" and len(parts) == 2:
        return gettext(locale, "Readiness score %(score)s / 100.", score=parts[1])
    return None


def _label(terms: dict[str, vocab.Term], code: str, locale: str) -> str:
    return terms[code].label(locale) if code in terms else code


def _offer_label(code: str, locale: str) -> str:
    terms = vocab.SPECIALTIES if code in vocab.SPECIALTIES else vocab.AI_TECHNIQUES
    return _label(terms, code, locale)
