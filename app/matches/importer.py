"""`axmatch import`: suppliers, manufacturers and needs from JSON Lines, idempotent by
external_id, through the same rules as the pages.

- Every line is validated first: codes against app/vocab.py, unknown or misspelt fields
  refused, each problem reported as `file:line: ...`.
- Writing goes through the services and the audit log, with the operator (an active
  coordinator or admin) as the actor: suppliers arrive as applied unless `admit` (then the
  coordinators' own membership move admits them); needs are drafts (`drafts`, or
  "status": "draft") or are published by the pages' publish path (deadline, budget and KPI
  rules, readiness routing, saved-search alerts). A published need is never overwritten.
- Any problem, found while reading or while writing, changes nothing: the writes run in a
  savepoint that is rolled back, and every problem is reported.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, get_origin

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, vocab
from app.coordinator.schemas import MembershipChange
from app.coordinator.service import change_membership
from app.errors import AppError
from app.i18n import gettext
from app.models import (
    CaseStudy,
    ManufacturerProfile,
    Membership,
    Need,
    NeedStatus,
    Organization,
    OrgKind,
    Role,
    SupplierProfile,
    User,
)
from app.needs import service as needs
from app.needs.schemas import (
    IndustryCode,
    NeedIn,
    ProcessCode,
    RegionCode,
    SpecialtyCode,
    TechniqueCode,
)
from app.schemas import MultiLine, OneLine
from app.web import error_message
from seed.loader import split_languages

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), OneLine]
Text = Annotated[str, StringConstraints(max_length=20_000), MultiLine]
Key = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), OneLine
]
SfLevel = Literal[tuple(vocab.SF_LEVELS)]  # type: ignore[valid-type]
Language = Literal["ko", "en", "mixed", "ko+en"]  # mixed: split by paragraph script
DEFAULT_MANUFACTURER = "import-unassigned"
STAFF = (Role.coordinator, Role.admin)


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid")


R = TypeVar("R", bound=BaseModel)


class CaseIn(Row):
    title: Short
    text: Text
    industry: IndustryCode | None = None
    process: ProcessCode | None = None
    outcome: Short | None = None
    year: Annotated[int, Field(ge=1950, le=2100)] | None = None


class SupplierIn(Row):
    external_id: Key
    name: Short
    description: Text = ""
    language: Language = "ko"
    case_studies: Annotated[list[CaseIn], Field(max_length=500)] = []
    specialties: Annotated[list[SpecialtyCode], Field(max_length=len(vocab.SPECIALTIES))] = []
    ai_techniques: Annotated[list[TechniqueCode], Field(max_length=len(vocab.AI_TECHNIQUES))] = []
    industries: Annotated[list[IndustryCode], Field(max_length=len(vocab.INDUSTRIES))] = []
    processes: Annotated[list[ProcessCode], Field(max_length=len(vocab.PROCESSES))] = []
    region: RegionCode | None = None
    capacity: Annotated[int, Field(ge=0, le=100)] = 2


class ManufacturerIn(Row):
    external_id: Key
    name: Short
    description: Text = ""
    industry: IndustryCode | None = None
    region: RegionCode | None = None
    sf_level: SfLevel = "none"


class NeedLine(NeedIn):
    """A need as the API takes it (app/needs/schemas.NeedIn: the same codes, bounds, budget and
    KPI rules), plus who owns it and whether to publish it. `language` and `relevant` (the
    labels of evaluation sets) are accepted and not stored."""

    external_id: Key
    manufacturer: Key | None = None
    status: Literal["draft", "open"] = "open"
    language: Language | None = None
    relevant: dict[Key, Annotated[int, Field(ge=0, le=3)]] | None = None

    def need_in(self) -> NeedIn:
        return NeedIn.model_validate(self.model_dump(include=set(NeedIn.model_fields)))


@dataclass(frozen=True)
class Detail:
    """What is wrong, in any language: a field's validation error (pydantic's, put in the
    forms' words) or a message (an English msgid with its parameters)."""

    message: str = ""
    params: tuple[tuple[str, Any], ...] = ()
    place: str = ""  # the field, as the file names it
    error: Any = None  # a pydantic error dict

    def text(self, locale: str) -> str:
        body = _error_text(self.error, locale) if self.error else self._message(locale)
        return f"{self.place}: {body}" if self.place else body

    def _message(self, locale: str) -> str:
        return gettext(locale, self.message, **dict(self.params))


