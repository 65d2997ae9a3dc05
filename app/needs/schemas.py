"""Request and response models for needs; the forms validate with the same input models."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from app import vocab
from app.formats import SEOUL
from app.schemas import MAX_ID, Input, LongText, Money, MultiLine, OneLine, ShortText, Title

IndustryCode = Literal[tuple(vocab.INDUSTRIES)]  # type: ignore[valid-type]
ProcessCode = Literal[tuple(vocab.PROCESSES)]  # type: ignore[valid-type]
TechniqueCode = Literal[tuple(vocab.AI_TECHNIQUES)]  # type: ignore[valid-type]
SpecialtyCode = Literal[tuple(vocab.SPECIALTIES)]  # type: ignore[valid-type]
RegionCode = Literal[tuple(vocab.REGIONS)]  # type: ignore[valid-type]
MetricCode = Literal[tuple(vocab.KPI_METRICS)]  # type: ignore[valid-type]
# The status shown everywhere, derived from time (Need.phase): "open" is open for bids,
# "awaiting_selection" an open need whose deadline has passed.
StatusCode = Literal["draft", "awaiting_check", "open", "awaiting_selection", "closed"]
Measure = Annotated[float, Field(ge=-1e9, le=1e9, allow_inf_nan=False)]
# A unit code (vocab.KPI_UNITS); a known spelling ("만원/year") becomes its code, any other
# text is kept as typed so nothing a manufacturer wrote is lost.
Unit = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=20),
    OneLine,
    AfterValidator(vocab.unit_code),
]
Requirement = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), OneLine
]
Problem = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=10, max_length=5000), MultiLine
]
Query = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), OneLine]


def parse_deadline(value: Any) -> Any:
    """ISO date-time; without an offset it is read as Asia/Seoul (what the user typed)."""
    if value is None or isinstance(value, datetime):
        aware = value
    elif isinstance(value, str):
        try:
            aware = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("Enter a date and time.") from None
    else:
        raise ValueError("Enter a date and time.")
    if aware is not None and aware.tzinfo is None:
        aware = aware.replace(tzinfo=SEOUL)
    return aware.astimezone(UTC) if aware is not None else None


Deadline = Annotated[datetime | None, BeforeValidator(parse_deadline)]


class KpiIn(Input):
    metric: MetricCode
    unit: Unit = ""
    baseline: Measure | None = None
    target: Measure | None = None


class NeedIn(Input):
    title: Title
    description: Problem
    industry: IndustryCode | None = None
    process: ProcessCode | None = None
    ai_techniques: list[TechniqueCode] = Field(default_factory=list, max_length=13)
    specialties: list[SpecialtyCode] = Field(
        default_factory=list,
        max_length=len(vocab.SPECIALTIES),
        description="Specialty fields (전문분야) the need wants a supplier to cover.",
    )
    region: RegionCode | None = None
    prefer_in_province: bool = False
    kpis: list[KpiIn] = Field(default_factory=list, max_length=8)
    budget_min: Money | None = None
    budget_max: Money | None = None
    timeline_months: Annotated[int, Field(ge=1, le=60)] | None = None
    subsidy_share: Annotated[int, Field(ge=1, le=100)] | None = None
    deadline_at: Deadline = None
    data_available: LongText = ""
    must_have: list[Requirement] = Field(default_factory=list, max_length=20)
    nice_to_have: list[Requirement] = Field(default_factory=list, max_length=20)
    confidential_notes: LongText = ""

    @field_validator("budget_max")
    @classmethod
    def _max_not_below_min(cls, value: int | None, info: ValidationInfo) -> int | None:
        low = info.data.get("budget_min")
        if value is not None and low is not None and value < low:
            raise ValueError("The maximum budget must not be less than the minimum.")
        return value

    @field_validator("ai_techniques", "specialties")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class NeedUpdate(NeedIn):
    version: Annotated[int, Field(ge=1, le=MAX_ID)]
    amendment_reason: ShortText | None = Field(
        None, description="After publication: why the need changes (shown with the addendum)."
    )


class PublishIn(Input):
    version: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class CloseIn(Input):
    reason: ShortText | None = None
    version: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class CheckIn(Input):
    """A coordinator's decision on a first need: a reason is required to return it."""

    reason: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), MultiLine] | None
    ) = None
    version: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class ReturnIn(CheckIn):
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=2, max_length=1000), MultiLine
    ]


class NeedFilters(BaseModel):
    """Query parameters of the list page and GET /api/needs (strings from the URL coerce)."""

    model_config = ConfigDict(extra="forbid")

    q: Query | None = None
    status: StatusCode | None = None
    industry: IndustryCode | None = None
    process: ProcessCode | None = None
    ai_technique: TechniqueCode | None = None
    region: RegionCode | None = None
    in_province: bool = False
    budget_min: Money | None = None
    budget_max: Money | None = None
    upcoming: bool = False
    sort: Literal["newest", "deadline"] = "newest"
    page: Annotated[int, Field(ge=1, le=10_000)] = 1
    per_page: Annotated[int, Field(ge=1, le=100)] = 20


class KpiOut(BaseModel):
    metric: str
    unit: str
    baseline: float | None
    target: float | None


class NeedOut(BaseModel):
    id: int
    organization_id: int
    organization_name: str
    status: StatusCode
    title: str
    description: str
    industry: str | None
    process: str | None
    ai_techniques: list[str]
    specialties: list[str]
    region: str | None
    prefer_in_province: bool
    kpis: list[KpiOut]
    budget_min: int | None
    budget_max: int | None
    timeline_months: int | None
    subsidy_share: int | None = Field(
        description="Percent of the price a government programme pays; null: no programme."
    )
    deadline_at: datetime | None
    data_available: str
    must_have: list[str]
    nice_to_have: list[str]
    confidential_notes: str | None = Field(
        description="Only for the owning organisation and coordinators/admins; null otherwise."
    )
    published_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int
    amendment: int = Field(description="The latest addendum's number; 0: as published")
    track: Literal["ai", "readiness"] = Field(
        description="'readiness': matched with data-collection/MES/sensor suppliers first."
    )
    track_reason: str | None = Field(
        description="Why (reason codes or a coordinator's words; see /api/needs/{id}/track). "
        "Only for the owning organisation and coordinators/admins; null otherwise."
    )


class ChangeOut(BaseModel):
    before: Any
    after: Any


class AmendmentOut(BaseModel):
    number: int
    created_at: datetime
    reopens: bool = Field(description="Budget, deadline, KPIs or requirements changed")
    reason: str | None
    changes: dict[str, ChangeOut]


class NeedPage(BaseModel):
    items: list[NeedOut]
    total: int
    page: int
    per_page: int
    pages: int
