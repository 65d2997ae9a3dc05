"""The dashboard's arithmetic over plain rows (no database): funnel, time in stage, award
concentration and outcome totals. The service feeds it; the tests check it by hand."""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from statistics import fmean, median

from app import vocab
from app.dashboard.schemas import (
    BreakdownRow,
    Concentration,
    FunnelStep,
    MetricOutcome,
    OutcomeRow,
    StageTime,
)

# A need counts at every step up to the furthest one it reached.
STEPS = (
    "posted",
    "shortlisted",
    "bid",
    "approved",
    "consulting",
    "design",
    "demonstration",
    "deployment",
    "closed",
)
WORK_STAGES = ("consulting", "design", "demonstration", "deployment")
ADOPTED_STAGES = ("deployment", "closed")
FIRST_STAGE = STEPS.index("consulting")
TOP_PERCENT = 15
PHASE_ORDER = {"demonstration": 0, "deployment": 1, "follow_up": 2}


@dataclass(frozen=True)
class NeedFact:
    need_id: int
    industry: str | None
    region: str | None
    sf_level: str | None
    furthest: int  # index into STEPS


@dataclass(frozen=True)
class StageRow:
    engagement_id: int
    engagement_stage: str  # where the engagement stands now
    stage: str
    start: date | None
    end: date | None


@dataclass(frozen=True)
class KpiFact:
    kpi_id: int
    metric: str
    unit: str
    baseline: float
    target: float | None
    value: float  # the latest verified result


def furthest_step(
    shortlisted: bool, bid: bool, approved: bool, stage: str | None, started: Iterable[str]
) -> int:
    """How far a need got. A cancelled engagement got as far as the stages it started."""
    if stage is not None:
        if stage in STEPS:
            return STEPS.index(stage)
        reached = [STEPS.index(s) for s in started if s in WORK_STAGES]
        return max([FIRST_STAGE, *reached])
    for index, flag in ((3, approved), (2, bid), (1, shortlisted)):
        if flag:
            return index
    return 0


def step_counts(facts: Iterable[NeedFact]) -> dict[str, int]:
    furthest = Counter(f.furthest for f in facts)
    counts, running = {}, 0
    for index in reversed(range(len(STEPS))):
        running += furthest.get(index, 0)
        counts[STEPS[index]] = running
    return {step: counts[step] for step in STEPS}


def funnel(facts: Iterable[NeedFact]) -> list[FunnelStep]:
    counts = step_counts(facts)
    posted, previous, steps = counts["posted"], None, []
    for step in STEPS:
        count = counts[step]
        steps.append(
            FunnelStep(
                step=step,
                count=count,
                conversion=count / previous if previous else None,
                share_of_posted=count / posted if posted else None,
            )
        )
        previous = count
    return steps


def breakdown(
    facts: Iterable[NeedFact], key: Callable[[NeedFact], str | None]
) -> list[BreakdownRow]:
    """Funnel counts per group, the groups with most needs first."""
    groups: dict[str | None, list[NeedFact]] = defaultdict(list)
    for fact in facts:
        groups[key(fact)].append(fact)
    rows = [BreakdownRow(code=code, counts=step_counts(group)) for code, group in groups.items()]
    return sorted(rows, key=lambda r: (-r.counts["posted"], r.code is None, r.code or ""))


def stage_times(rows: Iterable[StageRow]) -> list[StageTime]:
    """Days from start to sign-off of each stage that ended. The stage an engagement was
    cancelled in did not end: it counts nowhere."""
    days: dict[str, list[int]] = defaultdict(list)
    open_now: Counter[str] = Counter()
    for row in _without_cancelled_stage(rows):
        if row.stage == row.engagement_stage and row.end is None:
            open_now[row.stage] += 1
        elif row.start is not None and row.end is not None:
            days[row.stage].append((row.end - row.start).days)
    return [
        StageTime(
            stage=stage,
            completed=len(days[stage]),
            in_progress=open_now[stage],
            median_days=float(median(days[stage])) if days[stage] else None,
            mean_days=fmean(days[stage]) if days[stage] else None,
        )
        for stage in WORK_STAGES
    ]