@dataclass(frozen=True)
class Problem:
    """One refused line (or file): where, then what (a line may have several details)."""

    where: str
    details: tuple[Detail, ...]

    def text(self, locale: str) -> str:
        what = "; ".join(d.text(locale) for d in self.details)
        return f"{self.where}: {what}" if self.where else what

    def at(self, where: str) -> "Problem":
        return Problem(f"{where}: {self.where}" if self.where else where, self.details)


def problem(message: str, where: str = "", **params: Any) -> Problem:
    return Problem(where, (Detail(message, tuple(params.items())),))


class InvalidImport(Exception):
    """Nothing was imported: `items` say why, in any language (`problems_in(locale)`);
    `problems` is the English the command line prints."""

    def __init__(self, items: list[Problem]) -> None:
        self.items = items
        super().__init__("\n".join(self.problems))

    @property
    def problems(self) -> list[str]:
        return self.problems_in("en")

    def problems_in(self, locale: str) -> list[str]:
        return [p.text(locale) for p in self.items]


@dataclass(frozen=True)
class Line:
    """One valid line and where it came from, for the problems found while writing."""

    where: str
    row: Any


def read_rows(path: Path, model: type[R]) -> list[Line]:
    return validate_rows(path.name, _json_lines(path), model)


def validate_rows(source: str, records: Iterable[tuple[int, Any]], model: type[R]) -> list[Line]:
    """The one validation of an import, whatever the file's format: every record (a line's
    JSON, or a CSV row as a dict; an exception for one that did not parse) through `model`,
    problems as `source:line: ...`."""
    rows, problems = [], []
    for number, record in records:
        where = f"{source}:{number}"
        try:
            if isinstance(record, Exception):
                raise record
            rows.append(Line(where, model.model_validate(record)))
        except ValidationError as exc:
            problems.append(Problem(where, tuple(_detail(e) for e in exc.errors()[:3])))
        except ValueError as exc:  # JSONDecodeError is a ValueError
            problems.append(problem("Not a JSON object: %(error)s", where, error=str(exc)))
    if problems:
        raise InvalidImport(problems)
    return rows


def _json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, exc


def csv_records(text: str, model: type[BaseModel]) -> Iterator[tuple[int, Any]]:
    """A CSV file's rows as records for `validate_rows`: the header names the fields (as the
    JSON Lines do), an empty cell leaves its field unset, a list field's codes are separated
    by `;`. A UTF-8 byte-order mark (as Excel saves, and as our exports write) is allowed."""
    lists = {name for name, f in model.model_fields.items() if get_origin(f.annotation) is list}
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    for row in reader:
        record: dict[str, Any] = {}
        for key, cell in row.items():
            if key is None:  # more cells than headers: refused as an unknown field
                record["(extra cells)"] = cell
            elif cell is not None and cell.strip():  # None: a short row's missing cells
                parts = [p.strip() for p in cell.split(";") if p.strip()]
                record[key.strip()] = parts if key.strip() in lists else cell.strip()
        if record:
            yield reader.line_num, record


def _detail(error: Any) -> Detail:
    return Detail(place=".".join(map(str, error["loc"])), error=error)


def _error_text(error: Any, locale: str) -> str:
    """A field's error in the forms' words, with the two an import needs most said exactly:
    a misspelt field and an unknown code (quoted as the file has it)."""
    if error["type"] == "extra_forbidden":
        return gettext(locale, "unknown field")
    if error["type"] in ("literal_error", "enum"):
        return gettext(locale, "unknown code %(code)s", code=repr(error["input"]))
    return error_message(error, locale)


