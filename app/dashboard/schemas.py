"""Dashboard filters (query strings of the pages, the CSV exports and the API) and the figures
the service returns: the JSON responses are these models."""

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app import vocab
from app.schemas import MAX_ID, MoneyOut

IndustryCode = Literal[tuple(vocab.INDUSTRIES)]  # type: ignore[valid-type]
RegionCode = Literal[tuple(vocab.REGIONS)]  # type: ignore[valid-type]
SfLevelCode = Literal[tuple(vocab.SF_LEVELS)]  # type: ignore[valid-type]
Day = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]
TableName = Literal[
    "funnel",
    "sector",
    "region",
    "sf_level",
    "stages",
    "concentration",
    "suppliers",
    "outcomes",
    "accidents",
    "summary",
]
PublicTableName = Literal["funnel", "outcomes"]
SponsorTableName = Literal["funnel", "stages", "outcomes"]


class Filters(BaseModel):
    """Which needs the figures follow: sector, region and smart-factory level of the need (or of
    its manufacturer), the cohort its manufacturer belongs to, and when it was posted (KST)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    industry: IndustryCode | None = None
    region: RegionCode | None = None
    sf_level: SfLevelCode | None = None
    cohort: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    date_from: Day | None = Field(None, alias="from")
    date_to: Day | None = Field(None, alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> "Filters":
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValueError("The end of the period must not be before its start.")
        return self

    def query(self) -> dict[str, str]:
        """The filters as query parameters (for CSV links), unset ones left out."""
        values = self.model_dump(by_alias=True, exclude_none=True)
        return {key: str(value) for key, value in values.items()}


class TableQuery(Filters):
    table: TableName = "funnel"


class PublicTableQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    table: PublicTableName = "funnel"


class SponsorTableQuery(Filters):
    table: SponsorTableName = "funnel"


class FunnelStep(BaseModel):
    step: str
    count: int
    conversion: float | None  # of the previous step, 0-1
    share_of_posted: float | None


class BreakdownRow(BaseModel):
    code: str | None  # None: not stated on the need nor on the manufacturer's profile
    counts: dict[str, int]  # funnel step -> needs that reached it


class StageTime(BaseModel):
    stage: str
    completed: int
    in_progress: int
    median_days: float | None
    mean_days: float | None


class SupplierShare(BaseModel):
    supplier_org_id: int
    name: str
    engagements: int
    share: float


class Concentration(BaseModel):
    engagements: int
    suppliers: int  # suppliers holding at least one engagement
    top_n: int  # the top 15% of those suppliers (at least one)
    top_share: float | None  # share of engagements they hold, 0-1
    hhi: float | None  # Herfindahl-Hirschman index, 0-10,000


class ConcentrationTrend(BaseModel):
    current_from: date
    current_to: date
    previous_from: date
    previous_to: date
    current: Concentration
    previous: Concentration


class ConcentrationOut(Concentration):
    trend: ConcentrationTrend
    warnings: list[str]  # codes: too_few, hhi_high, top_share_high, rising
    by_supplier: list[SupplierShare]  # most engagements first


class OutcomeRow(BaseModel):
    """Verified KPI results of one metric and unit code: the latest verified phase of each
    KPI. Firms differ in size, so their figures are never summed: each KPI's change relative
    to its own baseline counts once, and the typical (median) firm is shown."""

    metric: str
    unit: str  # a code of vocab.KPI_UNITS, or text nobody mapped
    kpis: int
    comparable: int  # with a non-zero baseline, so a relative change exists
    median_baseline: float
    median_result: float
    median_improvement_pct: float | None  # relative to each KPI's baseline, positive = better
    mean_improvement_pct: float | None


class MetricOutcome(BaseModel):
    metric: str
    kpis: int
    comparable: int  # with a non-zero baseline, so a relative change exists
    median_improvement_pct: float | None
    mean_improvement_pct: float | None


class Accidents(BaseModel):
    """Industrial accidents where a KPI reported them: before (baseline) and after (verified)."""

    kpis: int
    rows: list[OutcomeRow]
    comparable: int  # KPIs with a non-zero baseline: the n of the reduction
    median_reduction_pct: float | None
    mean_reduction_pct: float | None
    goal_reduction_pct: float


class Progress(BaseModel):
    """Programme-wide goals: the filters do not apply."""

    suppliers: int  # admitted to the pool
    supplier_goal: int
    # with an engagement in deployment or closed whose demonstration met its targets
    adopting_manufacturers: int
    # only with deployments a coordinator approved below target ("목표 미달 승인"): apart
    adopting_overridden: int = 0
    manufacturer_goal: int


class Summary(BaseModel):
    needs_posted: int
    engagements: int
    engagements_open: int
    adopting_manufacturers: int
    adopting_overridden: int = 0
    verified_results: int


class CohortOut(BaseModel):
    id: int
    name: str
    members: int


class BudgetRow(BaseModel):
    """One programme or sector (None: not stated, or the total); amounts in won."""

    key: str | None
    engagements: int
    committed: MoneyOut  # the subsidy of the current agreements (a cancelled one: its payments)
    disbursed: MoneyOut
    remaining: MoneyOut
    copay_received: MoneyOut


class Budget(BaseModel):
    total: BudgetRow
    by_programme: list[BudgetRow]
    by_sector: list[BudgetRow]


class DashboardOut(BaseModel):
    filters: dict[str, str]
    summary: Summary
    funnel: list[FunnelStep]
    by_sector: list[BreakdownRow]
    by_region: list[BreakdownRow]
    by_sf_level: list[BreakdownRow]
    stage_times: list[StageTime]
    progress: Progress
    concentration: ConcentrationOut
    outcomes: list[OutcomeRow]
    outcomes_by_metric: list[MetricOutcome]
    accidents: Accidents
    budget: Budget


class PublicDashboardOut(BaseModel):
    """Aggregates only: no company, no budget, no note, no figure of one firm's baseline."""

    summary: Summary
    funnel: list[FunnelStep]
    progress: Progress
    outcomes_by_metric: list[MetricOutcome]
    accident_reduction_pct: float | None  # the mean over accident KPIs with a baseline
    accident_kpis: int  # ... how many: its n
    accident_goal_pct: float


class SponsorDashboardOut(BaseModel):
    cohorts: list[CohortOut]
    filters: dict[str, str]
    summary: Summary
    funnel: list[FunnelStep]
    stage_times: list[StageTime]
    outcomes_by_metric: list[MetricOutcome]
    accident_reduction_pct: float | None  # the mean over accident KPIs with a baseline
    accident_kpis: int  # ... how many: its n
    accident_goal_pct: float
