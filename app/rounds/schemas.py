"""Requests and responses of assignment rounds and conflicts of interest."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from app.coordinator.schemas import Search
from app.needs.schemas import IndustryCode, RegionCode
from app.schemas import MAX_ID, Input, MultiLine, Title

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=1, le=MAX_ID)]
Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=1000), MultiLine
]
ConflictKindCode = Literal["same_owner", "affiliated", "dispute", "declared"]
MAX_NEEDS = 2000
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


Blankable = BeforeValidator(_blank_to_none)


def _day(value: Any) -> Any:
    """An ISO date (JSON has no date type); empty means none."""
    value = _blank_to_none(value)
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            _not_a_day()
    if value is None or (type(value) is date and FIRST_DAY <= value <= LAST_DAY):
        return value
    return _not_a_day()


def _not_a_day() -> None:
    raise ValueError("Enter a date.")


Day = Annotated[date | None, BeforeValidator(_day)]


class NeedFilters(BaseModel):
    """Which open needs a round takes: query-string filters, empty means "any"."""

    model_config = ConfigDict(extra="ignore")

    industry: Annotated[IndustryCode | None, Blankable] = None
    region: Annotated[RegionCode | None, Blankable] = None
    cohort_id: Annotated[Id | None, Blankable] = None
    posted_from: Day = None
    posted_to: Day = None


class RoundSettings(Input):
    shortlist_size: Annotated[int, Field(ge=1, le=10)] = 3
    alternates: Annotated[int, Field(ge=0, le=10)] = 2
    supplier_cap: Annotated[int, Field(ge=1, le=50)] = 3
    min_new_suppliers: Annotated[int, Field(ge=0, le=500)] = 0
    new_supplier_days: Annotated[int, Field(ge=1, le=3650)] = 180
    fill_empty: bool = Field(
        False, description="let pairs below the minimum fit fill places left empty"
    )


class RoundIn(RoundSettings):
    """A new round: its needs are the open needs the filters select (or the listed subset)."""

    name: Title
    industry: IndustryCode | None = None
    region: RegionCode | None = None
    cohort_id: Id | None = None
    posted_from: Day = None
    posted_to: Day = None
    need_ids: list[Id] | None = Field(default=None, max_length=MAX_NEEDS)

    def filters(self) -> NeedFilters:
        return NeedFilters.model_validate(
            self.model_dump(include={"industry", "region", "cohort_id", "posted_from", "posted_to"})
        )


class SolveIn(RoundSettings):
    version: Version


class VersionIn(Input):
    version: Version


class PairIn(Input):
    version: Version
    need_id: Id
    supplier_org_id: Id


class WithdrawIn(Input):
    version: Version
    reason: Reason


class ConflictIn(Input):
    supplier_org_id: Id
    manufacturer_org_id: Id
    kind: ConflictKindCode = "declared"
    reason: Reason


class ConflictRemove(Input):
    reason: Reason


class ConflictFilters(BaseModel):
    model_config = ConfigDict(extra="ignore")

    org_id: Annotated[Id | None, Blankable] = None
    page: Annotated[int, Field(ge=1, le=10_000)] = 1
    supplier_q: Annotated[Search | None, Blankable] = None  # the pickers' no-script search
    manufacturer_q: Annotated[Search | None, Blankable] = None


class ConflictOut(BaseModel):
    id: int
    supplier_org_id: int
    supplier_name: str
    manufacturer_org_id: int
    manufacturer_name: str
    kind: str
    reason: str
    created_by_id: int | None
    created_at: datetime


class ConflictPageOut(BaseModel):
    items: list[ConflictOut]
    total: int
    page: int
    pages: int


class OpenNeedOut(BaseModel):
    id: int
    title: str
    manufacturer_name: str
    industry: str | None
    region: str | None
    published_at: datetime | None
    deadline_at: datetime | None


class PairOut(BaseModel):
    id: int
    need_id: int
    supplier_org_id: int
    supplier_name: str
    kind: str
    rank: int
    score: float
    topk_rank: int | None
    source: str
    reasons: list[str]
    new_supplier: bool
    parts: dict[str, float]
    flags: list[str]
    level: str | None = Field(description="fit level: high, medium, low; null below minimum")
    level_label: str


class RoundNeedOut(BaseModel):
    need_id: int
    title: str
    manufacturer_name: str
    shortlist: list[PairOut]
    alternates: list[PairOut]
    moved_out: list[PairOut]
    excluded: list[PairOut]
    shortfall: dict[str, Any] | None
    shortfall_reason: str | None = Field(description="why the shortlist is short, in words")


class RoundSummaryOut(BaseModel):
    id: int
    name: str
    status: str
    version: int
    need_count: int
    created_at: datetime
    released_at: datetime | None


class RoundOut(RoundSummaryOut):
    cohort_id: int | None
    filters: dict[str, Any]
    shortlist_size: int
    alternates: int
    supplier_cap: int
    min_new_suppliers: int
    new_supplier_days: int
    fill_empty: bool
    stats: dict[str, Any]
    solved_at: datetime | None
    withdrawn_at: datetime | None
    withdraw_reason: str | None
    needs: list[RoundNeedOut]


class RoundPageOut(BaseModel):
    items: list[RoundSummaryOut]
    total: int
    page: int
    pages: int
