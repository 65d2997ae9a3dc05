"""Demo sponsors with their cohorts (seed/data/sponsors.jsonl), and the readiness routing of
demo needs. Idempotent: sponsors by external_id, cohorts by (sponsor, name), members by
manufacturer external_id; needs are routed only as they are first loaded."""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import get_settings
from app.models import Cohort, CohortMember, Need, NeedStatus, Organization, OrgKind, Role, User
from app.readiness.service import READINESS, decide


def _rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _sponsor(session: Session, row: dict[str, Any], password_hash: str) -> tuple[Organization, int]:
    """The sponsor organisation (created with its demo user when missing) and 1 if created."""
    query = select(Organization).where(Organization.external_id == row["external_id"])
    org = session.scalar(query)
    if org is not None:
        return org, 0
    org = Organization(kind=OrgKind.sponsor, name=row["name"], external_id=row["external_id"])
    org.users.append(
        User(
            email=row["email"],
            name=row.get("contact_name") or row["name"],
            role=Role.sponsor,
            password_hash=password_hash,
            locale="ko",
        )
    )
    session.add(org)
    session.flush()
    return org, 1


def _cohort(session: Session, org: Organization, spec: dict[str, Any]) -> Cohort:
    query = select(Cohort).where(Cohort.sponsor_org_id == org.id, Cohort.name == spec["name"])
    cohort = session.scalar(query)
    if cohort is None:
        cohort = Cohort(sponsor=org, name=spec["name"], description=spec.get("description", ""))
        session.add(cohort)
        session.flush()
    return cohort


def _add_members(session: Session, cohort: Cohort, external_ids: list[str]) -> int:
    have = set(
        session.scalars(
            select(CohortMember.manufacturer_org_id).where(CohortMember.cohort_id == cohort.id)
        )
    )
    query = select(Organization.id).where(
        Organization.kind == OrgKind.manufacturer, Organization.external_id.in_(external_ids)
    )
    new = [org_id for org_id in session.scalars(query) if org_id not in have]
    session.add_all(CohortMember(cohort=cohort, manufacturer_org_id=org_id) for org_id in new)
    return len(new)


def load_sponsors(session: Session, password_hash: str, data_dir: Path) -> dict[str, int]:
    counts = {"sponsors": 0, "cohort_members": 0}
    for row in _rows(data_dir / "sponsors.jsonl"):
        org, created = _sponsor(session, row, password_hash)
        cohort = _cohort(session, org, row["cohort"])
        counts["sponsors"] += created
        counts["cohort_members"] += _add_members(session, cohort, row["cohort"]["members"])
    session.flush()
    return counts


def route_demo_needs(needs: Iterable[Need]) -> int:
    """Demo needs predate routing and keep the AI track, except the open needs of
    manufacturers that collect no data at all: they are routed as publishing them today
    would. Drafts are routed when their manufacturer publishes them; closed needs were
    awarded before routing existed. Returns how many went to the readiness path."""
    settings, routed = get_settings(), 0
    for need in needs:
        profile = need.organization.manufacturer
        if (
            need.status is not NeedStatus.open
            or profile is None
            or profile.readiness_data != "none"
        ):
            continue
        need.track, need.track_reason = decide(profile, settings)
        routed += need.track == READINESS
    return routed
