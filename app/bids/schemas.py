"""Request and response models for bids, questions, selection and proposals."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from app.engagements.schemas import TrackRecordOut
from app.files.schemas import AttachmentOut
from app.schemas import MAX_ID, Input, LongText, Money, MultiLine, OneLine, ShortText

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=1, le=MAX_ID)]
StageCode = Literal["consulting", "design", "demonstration", "deployment"]
STAGES: tuple[str, ...] = ("consulting", "design", "demonstration", "deployment")
Approach = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=10, max_length=5000), MultiLine
]
Line = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), OneLine
]
Question = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=5, max_length=2000), MultiLine
]
Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=1000), MultiLine
]
IdempotencyKeyText = Annotated[str, StringConstraints(min_length=8, max_length=100), OneLine]


class TimelineRow(Input):
    stage: StageCode
    weeks: Annotated[int, Field(ge=1, le=260)]


class BidIn(Input):
    approach: Approach
    team: LongText = ""
    timeline: list[TimelineRow] = Field(default_factory=list, max_length=4)
    price_total: Money
    price_subsidy: Money = 0
    price_copay: Annotated[Money, Field(validate_default=True)] = 0
    case_study_ids: list[Id] = Field(default_factory=list, max_length=10)
    attachments: list[Line] = Field(default_factory=list, max_length=10)
    version: Version | None = None

    @field_validator("timeline")
    @classmethod
    def _one_row_per_stage(cls, rows: list[TimelineRow]) -> list[TimelineRow]:
        if len({row.stage for row in rows}) != len(rows):
            raise ValueError("Give each stage at most once.")
        return rows

    @field_validator("price_copay")
    @classmethod
    def _split_adds_up(cls, copay: int, info: ValidationInfo) -> int:
        """On the co-payment field, so a form marks it (total and subsidy come first)."""
        total, subsidy = info.data.get("price_total"), info.data.get("price_subsidy")
        if total is not None and subsidy is not None and subsidy + copay != total:
            raise ValueError("Subsidy and co-payment must add up to the total price.")
        return copay

    def body(self) -> dict[str, object]:
        """What identifies a submission for idempotency (the version is not part of it)."""
        return self.model_dump(mode="json", exclude={"version"})


class VersionIn(Input):
    version: Version | None = None


class InviteIn(Input):
    supplier_org_id: Id


class QuestionIn(Input):
    question: Question


class AnswerIn(Input):
    question_id: Id
    answer: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000), MultiLine
    ]


class SelectIn(Input):
    supplier_org_id: Id
    justification: Reason


class DecisionIn(Input):
    reason: Reason
    version: Version | None = None


class ProposalIn(Input):
    supplier_org_id: Id
    note: ShortText = ""
    # On a need still collecting sealed bids: end the bidding now (every bidder and invitee
    # is told `end_reason`) instead of waiting for the deadline.
    end_bidding: bool = False
    end_reason: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), MultiLine] | None
    ) = None


class TimelineOut(BaseModel):
    stage: str
    weeks: int


class BidOut(BaseModel):
    id: int
    need_id: int
    need_title: str
    supplier_org_id: int
    supplier_name: str
    status: str
    outcome: str | None = Field(description="selected / not_selected once an award is approved")
    approach: str
    team: str
    timeline: list[TimelineOut]
    price_total: int
    price_subsidy: int
    price_copay: int
    case_study_ids: list[int]
    attachments: list[str]
    shortlisted: bool | None = Field(description="Only for the need's manufacturer and staff")
    submitted_at: datetime
    updated_at: datetime
    withdrawn_at: datetime | None
    need_amendment: int = Field(description="The need's addendum the bid was made against")
    needs_confirmation: bool = Field(
        description="An addendum to budget, deadline, KPIs or requirements came after the bid: "
        "the bidder confirms (POST .../bid/confirm) or revises it"
    )
    version: int


class VersionOut(BaseModel):
    number: int
    created_at: datetime
    snapshot: dict[str, object]
    files: list[AttachmentOut] = Field(
        [], description="The files this version carried (each says the version it joined)"
    )


class AgainstOut(BaseModel):
    status: Literal["within", "over", "under", "unknown"] = Field(
        description="within the need's figure, over it, under the budget's minimum, or "
        "unknown (the need or the bid gives none)"
    )
    difference: int = Field(description="How far outside: won for prices, weeks for durations")


class DurationOut(AgainstOut):
    weeks: int | None = Field(description="The bid's timeline, all stages")
    wanted_weeks: int | None = Field(description="The need's wanted timeline in weeks")


class StandingOut(BaseModel):
    completed_engagements: int
    case_studies: int = Field(description="Case studies on the supplier's profile")
    review_average: float | None = Field(description="Mean public review rating, 1..5")
    review_count: int


class ComparisonRow(BaseModel):
    bid: BidOut
    score: float | None
    level: str | None = None  # fit level: high, medium, low; null below minimum or unranked
    level_label: str | None = None
    price_vs_budget: AgainstOut | None = None
    duration_vs_timeline: DurationOut | None = None
    supplier_record: StandingOut | None = None
    reasons: list[str]
    case_studies: list[dict[str, object]]
    track_record: TrackRecordOut
    # The supplier's membership now; anything but "admitted" means its selection cannot be
    # approved (a suspended or expired supplier's bid stays visible, flagged).
    supplier_membership: str | None = None


class BidsOnNeed(BaseModel):
    """Sealed until the deadline: `count` only for staff, `bids` only after the deadline."""

    sealed: bool
    sort: str = Field("price", description="price (cheapest first), fit or duration")
    preselected_supplier_org_id: int | None = Field(
        None, description="The shortlisted bid with the best fit; null when none is shortlisted"
    )
    count: int | None
    bids: list[ComparisonRow]


class InvitationOut(BaseModel):
    id: int
    need_id: int
    need_title: str
    created_at: datetime
    seen_at: datetime | None


class QuestionOut(BaseModel):
    id: int
    question: str
    answer: str | None
    asked_at: datetime
    answered_at: datetime | None


class AwardOut(BaseModel):
    id: int
    need_id: int
    bid_id: int
    supplier_org_id: int
    status: str
    justification: str
    selected_at: datetime
    decided_at: datetime | None
    decision_reason: str | None
    version: int


class ProposalOut(BaseModel):
    id: int
    need_id: int
    supplier_org_id: int
    supplier_name: str
    note: str
    status: str
    created_at: datetime
    version: int
