"""What each stage gate asks for, stated once: `move_stage` refuses a move while anything is
missing, the detail page and the API list what is missing, the dashboard asks whether a
deployment's demonstration met its targets.

- consulting -> design: the agreement's current version confirmed by both parties (consulting
  is not done on terms one side has not accepted), and a plan: the design stage's planned
  start and end, and at least one design milestone;
- design -> demonstration: every design milestone delivered and accepted (at least one);
- demonstration -> deployment: every demonstration milestone accepted, and every acceptance
  KPI's verified demonstration result meets its target (direction-aware: lower is better
  where the target is below the baseline, or for defects, cost, lead time, energy and
  accidents). Only this gate may be overridden, by a coordinator with a written reason;
- deployment -> closed: a verified deployment result for every acceptance KPI.
"""

from dataclasses import dataclass, field
from typing import Any

from app.i18n import Labels, Msgid, gettext
from app.models import Engagement, EngagementKpi, KpiResult, ResultPhase, Stage
from app.vocab import KPI_METRICS, meets_target

OVERRIDABLE = (Stage.demonstration, Stage.deployment)
MIN_OVERRIDE_REASON = 10


@dataclass(frozen=True)
class Shortfall:
    """One thing a gate still asks for: an English msgid and its parameters."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Missing:
    """Shortfalls as one message parameter, each in the reader's language."""

    items: tuple[Shortfall, ...]

    def label(self, locale: str) -> str:
        return " ".join(gettext(locale, s.message, **s.params) for s in self.items)


def verified(kpi: EngagementKpi, phase: ResultPhase) -> KpiResult | None:
    return next((r for r in kpi.results if r.phase is phase and r.verified_at is not None), None)


def acceptance_kpis(engagement: Engagement) -> list[EngagementKpi]:
    return [k for k in engagement.kpis if k.acceptance]


def _metrics(kpis: list[EngagementKpi]) -> Labels:
    return Labels(tuple(KPI_METRICS[k.metric] for k in kpis))


def _milestones(engagement: Engagement, stage: Stage) -> list[Any]:
    return [m for m in engagement.milestones if m.stage is stage]


SIDES = {"supplier": Msgid("the supplier"), "manufacturer": Msgid("the manufacturer")}


def agreement_shortfalls(engagement: Engagement) -> list[Shortfall]:
    """What the agreement still waits for: its current version confirmed by both sides."""
    current = engagement.agreement()
    if current is None:
        return [Shortfall(Msgid("The engagement has no agreement yet."))]
    waiting = [SIDES[side] for side in SIDES if getattr(current, f"{side}_confirmed_at") is None]
    if not waiting:
        return []
    text = Msgid("Agreement version %(number)s is not yet confirmed by %(sides)s.")
    return [Shortfall(text, {"number": current.number, "sides": Labels(tuple(waiting))})]


def _plan(engagement: Engagement) -> list[Shortfall]:
    row = next(s for s in engagement.stages if s.stage is Stage.design)
    missing = []
    if row.planned_start is None or row.planned_end is None:
        missing.append(Shortfall(Msgid("Plan the design stage: its planned start and end.")))
    if not _milestones(engagement, Stage.design):
        missing.append(Shortfall(Msgid("Plan at least one milestone of the design stage.")))
    return missing


def _accepted(engagement: Engagement, stage: Stage, at_least_one: bool) -> list[Shortfall]:
    items = _milestones(engagement, stage)
    if at_least_one and not items:
        text = Msgid("The design stage needs at least one milestone, delivered and accepted.")
        return [Shortfall(text)]
    open_ = [m.title for m in items if m.accepted_at is None]
    if not open_:
        return []
    text = Msgid("Milestones not yet delivered and accepted by the manufacturer: %(titles)s.")
    return [Shortfall(text, {"titles": ", ".join(open_)})]


def demonstration_shortfalls(engagement: Engagement) -> list[Shortfall]:
    """What stands between the demonstration and a deployment on its merits."""
    kpis = acceptance_kpis(engagement)
    if not any(k.target is not None for k in kpis):
        text = Msgid("The engagement has no acceptance KPI with a target to demonstrate.")
        return [Shortfall(text)]
    unverified = [k for k in kpis if verified(k, ResultPhase.demonstration) is None]
    no_target = [k for k in kpis if k.target is None]
    missed = [k for k in kpis if k not in unverified and k not in no_target and not _met(k)]
    texts = (
        (unverified, Msgid("No verified demonstration result yet: %(metrics)s.")),
        (no_target, Msgid("No target set: %(metrics)s.")),
        (missed, Msgid("The demonstration missed its target: %(metrics)s.")),
    )
    return [Shortfall(text, {"metrics": _metrics(group)}) for group, text in texts if group]


def _met(kpi: EngagementKpi) -> bool:
    result = verified(kpi, ResultPhase.demonstration)
    assert result is not None and kpi.target is not None
    return meets_target(kpi.metric, kpi.baseline, kpi.target, result.value)


def _deployment_results(engagement: Engagement) -> list[Shortfall]:
    kpis = acceptance_kpis(engagement)
    if not kpis:
        text = Msgid("Closing needs verified deployment results; there is no acceptance KPI.")
        return [Shortfall(text)]
    missing = [k for k in kpis if verified(k, ResultPhase.deployment) is None]
    if not missing:
        return []
    text = Msgid(
        "Closing needs a verified deployment result for every acceptance KPI "
        "(missing: %(metrics)s)."
    )
    return [Shortfall(text, {"metrics": _metrics(missing)})]


def shortfalls(engagement: Engagement, target: Stage) -> list[Shortfall]:
    """Everything the gate from the current stage to `target` still asks for (cancelling
    asks only for a reason, checked by the move)."""
    source = engagement.stage
    if (source, target) == (Stage.consulting, Stage.design):
        return agreement_shortfalls(engagement) + _plan(engagement)
    if (source, target) == (Stage.design, Stage.demonstration):
        return _accepted(engagement, Stage.design, at_least_one=True)
    if (source, target) == OVERRIDABLE:
        return _accepted(engagement, Stage.demonstration, False) + demonstration_shortfalls(
            engagement
        )
    if (source, target) == (Stage.deployment, Stage.closed):
        return _deployment_results(engagement)
    return []


NEXT = {
    Stage.consulting: Stage.design,
    Stage.design: Stage.demonstration,
    Stage.demonstration: Stage.deployment,
    Stage.deployment: Stage.closed,
}


def ready(engagement: Engagement) -> bool:
    """The gate out of the current stage is met: the coordinators may sign it off."""
    following = NEXT.get(engagement.stage)
    return following is not None and not shortfalls(engagement, following)


def targets_met(engagement: Engagement) -> bool:
    """The demonstration met every acceptance target (the dashboard's adopting factory)."""
    return not demonstration_shortfalls(engagement)


STATED = {
    Stage.design: Msgid(
        "The agreement confirmed by both parties, and a plan: the design stage's dates and "
        "at least one design milestone."
    ),
    Stage.demonstration: Msgid(
        "Every design milestone delivered and accepted by the manufacturer."
    ),
    Stage.deployment: Msgid(
        "Every demonstration milestone accepted, and every acceptance KPI's verified "
        "demonstration result meets its target. A coordinator may override with a written reason."
    ),
    Stage.closed: Msgid("A verified deployment result for every acceptance KPI."),
}
