"""Solving a round and storing its proposal: pairs with their scores, reasons and what each
constraint changed, and the round's figures (solve time, quality lost against plain top-k)."""

from typing import Any

from sqlalchemy.orm import Session

from app import audit
from app.matches.cache import IndexCache
from app.models import Round, RoundPair, User, utcnow
from app.rounds.candidates import COORDINATOR_PICKS, Pool, build
from matching import assignment


def solve(session: Session, cache: IndexCache, actor: User, round_: Round) -> None:
    """Re-solve the round: solver pairs are replaced; forced, added and excluded pairs stay."""
    pool = build(session, cache, actor, round_)
    solution = assignment.solve(pool.problem)
    store(round_, pool, solution)
    round_.stats = stats(pool, solution)
    round_.solved_at = utcnow()
    session.flush()
    summary = {k: round_.stats[k] for k in ("status", "objective", "quality_lost_share", "seconds")}
    audit.record(session, actor, "round.solved", round_, after=summary)


def _kept(pair: RoundPair) -> bool:
    return pair.kind == "excluded" or pair.source in COORDINATOR_PICKS


def store(round_: Round, pool: Pool, solution: assignment.Solution) -> None:
    """Rows are reused by (need, supplier), so a re-solve never deletes and re-inserts a pair."""
    existing = {(p.need_id, p.supplier_org_id): p for p in round_.pairs}
    for placement in solution.placements:
        key = (placement.need_id, placement.supplier_id)
        row = existing.pop(key, None)
        if row is None:
            row = RoundPair(need_id=key[0], supplier_org_id=key[1], source="solver")
            round_.pairs.append(row)
        elif not _kept(row):
            row.source = "solver"
        if row.kind != "excluded":
            row.kind = placement.kind
        row.rank, row.score, row.topk_rank = placement.rank, placement.score, placement.topk_rank
        row.parts = {
            **(pool.details.get(key) or {}),
            "reasons": list(placement.reasons),
            "new": key[1] in pool.new,
        }
    for row in existing.values():
        if not _kept(row):
            round_.pairs.remove(row)


def stats(pool: Pool, solution: assignment.Solution) -> dict[str, Any]:
    k = pool.problem.settings.shortlist
    shortlist = solution.of_kind(assignment.SHORTLIST)
    return {
        "status": solution.status,
        "seconds": round(solution.seconds, 3),
        "needs": len(pool.problem.needs),
        "candidates": len(pool.problem.candidates),
        "shortlist": len(shortlist),
        "alternates": len(solution.of_kind(assignment.ALTERNATE)),
        "objective": round(solution.objective, 4),
        "topk_objective": round(solution.topk_objective, 4),
        "quality_lost": round(solution.quality_lost, 4),
        "quality_lost_share": round(solution.quality_lost_share, 4),
        "changed_by": {k: v for k, v in solution.changed_by.items() if v},
        "moved_in": sum(1 for p in shortlist if p.topk_rank > k),
        "new_suppliers": len({p.supplier_id for p in shortlist} & pool.new),
        "quota": vars(solution.quota),
        "shortfalls": [vars(s) for s in solution.shortfalls],
        "skipped_needs": pool.skipped_needs,
        "edited": False,
    }
