"""Request and response models for profiles, case studies and the supplier directory."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from app import vocab
from app.accounts.business import BusinessNumber
from app.engagements.schemas import TrackRecordOut
from app.profiles.readiness import BUDGET, DATA, STAFF
from app.schemas import MAX_ID, Input, LongText, Money, MultiLine, OneLine, ShortText, Title

Specialty = Literal[tuple(vocab.SPECIALTIES)]  # type: ignore[valid-type]
AiTechnique = Literal[tuple(vocab.AI_TECHNIQUES)]  # type: ignore[valid-type]
Industry = Literal[tuple(vocab.INDUSTRIES)]  # type: ignore[valid-type]
Process = Literal[tuple(vocab.PROCESSES)]  # type: ignore[valid-type]
Region = Literal[tuple(vocab.REGIONS)]  # type: ignore[valid-type]
SfLevel = Literal[tuple(vocab.SF_LEVELS)]  # type: ignore[valid-type]
System = Literal[tuple(vocab.SYSTEMS)]  # type: ignore[valid-type]
RevenueBand = Literal[tuple(vocab.REVENUE_BANDS)]  # type: ignore[valid-type]
DataAnswer = Literal[tuple(DATA)]  # type: ignore[valid-type]
StaffAnswer = Literal[tuple(STAFF)]  # type: ignore[valid-type]
BudgetAnswer = Literal[tuple(BUDGET)]  # type: ignore[valid-type]
MembershipCode = Literal["applied", "admitted", "rejected", "suspended", "expired"]

Certification = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), OneLine
]
Year = Annotated[int, Field(ge=1900, le=2100)]
Version = Annotated[int, Field(ge=1, le=MAX_ID)]
CaseText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000), MultiLine
]
SearchText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), OneLine]
MAX_CERTIFICATIONS = 20


def codes(terms: dict[str, Any]) -> Any:
    """A list of vocabulary codes, bounded by the vocabulary's size."""
    return Field(default_factory=list, max_length=len(terms))


