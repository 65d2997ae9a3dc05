"""Idempotent loader for the demo data in seed/data/*.jsonl (by external_id).

Every demo account shares DEMO_PASSWORD (printed in the README); the hash is computed once.
"""

import hashlib
import json
import re
import zlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import vocab
from app.accounts.business import check_digit
from app.accounts.service import hasher
from app.models import (
    CaseStudy,
    ManufacturerProfile,
    Membership,
    Need,
    NeedKpi,
    NeedStatus,
    Organization,
    OrgKind,
    Role,
    SupplierProfile,
    User,
    utcnow,
)
from seed.bidding import load_bidding
from seed.cohorts import load_sponsors, route_demo_needs
from seed.engagements import load_engagements

DATA_DIR = Path(__file__).parent / "data"
DEMO_PASSWORD = "axmatch-demo-2026"
STAFF = [
    ("staff-coordinator", "coordinator@gn-ai.example.kr", "김지원 코디네이터", Role.coordinator),
    ("staff-admin", "admin@gn-ai.example.kr", "관리자", Role.admin),
]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def split_languages(text: str, language: str) -> tuple[str, str]:
    """(Korean, English) descriptions; bilingual text is split by paragraph script."""
    if language == "en":
        return "", text
    if language == "ko":
        return text, ""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    ko = [p for p in paragraphs if HANGUL.search(p)]
    en = [p for p in paragraphs if not HANGUL.search(p)]
    return "\n\n".join(ko), "\n\n".join(en)


def existing_ids(session: Session, model: type[Organization] | type[Need]) -> set[str]:
    return set(session.scalars(select(model.external_id).where(model.external_id.is_not(None))))


def _user(org: Organization, email: str, name: str, role: Role, password_hash: str) -> User:
    return User(
        organization=org,
        email=email.lower(),
        name=name,
        role=role,
        password_hash=password_hash,
        locale="ko",
        email_verified_at=utcnow(),  # demo accounts count as confirmed
    )


def demo_business_number(external_id: str) -> str:
    """A valid, stable 사업자등록번호 per demo organisation (from a hash of its id)."""
    first = f"{int(hashlib.sha256(external_id.encode()).hexdigest(), 16) % 10**9:09d}"
    return first + str(check_digit(first))


def load_staff(session: Session, password_hash: str) -> int:
    org = session.scalar(select(Organization).where(Organization.kind == OrgKind.support_group))
    if org is None:
        org = Organization(
            kind=OrgKind.support_group, name="경남 제조AI 지원단", external_id="support-group"
        )
        session.add(org)
    taken = set(session.scalars(select(User.email)))
    new = [_user(org, e, n, r, password_hash) for _, e, n, r in STAFF if e not in taken]
    session.add_all(new)
    return len(new)


def supplier_from(row: dict[str, Any], password_hash: str) -> Organization:
    org = Organization(kind=OrgKind.supplier, name=row["name"], external_id=row["external_id"])
    org.business_number = demo_business_number(row["external_id"])
    ko, en = split_languages(row.get("description", ""), row.get("language", "ko"))
    membership = Membership(row.get("membership", "admitted"))
    org.supplier = SupplierProfile(
        description_ko=ko,
        description_en=en,
        membership=membership,
        specialties=row.get("specialties", []),
        ai_techniques=row.get("ai_techniques", []),
        industries=row.get("industries", []),
        processes=row.get("processes", []),
        region=row.get("region"),
        team_size=row.get("team_size"),
        capacity=row.get("capacity", 2),
        price_min=row.get("price_min"),
        price_max=row.get("price_max"),
        min_sf_level=row.get("min_sf_level"),
        certifications=row.get("certifications", []),
        founded_year=row.get("founded"),
        membership_changed_at=admitted_at(row["external_id"]),
        membership_reason="데모 데이터" if membership is not Membership.applied else None,
        case_studies=[case_study_from(i, cs) for i, cs in enumerate(row.get("case_studies", []))],
    )
    name = row.get("contact_name") or row["name"]
    org.users.append(_user(org, row["email"], name, Role.supplier, password_hash))
    return org


def admitted_at(external_id: str) -> datetime:
    """Demo admission dates spread over the group's first 1,000 days (stable per supplier),
    so "newly admitted" picks out a few suppliers, as it would in the real pool."""
    return utcnow() - timedelta(days=zlib.crc32(external_id.encode()) % 1000)