def operator_for(session: Session, email: str) -> User:
    """The account the audit log names for the import: an active coordinator or admin."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active or user.role not in STAFF:
        raise InvalidImport(
            [problem("operator %(email)s: not an active coordinator or admin account", email=email)]
        )
    return user


def _org(session: Session, kind: OrgKind, external_id: str, name: str) -> Organization:
    org = session.scalar(select(Organization).where(Organization.external_id == external_id))
    if org is None:
        org = Organization(kind=kind, external_id=external_id, name=name)
        session.add(org)
    elif org.kind is not kind:
        used = {OrgKind.supplier: "already used by a supplier"}
        message = used.get(org.kind, "already used by a manufacturer")
        raise InvalidImport([problem("%(id)s: " + message, id=external_id)])
    org.name = name
    return org


PROFILE_FIELDS = ("specialties", "ai_techniques", "industries", "processes", "region", "capacity")


def _supplier_state(profile: SupplierProfile) -> dict[str, Any]:
    state = {field: getattr(profile, field) for field in PROFILE_FIELDS}
    state["description"] = [profile.description_ko, profile.description_en]
    state["case_studies"] = [(c.title, c.text) for c in profile.case_studies]
    return state


def upsert_supplier(session: Session, operator: User, row: SupplierIn, admit: bool) -> None:
    """New suppliers are applied; `admit` moves them (and applied ones) through the
    coordinators' membership move, audited with the operator. An existing membership is
    otherwise kept: an import never suspends, re-admits or demotes."""
    org = _org(session, OrgKind.supplier, row.external_id, row.name)
    profile = org.supplier
    created = profile is None
    if profile is None:
        profile = SupplierProfile(organization=org, membership=Membership.applied)
        session.add(profile)
    before = None if created else _supplier_state(profile)
    profile.description_ko, profile.description_en = split_languages(row.description, row.language)
    for field in PROFILE_FIELDS:
        setattr(profile, field, getattr(row, field))
    if [(c.title, c.text) for c in profile.case_studies] != [
        (c.title, c.text) for c in row.case_studies
    ]:
        profile.case_studies = [
            CaseStudy(position=i, **c.model_dump()) for i, c in enumerate(row.case_studies)
        ]
    session.flush()
    after = _supplier_state(profile)
    if after != before:
        audit.record(
            session,
            operator,
            "supplier.imported",
            org,
            after={"external_id": row.external_id, "membership": profile.membership.value},
            reason="axmatch import",
        )
    if admit and profile.membership is Membership.applied:
        change = MembershipChange(status="admitted", reason="axmatch import --admit")
        change_membership(session, operator, org.id, change)


def upsert_manufacturer(session: Session, operator: User, row: ManufacturerIn) -> Organization:
    org = _org(session, OrgKind.manufacturer, row.external_id, row.name)
    profile = org.manufacturer or ManufacturerProfile(organization=org)
    values = {
        "description": row.description,
        "industry": row.industry,
        "region": row.region,
        "sf_level": row.sf_level,
    }
    changed = org.manufacturer is None or any(getattr(profile, k) != v for k, v in values.items())
    for field, value in values.items():
        setattr(profile, field, value)
    session.add(profile)
    session.flush()
    if changed:
        after = {"external_id": row.external_id, **values}
        audit.record(
            session, operator, "manufacturer.imported", org, after=after, reason="axmatch import"
        )
    return org


def upsert_need(session: Session, operator: User, row: NeedLine, drafts: bool) -> None:
    """A new need, or a draft re-imported, is written as the API writes it; an "open" one is
    then published by the pages' publish path. A published need is never overwritten."""
    data = row.need_in()
    need = session.scalar(select(Need).where(Need.external_id == row.external_id))
    if need is not None and need.status is not NeedStatus.draft:
        if _same(need, data):
            return
        raise InvalidImport(
            [
                problem(
                    "need %(id)s is published: change it by an amendment on its page",
                    id=row.external_id,
                )
            ]
        )
    if need is None:
        need = needs.new_need(
            session, _owner(session, operator, row), operator, data, row.external_id
        )
    else:
        needs.update_draft(session, operator, need, data)
    if row.status == "open" and not drafts:
        needs.publish(session, need, operator, reason="axmatch import")


