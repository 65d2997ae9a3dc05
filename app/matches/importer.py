"""`axmatch import`: suppliers, manufacturers and needs from JSON Lines, idempotent by
external_id. Every line is validated first; any bad line is reported with its number and
nothing is written."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import vocab
from app.models import (
    CaseStudy,
    ManufacturerProfile,
    Membership,
    Need,
    NeedStatus,
    Organization,
    OrgKind,
    SupplierProfile,
)
from app.schemas import MultiLine, OneLine
from seed.loader import split_languages

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), OneLine]
Text = Annotated[str, StringConstraints(max_length=20_000), MultiLine]
Key = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), OneLine
]
Code = Annotated[str, StringConstraints(max_length=100), OneLine]
Codes = Annotated[list[Code], Field(max_length=50)]
SpecialtyCode = Literal[tuple(vocab.SPECIALTIES)]  # type: ignore[valid-type]
Specialties = Annotated[list[SpecialtyCode], Field(max_length=len(vocab.SPECIALTIES))]
DEFAULT_MANUFACTURER = "import-unassigned"


class Row(BaseModel):
    model_config = ConfigDict(extra="ignore")


R = TypeVar("R", bound=Row)


class CaseIn(Row):
    title: Short
    text: Text
    industry: Short | None = None
    process: Short | None = None
    outcome: Short | None = None
    year: Annotated[int, Field(ge=1950, le=2100)] | None = None


class SupplierIn(Row):
    external_id: Key
    name: Short
    description: Text = ""
    language: Annotated[str, StringConstraints(max_length=8), OneLine] = "ko"
    case_studies: Annotated[list[CaseIn], Field(max_length=500)] = []
    specialties: Codes = []
    ai_techniques: Codes = []
    industries: Codes = []
    processes: Codes = []
    region: Short | None = None
    capacity: Annotated[int, Field(ge=0, le=100)] = 2
    membership: Membership = Membership.admitted


class ManufacturerIn(Row):
    external_id: Key
    name: Short
    description: Text = ""
    industry: Short | None = None
    region: Short | None = None
    sf_level: Short = "none"


class NeedIn(Row):
    external_id: Key
    title: Short
    description: Text
    manufacturer: Key | None = None
    industry: Short | None = None
    process: Short | None = None
    ai_techniques: Codes = []
    specialties: Specialties = []  # validated: a code outside app/vocab.py is a bad line
    status: NeedStatus = NeedStatus.open


class InvalidImport(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def read_rows(path: Path, model: type[R]) -> list[R]:
    rows, problems = [], []
    for number, line in _lines(path):
        try:
            rows.append(model.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            problems.append(f"{path.name}:{number}: {_short(exc)}")
    if problems:
        raise InvalidImport(problems)
    return rows


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if line.strip():
                yield number, line


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:3])
    return str(exc)


def _org(session: Session, kind: OrgKind, external_id: str, name: str) -> Organization:
    org = session.scalar(select(Organization).where(Organization.external_id == external_id))
    if org is None:
        org = Organization(kind=kind, external_id=external_id, name=name)
        session.add(org)
    elif org.kind is not kind:
        raise InvalidImport([f"{external_id}: already used by a {org.kind.value}"])
    org.name = name
    return org


def upsert_supplier(session: Session, row: SupplierIn) -> None:
    org = _org(session, OrgKind.supplier, row.external_id, row.name)
    profile = org.supplier or SupplierProfile(organization=org)
    profile.description_ko, profile.description_en = split_languages(row.description, row.language)
    for field in (
        "specialties",
        "ai_techniques",
        "industries",
        "processes",
        "region",
        "capacity",
        "membership",
    ):
        setattr(profile, field, getattr(row, field))
    wanted = [(c.title, c.text) for c in row.case_studies]
    if [(c.title, c.text) for c in profile.case_studies] != wanted:
        profile.case_studies = [
            CaseStudy(position=i, **c.model_dump()) for i, c in enumerate(row.case_studies)
        ]
    session.add(profile)


def upsert_manufacturer(session: Session, row: ManufacturerIn) -> Organization:
    org = _org(session, OrgKind.manufacturer, row.external_id, row.name)
    profile = org.manufacturer or ManufacturerProfile(organization=org)
    profile.description, profile.industry = row.description, row.industry
    profile.region, profile.sf_level = row.region, row.sf_level
    session.add(profile)
    return org


def upsert_need(session: Session, row: NeedIn, owner: Organization) -> None:
    need = session.scalar(select(Need).where(Need.external_id == row.external_id))
    if need is None:
        need = Need(external_id=row.external_id, organization=owner)
        session.add(need)
    values: dict[str, Any] = row.model_dump(exclude={"external_id", "manufacturer"})
    for field, value in values.items():
        setattr(need, field, value)
    need.region = need.region or (owner.manufacturer.region if owner.manufacturer else None)


def import_files(
    session: Session,
    suppliers: Path | None = None,
    manufacturers: Path | None = None,
    needs: Path | None = None,
) -> dict[str, int]:
    """Validate every file, then upsert everything in the caller's one transaction."""
    parsed = {
        "suppliers": read_rows(suppliers, SupplierIn) if suppliers else [],
        "manufacturers": read_rows(manufacturers, ManufacturerIn) if manufacturers else [],
        "needs": read_rows(needs, NeedIn) if needs else [],
    }
    for supplier in parsed["suppliers"]:
        upsert_supplier(session, supplier)  # type: ignore[arg-type]
    for manufacturer in parsed["manufacturers"]:
        upsert_manufacturer(session, manufacturer)  # type: ignore[arg-type]
    session.flush()
    for need in parsed["needs"]:
        upsert_need(session, need, _owner(session, need))  # type: ignore[arg-type]
    session.flush()
    return {kind: len(rows) for kind, rows in parsed.items()}


def _owner(session: Session, row: NeedIn) -> Organization:
    key = row.manufacturer or DEFAULT_MANUFACTURER
    org = session.scalar(select(Organization).where(Organization.external_id == key))
    if org is None and row.manufacturer:
        raise InvalidImport([f"need {row.external_id}: unknown manufacturer {key}"])
    return org or upsert_manufacturer(
        session, ManufacturerIn(external_id=key, name="Imported needs (unassigned)")
    )
