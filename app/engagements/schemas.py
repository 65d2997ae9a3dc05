"""Request and response models for engagements; the forms validate with the same inputs."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from app import vocab
from app.schemas import MAX_ID, ChangeOut, Input, LongText, MoneyOut, MultiLine, Title
from app.track_record.service import TRACK_LIMIT

StageCode = Literal["consulting", "design", "demonstration", "deployment", "closed", "cancelled"]
MoveTarget = Literal["design", "demonstration", "deployment", "closed", "cancelled"]
WorkStage = Literal["consulting", "design", "demonstration", "deployment"]
PhaseCode = Literal["demonstration", "deployment", "follow_up"]
IndustryCode = Literal[tuple(vocab.INDUSTRIES)]  # type: ignore[valid-type]
RegionCode = Literal[tuple(vocab.REGIONS)]  # type: ignore[valid-type]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=1, le=MAX_ID)]
Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), MultiLine
]
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000), MultiLine
]
Measure = Annotated[float, Field(ge=-1e9, le=1e9, allow_inf_nan=False)]


def parse_day(value: Any) -> Any:
    """ISO dates (YYYY-MM-DD) from JSON and forms alike."""
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("Enter a date (YYYY-MM-DD).") from None
    raise ValueError("Enter a date (YYYY-MM-DD).")


Day = Annotated[date | None, BeforeValidator(parse_day)]


class MoveIn(Input):
    to: MoveTarget
    version: Version | None = None
    reason: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), MultiLine] | None
    ) = None
    # Deployment although the demonstration missed its targets: a coordinator's decision,
    # with `reason` as its written justification ("목표 미달 승인").
    override: bool = False


class PlanIn(Input):
    stage: WorkStage
    planned_start: Day = None
    planned_end: Day = None

    @model_validator(mode="after")
    def _ordered(self) -> "PlanIn":
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValueError("The planned end must not be before the planned start.")
        return self


class MilestoneIn(Input):
    stage: WorkStage
    title: Title
    deliverable: LongText = ""
    due_date: Day = None


class NoteIn(Input):
    text: Text


class ResultIn(Input):
    kpi_id: Id
    phase: PhaseCode
    value: Measure
    evidence: Text


class RejectIn(Input):
    reason: Reason


class ReviewIn(Input):
    rating: Annotated[int, Field(ge=1, le=5)]
    text: LongText = ""


class ListFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage: StageCode | None = None
    page: Annotated[int, Field(ge=1, le=1000)] = 1


class BoardFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    industry: IndustryCode | None = None
    region: RegionCode | None = None
    supplier: Id | None = None
    flag: Literal["overdue", "stalled"] | None = None


class StageOut(BaseModel):
    stage: str
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    signed_off_by_id: int | None
    signed_off_at: datetime | None


class MilestoneOut(BaseModel):
    id: int
    stage: str
    title: str
    deliverable: str
    due_date: date | None
    delivered_at: datetime | None
    accepted_at: datetime | None


class ResultOut(BaseModel):
    id: int
    phase: str
    value: float
    evidence: str
    recorded_at: datetime
    verified_at: datetime | None
    rejected_reason: str | None
    target_met: bool | None = Field(
        None, description="Verified and met (true) or missed (false) its KPI's target"
    )


class KpiOut(BaseModel):
    id: int
    metric: str
    unit: str
    baseline: float | None
    target: float | None
    acceptance: bool
    lower_is_better: bool = Field(description="The target is reached by going down")
    results: list[ResultOut]


class NoteOut(BaseModel):
    id: int
    organization_id: int
    text: str
    created_at: datetime


class ReviewOut(BaseModel):
    id: int
    author_org_id: int
    subject_org_id: int
    rating: int
    text: str
    created_at: datetime


class EventOut(BaseModel):
    action: str
    actor_id: int | None
    created_at: datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    sealed: bool  # content withheld (a review rating before the reviews are revealed)
    action_label: str = ""
    summary: str = Field("", description="The action and what it is about, in words")
    changes: list[ChangeOut] = Field(default_factory=list)


class EngagementSummary(BaseModel):
    id: int
    need_id: int
    need_title: str
    supplier_org_id: int
    supplier_name: str
    manufacturer_org_id: int
    manufacturer_name: str
    stage: str
    overdue: bool
    version: int
    updated_at: datetime


class GateOut(BaseModel):
    """The gate out of the current stage: what it asks for and what is still missing."""

    to: str
    condition: str
    missing: list[str]
    overridable: bool


class OverrideOut(BaseModel):
    reason: str
    by_id: int | None
    at: datetime


class PriceOut(BaseModel):
    """The awarded price as the agreement's current version states it, and what is paid."""

    agreement_number: int
    confirmed: bool  # both parties confirmed this version
    total: MoneyOut
    subsidy: MoneyOut
    copay: MoneyOut
    subsidy_disbursed: MoneyOut
    copay_received: MoneyOut


class EngagementOut(EngagementSummary):
    price: PriceOut | None  # details: GET /api/engagements/{id}/agreement
    cancel_reason: str | None
    gate: GateOut | None
    gate_override: OverrideOut | None
    supplier_membership: str | None
    closed_at: datetime | None
    stages: list[StageOut]
    milestones: list[MilestoneOut]
    kpis: list[KpiOut]
    notes: list[NoteOut]
    reviews: list[ReviewOut]
    timeline: list[EventOut]


class EngagementPage(BaseModel):
    items: list[EngagementSummary]
    total: int
    page: int
    per_page: int
    pages: int


class WaitingOut(BaseModel):
    who: Literal["supplier", "manufacturer", "coordinator"] = Field(
        description="The party that must act next"
    )
    what: str = Field(description="What it must do, in the caller's language")


class BoardCardOut(EngagementSummary):
    """`overdue` counts late milestones of the current stage as well as a late stage."""

    days_in_stage: int
    waiting_for: list[WaitingOut]
    stalled: bool = Field(description="Open, and nothing recorded for AXMATCH_STALLED_DAYS")
    last_activity_at: datetime


class BoardOut(BaseModel):
    columns: dict[str, list[BoardCardOut]]
    stalled_days: int


class TrackLineOut(BaseModel):
    """One verified result of a supplier (its track record); unverified results never appear."""

    metric: str
    unit: str
    baseline: float | None
    target: float | None
    value: float
    change: float | None = Field(description="Percent change from the baseline")
    phase: PhaseCode = Field(description="The latest verified phase of this KPI")
    industry: str | None
    year: int
    verified_at: datetime
    met: bool


TrackRecordOut = Annotated[list[TrackLineOut], Field(max_length=TRACK_LIMIT)]