def _same(need: Need, data: NeedIn) -> bool:
    wanted = needs.proposed(data)
    current = needs.snapshot(need)
    return all(current[k] == v for k, v in wanted.items() if k not in ("industry", "region"))


def _owner(session: Session, operator: User, row: NeedLine) -> Organization:
    key = row.manufacturer or DEFAULT_MANUFACTURER
    org = session.scalar(select(Organization).where(Organization.external_id == key))
    if org is None and row.manufacturer:
        raise InvalidImport(
            [problem("need %(id)s: unknown manufacturer %(key)s", id=row.external_id, key=key)]
        )
    if org is not None and org.kind is not OrgKind.manufacturer:
        raise InvalidImport(
            [problem("need %(id)s: %(key)s is not a manufacturer", id=row.external_id, key=key)]
        )
    return org or upsert_manufacturer(
        session, operator, ManufacturerIn(external_id=key, name="Imported needs (unassigned)")
    )


def import_files(
    session: Session,
    operator: User,
    suppliers: Path | None = None,
    manufacturers: Path | None = None,
    needs: Path | None = None,
    *,
    admit: bool = False,
    drafts: bool = False,
) -> dict[str, int]:
    """Validate every file, then write everything in one savepoint of the caller's
    transaction; any problem rolls the savepoint back and is reported with its line."""
    parsed = {
        "suppliers": read_rows(suppliers, SupplierIn) if suppliers else [],
        "manufacturers": read_rows(manufacturers, ManufacturerIn) if manufacturers else [],
        "needs": read_rows(needs, NeedLine) if needs else [],
    }
    return import_rows(session, operator, parsed, admit=admit, drafts=drafts)


def import_rows(
    session: Session,
    operator: User,
    parsed: dict[str, list[Line]],
    *,
    admit: bool = False,
    drafts: bool = False,
    dry_run: bool = False,
) -> dict[str, int]:
    """Write validated lines (suppliers, then manufacturers, then needs) in one savepoint;
    any problem rolls it back and is reported with its line. `dry_run`: every write is made
    and checked as for real, then rolled back all the same."""
    problems: list[Problem] = []
    savepoint = session.begin_nested()
    for line in parsed.get("suppliers", []):
        _write(problems, line, upsert_supplier, session, operator, line.row, admit)
    for line in parsed.get("manufacturers", []):
        _write(problems, line, upsert_manufacturer, session, operator, line.row)
    for line in parsed.get("needs", []):
        _write(problems, line, upsert_need, session, operator, line.row, drafts)
    if problems or dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    if problems:
        raise InvalidImport(problems)
    return {kind: len(rows) for kind, rows in parsed.items()}


def _write(problems: list[Problem], line: Line, write: Any, *args: Any) -> None:
    """Run one line's write; a refusal is recorded against the line (the savepoint is
    rolled back at the end, so what it wrote does not stay)."""
    if problems:  # a later line may depend on an earlier one: report the first refusal only
        return
    try:
        write(*args)
    except InvalidImport as exc:
        problems += [p.at(line.where) for p in exc.items]
    except AppError as exc:
        problems.append(problem(exc.message, line.where, **exc.params))


CSV_MODELS: dict[str, type[BaseModel]] = {"suppliers": SupplierIn, "manufacturers": ManufacturerIn}


def import_csv(
    session: Session,
    operator: User,
    kind: str,
    filename: str,
    text: str,
    *,
    admit: bool = False,
    dry_run: bool = True,
) -> int:
    """The coordinators' CSV import: the same validation and writes as `axmatch import`,
    problems by line (`filename:line: ...`); returns how many rows were (or would be) written."""
    model = CSV_MODELS[kind]
    try:
        rows = validate_rows(filename, csv_records(text, model), model)
    except csv.Error as exc:
        raise InvalidImport(
            [problem("not a CSV file (%(error)s)", filename, error=str(exc))]
        ) from exc
    counts = import_rows(session, operator, {kind: rows}, admit=admit, dry_run=dry_run)
    return counts[kind]
