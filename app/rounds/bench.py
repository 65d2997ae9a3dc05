"""`axmatch bench --round`: an assignment round at national scale, solved by the product's
solver, with its solve time and the match quality lost against unconstrained top-k.

The candidate lists are generated, shaped like the engine's output: per need the 30 best
of every supplier by a score of technique and process fit plus similarity noise, with a
few strong suppliers ranking high everywhere (in 2014-17, 15% of smart-factory suppliers
built two thirds of the factories), so capacity and the per-supplier cap really bind.
Ranking speed is measured by the main bench; this one measures the assignment.
"""

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from matching import assignment


@dataclass(frozen=True)
class RoundScale:
    needs: int = 2000
    suppliers: int = 500
    candidates: int = 30  # per need, as the app takes from the ranking
    shortlist: int = 3
    alternates: int = 2
    supplier_cap: int = 15
    new_share: float = 0.1  # of suppliers admitted recently
    min_new: int = 40
    conflict_share: float = 0.005  # of candidate pairs
    blocked_share: float = 0.03  # candidate pairs failing a hard requirement
    seed: int = 7


def scores(scale: RoundScale, rng: np.random.Generator) -> np.ndarray:
    """needs x suppliers scores on the engine's scale (about 0..1.4)."""
    techniques, processes = 10, 20
    need_tech = rng.integers(techniques, size=scale.needs)
    need_proc = rng.integers(processes, size=scale.needs)
    sup_tech = rng.integers(techniques, size=scale.suppliers)
    sup_proc = rng.integers(processes, size=scale.suppliers)
    strength = rng.lognormal(0.0, 0.6, size=scale.suppliers)
    same_tech = need_tech[:, None] == sup_tech[None, :]
    same_proc = need_proc[:, None] == sup_proc[None, :]
    semantic = 0.25 + 0.35 * same_tech + rng.normal(0, 0.12, (scale.needs, scale.suppliers))
    fit = 0.10 * same_tech + 0.05 * same_proc + 0.05 * np.minimum(strength / 3, 1.0)[None, :]
    return np.clip(semantic, 0, 1) + fit + 0.1 * np.log1p(strength)[None, :]


def problem(scale: RoundScale) -> assignment.Problem:
    rng = np.random.default_rng(scale.seed)
    matrix = scores(scale, rng)
    top = np.argpartition(-matrix, scale.candidates, axis=1)[:, : scale.candidates]
    candidates = []
    rules = [(scale.conflict_share, "conflict"), (scale.blocked_share, "out_of_province")]
    for need, row in enumerate(top):
        for supplier in row.tolist():
            draw, blocked = rng.random(), None
            for share, rule in rules:
                if blocked is None and draw < share:
                    blocked = rule
                draw -= share
            score = float(matrix[need, supplier])
            candidates.append(assignment.Candidate(need + 1, supplier + 1, score, blocked))
    capacity = rng.integers(8, 31, size=scale.suppliers)  # invitations each can take on
    new = rng.random(scale.suppliers) < scale.new_share
    suppliers = {
        s + 1: assignment.Supplier(s + 1, int(capacity[s]), bool(new[s]))
        for s in range(scale.suppliers)
    }
    settings = assignment.Settings(
        scale.shortlist, scale.alternates, scale.supplier_cap, scale.min_new, time_limit=120
    )
    return assignment.Problem(list(range(1, scale.needs + 1)), candidates, suppliers, settings)


def greedy_objective(round_: assignment.Problem) -> tuple[float, int]:
    """The baseline a solver must beat: pairs taken best score first while the need has a
    place and the supplier room (capacity and cap); the quota is ignored, which favours it.
    Returns the total score and the places left empty."""
    settings, used = round_.settings, dict.fromkeys(round_.suppliers, 0)
    places = dict.fromkeys(round_.needs, settings.shortlist)
    total = 0.0
    for c in sorted(round_.candidates, key=lambda c: -c.score):
        room = min(round_.suppliers[c.supplier_id].capacity_left, settings.supplier_cap)
        if c.blocked is None and places[c.need_id] > 0 and used[c.supplier_id] < room:
            places[c.need_id] -= 1
            used[c.supplier_id] += 1
            total += c.score
    return total, sum(places.values())


def run(scale: RoundScale) -> dict[str, Any]:
    round_ = problem(scale)
    solution = assignment.solve(round_)
    greedy, greedy_empty = greedy_objective(round_)
    shortlist = solution.of_kind(assignment.SHORTLIST)
    k = scale.shortlist
    return {
        "round_scale": asdict(scale),
        "round_status": solution.status,
        "round_solve_s": round(solution.seconds, 2),
        "round_timings_s": {name: round(t, 2) for name, t in solution.timings.items()},
        "round_shortlist_pairs": len(shortlist),
        "round_slots": scale.needs * k,
        "round_needs_short": len(solution.shortfalls),
        "round_objective": round(solution.objective, 1),
        "round_topk_objective": round(solution.topk_objective, 1),
        "round_quality_lost_pct": round(100 * solution.quality_lost_share, 2),
        "round_greedy_quality_lost_pct": round(
            100 * (solution.topk_objective - greedy) / solution.topk_objective, 2
        ),
        "round_greedy_empty_places": greedy_empty,
        "round_moved_in": sum(1 for p in shortlist if p.topk_rank > k),
        "round_changed_by": solution.changed_by,
        "round_new_suppliers": asdict(solution.quota),
        "round_distinct_suppliers": len({p.supplier_id for p in shortlist}),
    }