def case_study_from(position: int, row: dict[str, Any]) -> CaseStudy:
    return CaseStudy(
        position=position,
        title=row["title"],
        text=row["text"],
        industry=row.get("industry"),
        process=row.get("process"),
        outcome=row.get("outcome"),
        year=row.get("year"),
    )


def manufacturer_from(row: dict[str, Any], password_hash: str) -> Organization:
    org = Organization(kind=OrgKind.manufacturer, name=row["name"], external_id=row["external_id"])
    org.checked_at = utcnow()  # the demo programme's known members: their needs publish directly
    org.business_number = demo_business_number(row["external_id"])
    readiness = row.get("readiness", {})
    org.manufacturer = ManufacturerProfile(
        description=row.get("description", ""),
        industry=row.get("industry"),
        region=row.get("region"),
        employees=row.get("employees"),
        revenue_band=row.get("revenue_band"),
        sf_level=row.get("sf_level", "none"),
        systems=row.get("systems", []),
        readiness_data=readiness.get("data_collected", "none"),
        readiness_staff=readiness.get("staff", "none"),
        readiness_budget=readiness.get("budget", "none"),
    )
    name = row.get("contact_name") or row["name"]
    org.users.append(_user(org, row["email"], name, Role.manufacturer, password_hash))
    return org


def need_from(row: dict[str, Any], org: Organization) -> Need:
    now = utcnow()
    status = NeedStatus(row.get("status", "open"))
    deadline = now + timedelta(days=row.get("deadline_days", 14))
    need = Need(
        organization=org,
        external_id=row["external_id"],
        title=row["title"],
        description=row["description"],
        industry=row.get("industry"),
        process=row.get("process"),
        ai_techniques=row.get("ai_techniques", []),
        specialties=row.get("specialties", []),
        region=org.manufacturer.region if org.manufacturer else None,
        prefer_in_province=row.get("prefer_in_province", False),
        budget_min=row.get("budget_min"),
        budget_max=row.get("budget_max"),
        timeline_months=row.get("timeline_months"),
        # The demo programme (like the regional AI support project) pays 70% of the price.
        subsidy_share=row.get("subsidy_share", 70),
        deadline_at=deadline,
        data_available=row.get("data_available", ""),
        must_have=row.get("must_have", []),
        nice_to_have=row.get("nice_to_have", []),
        confidential_notes=row.get("confidential_notes", ""),
        status=status,
        published_at=None
        if status is NeedStatus.draft
        else min(now, deadline - timedelta(days=30)),
        closed_at=min(now, deadline + timedelta(days=3)) if status is NeedStatus.closed else None,
    )
    need.created_by_id = None
    need.kpis = [
        NeedKpi(
            position=i,
            metric=k["metric"],
            unit=vocab.unit_code(k.get("unit", "")),
            baseline=k.get("baseline"),
            target=k.get("target"),
        )
        for i, k in enumerate(row.get("kpis", []))
    ]
    return need


def load_demo(session: Session, data_dir: Path = DATA_DIR) -> dict[str, int]:
    password_hash = hasher.hash(DEMO_PASSWORD)
    counts = {"staff": load_staff(session, password_hash)}
    known = existing_ids(session, Organization)
    for kind, build in (("suppliers", supplier_from), ("manufacturers", manufacturer_from)):
        rows = [r for r in read_jsonl(data_dir / f"{kind}.jsonl") if r["external_id"] not in known]
        session.add_all(build(row, password_hash) for row in rows)
        counts[kind] = len(rows)
    session.flush()
    orgs = {
        o.external_id: o
        for o in session.scalars(
            select(Organization).where(Organization.kind == OrgKind.manufacturer)
        )
    }
    known_needs = existing_ids(session, Need)
    rows = [r for r in read_jsonl(data_dir / "needs.jsonl") if r["external_id"] not in known_needs]
    new_needs = [need_from(row, orgs[row["manufacturer"]]) for row in rows]
    session.add_all(new_needs)
    counts["needs"] = len(rows)
    counts["readiness_routed"] = route_demo_needs(new_needs)
    session.flush()
    counts |= load_sponsors(session, password_hash, data_dir)
    counts["engagements"] = load_engagements(session)
    counts["bidding"] = load_bidding(session, data_dir / "bidding.jsonl")
    return counts