def _without_cancelled_stage(rows: Iterable[StageRow]) -> list[StageRow]:
    rows = list(rows)
    last: dict[int, int] = {}
    for row in rows:
        if row.engagement_stage == "cancelled" and row.start is not None:
            index = WORK_STAGES.index(row.stage)
            last[row.engagement_id] = max(index, last.get(row.engagement_id, -1))
    return [
        row
        for row in rows
        if row.engagement_id not in last or WORK_STAGES.index(row.stage) != last[row.engagement_id]
    ]


def concentration(per_supplier: Mapping[int, int]) -> Concentration:
    """Top-15% share and Herfindahl-Hirschman index (0-10,000) of engagements per supplier,
    over the suppliers that hold at least one."""
    counts = sorted((c for c in per_supplier.values() if c > 0), reverse=True)
    total = sum(counts)
    if not total:
        return Concentration(engagements=0, suppliers=0, top_n=0, top_share=None, hhi=None)
    top_n = max(1, -(-len(counts) * TOP_PERCENT // 100))
    return Concentration(
        engagements=total,
        suppliers=len(counts),
        top_n=top_n,
        top_share=sum(counts[:top_n]) / total,
        hhi=sum((100 * c / total) ** 2 for c in counts),
    )


def lower_is_better(fact: KpiFact) -> bool:
    return vocab.lower_is_better(fact.metric, fact.baseline, fact.target)


def improvement_pct(fact: KpiFact) -> float | None:
    """Change against the baseline in percent, positive when it went the better way."""
    if fact.baseline == 0:
        return None
    change = (fact.value - fact.baseline) / abs(fact.baseline) * 100
    return -change if lower_is_better(fact) else change


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return fmean(known) if known else None


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(median(known)) if known else None


def outcome_rows(facts: Iterable[KpiFact]) -> list[OutcomeRow]:
    """One row per metric and unit code; units that differ are never compared."""
    groups: dict[tuple[str, str], list[KpiFact]] = defaultdict(list)
    for fact in facts:
        groups[(fact.metric, fact.unit)].append(fact)
    rows = []
    for (metric, unit), group in sorted(groups.items()):
        changes = [improvement_pct(f) for f in group]
        rows.append(
            OutcomeRow(
                metric=metric,
                unit=unit,
                kpis=len(group),
                comparable=sum(c is not None for c in changes),
                median_baseline=float(median(f.baseline for f in group)),
                median_result=float(median(f.value for f in group)),
                median_improvement_pct=_median(changes),
                mean_improvement_pct=_mean(changes),
            )
        )
    return rows


def outcomes_by_metric(facts: Iterable[KpiFact]) -> list[MetricOutcome]:
    """Relative changes pool across units: a percentage is a percentage."""
    groups: dict[str, list[float | None]] = defaultdict(list)
    for fact in facts:
        groups[fact.metric].append(improvement_pct(fact))
    return [
        MetricOutcome(
            metric=metric,
            kpis=len(values),
            comparable=sum(v is not None for v in values),
            median_improvement_pct=_median(values),
            mean_improvement_pct=_mean(values),
        )
        for metric, values in sorted(groups.items())
    ]


def latest_verified(rows: Iterable[tuple[int, str, float]]) -> dict[int, float]:
    """(kpi id, phase, value) of verified results -> the value of each KPI's latest phase."""
    best: dict[int, tuple[int, float]] = {}
    for kpi_id, phase, value in rows:
        rank = PHASE_ORDER.get(phase, -1)
        if kpi_id not in best or rank > best[kpi_id][0]:
            best[kpi_id] = (rank, value)
    return {kpi_id: value for kpi_id, (_, value) in best.items()}