def _no_nul(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL; reject it here (422) rather than fail at the database."""
    texts = value if isinstance(value, list) else [value]
    if any(isinstance(text, str) and "\x00" in text for text in texts):
        raise ValueError("Text must not contain NUL characters.")
    return value


class TextInput(Input):
    _text = field_validator("*")(_no_nul)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _not_future(year: int | None) -> int | None:
    if year is not None and year > datetime.now(UTC).year:
        raise ValueError("The year cannot be in the future.")
    return year


class SupplierProfileIn(TextInput):
    kind: Literal["supplier"] = "supplier"
    name: Title
    business_number: BusinessNumber | None = None  # 사업자등록번호; None keeps the stored one
    description_ko: LongText = ""
    description_en: LongText = Field(default="", validate_default=True)
    specialties: list[Specialty] = codes(vocab.SPECIALTIES)
    ai_techniques: list[AiTechnique] = codes(vocab.AI_TECHNIQUES)
    industries: list[Industry] = codes(vocab.INDUSTRIES)
    processes: list[Process] = codes(vocab.PROCESSES)
    region: Region | None = None
    team_size: Annotated[int, Field(ge=1, le=100_000)] | None = None
    capacity: Annotated[int, Field(ge=1, le=50)] = 1
    price_min: Money | None = None
    price_max: Money | None = Field(default=None, validate_default=True)
    min_sf_level: SfLevel | None = None
    certifications: list[Certification] = Field(default_factory=list, max_length=MAX_CERTIFICATIONS)
    founded_year: Year | None = None
    website: ShortText | None = None
    version: Version

    _dedupe = field_validator(
        "specialties", "ai_techniques", "industries", "processes", "certifications"
    )(_unique)
    _year = field_validator("founded_year")(_not_future)

    @field_validator("description_en")
    @classmethod
    def _one_description(cls, value: str, info: ValidationInfo) -> str:
        if not value and info.data.get("description_ko", "invalid") == "":
            raise ValueError("Describe your company in Korean or English (or both).")
        return value

    @field_validator("price_max")
    @classmethod
    def _price_order(cls, value: int | None, info: ValidationInfo) -> int | None:
        low = info.data.get("price_min")
        if value is not None and low is not None and low > value:
            raise ValueError("The maximum price must not be below the minimum price.")
        return value

    @field_validator("website")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https") or "." not in host or " " in value:
            raise ValueError("Enter a web address starting with http:// or https://.")
        return value


class ManufacturerProfileIn(TextInput):
    kind: Literal["manufacturer"] = "manufacturer"
    name: Title
    business_number: BusinessNumber | None = None  # 사업자등록번호; None keeps the stored one
    description: LongText = ""
    industry: Industry | None = None
    region: Region | None = None
    employees: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    revenue_band: RevenueBand | None = None
    sf_level: SfLevel = "none"
    systems: list[System] = codes(vocab.SYSTEMS)
    readiness_data: DataAnswer = "none"
    readiness_staff: StaffAnswer = "none"
    readiness_budget: BudgetAnswer = "none"
    version: Version

    _dedupe = field_validator("systems")(_unique)


ProfileIn = Annotated[SupplierProfileIn | ManufacturerProfileIn, Field(discriminator="kind")]


class CaseStudyIn(TextInput):
    title: Title
    text: CaseText
    industry: Industry | None = None
    process: Process | None = None
    outcome: ShortText | None = None
    year: Year | None = None

    _year = field_validator("year")(_not_future)


class SupplierQuery(BaseModel):
    """Directory filters; query strings are parsed (not strict), unknown ones rejected."""

    model_config = ConfigDict(extra="forbid")
    _text = field_validator("q")(_no_nul)

    q: SearchText | None = None
    specialty: Specialty | None = None
    ai_technique: AiTechnique | None = None
    industry: Industry | None = None
    process: Process | None = None
    region: Region | None = None
    in_province: bool = False
    membership: MembershipCode | None = None
    # "fit": a manufacturer's view, best fit to one of its open needs first (`need`)
    sort: Literal["name", "fit"] = "name"
    need: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    page: Annotated[int, Field(ge=1, le=10_000)] = 1
    per_page: Annotated[int, Field(ge=1, le=100)] = 20


class CaseStudyOut(BaseModel):
    id: int
    position: int
    title: str
    text: str
    industry: str | None
    process: str | None
    outcome: str | None
    year: int | None


class SupplierProfileOut(BaseModel):
    kind: Literal["supplier"] = "supplier"
    organization_id: int
    name: str
    business_number: str | None
    description_ko: str
    description_en: str
    specialties: list[str]
    ai_techniques: list[str]
    industries: list[str]
    processes: list[str]
    region: str | None
    in_province: bool
    team_size: int | None
    capacity: int
    price_min: int | None
    price_max: int | None
    min_sf_level: str | None
    certifications: list[str]
    founded_year: int | None
    website: str | None
    membership: MembershipCode
    membership_reason: str | None
    membership_changed_at: datetime | None
    updated_at: datetime
    version: int
    case_studies: list[CaseStudyOut]
    track_record: TrackRecordOut = Field(
        description="Verified KPI results of its engagements, newest first"
    )


class ReadinessPartOut(BaseModel):
    key: str
    answer: str
    points: int
    max_points: int


class ReadinessStepOut(BaseModel):
    key: str = Field(description="The part this step raises")
    points: int = Field(description="At most this many points more")


class ReadinessOut(BaseModel):
    score: int
    parts: list[ReadinessPartOut]
    band: Literal["basics", "pilot", "ready"] = Field(
        description="What the score means: below 40 basics, 40-69 a focused pilot, 70+ ready"
    )
    next_steps: list[ReadinessStepOut] = Field(description="The largest gain first")


class ManufacturerProfileOut(BaseModel):
    kind: Literal["manufacturer"] = "manufacturer"
    organization_id: int
    name: str
    business_number: str | None
    description: str
    industry: str | None
    region: str | None
    employees: int | None
    revenue_band: str | None
    sf_level: str
    systems: list[str]
    readiness_data: str
    readiness_staff: str
    readiness_budget: str
    readiness: ReadinessOut
    updated_at: datetime
    version: int


ProfileOut = Annotated[SupplierProfileOut | ManufacturerProfileOut, Field(discriminator="kind")]


class SupplierSummaryOut(BaseModel):
    organization_id: int
    name: str
    description_ko: str
    description_en: str
    specialties: list[str]
    ai_techniques: list[str]
    industries: list[str]
    processes: list[str]
    region: str | None
    in_province: bool
    capacity: int
    price_min: int | None
    price_max: int | None
    membership: MembershipCode


class SupplierPageOut(BaseModel):
    items: list[SupplierSummaryOut]
    total: int
    page: int
    per_page: int
    pages: int
