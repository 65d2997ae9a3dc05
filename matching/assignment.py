"""Assignment rounds: shortlists for many needs at once, as one integer program (HiGHS).

In: the ranking's scored candidates per need (`Candidate`), each supplier's capacity left and
whether it is newly admitted, the round's settings, and the coordinator's forced and excluded
pairs. Out: per need a shortlist and alternates (`Placement`), and for every pair of the plain
top-k that the constraints moved out, which constraint did it.

The shortlist maximises the total score subject to: one shortlist of `shortlist` per need,
per supplier at most min(capacity left, `supplier_cap`) shortlists, at least `min_new` distinct
newly admitted suppliers, and never a blocked pair (conflict of interest, hard requirement) or
an excluded one. Slots and the quota are soft (slack at a large penalty), so the program is
always feasible; what is left short is reported with the constraint to relax. Alternates are
the best of the rest, solved second with the shortlist fixed. What each constraint changed is
measured counterfactually: the program is solved again with that constraint lifted.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from matching.programs import ShortlistProgram, b_matching

SHORTLIST, ALTERNATE, DROPPED = "shortlist", "alternate", "dropped"
CAPACITY, CAP, NEW_QUOTA = "capacity", "cap", "new_quota"
EXCLUDED, FORCED, COMBINED, REPLACEMENT = "excluded", "forced", "combined", "replacement"
TIE_BREAK = 1e-6  # prefers the better-ranked of equal scores, so re-solves are stable
Pair = tuple[int, int]  # (need id, supplier id)


@dataclass(frozen=True)
class Candidate:
    """A scored (need, supplier) pair; `blocked` names why it may never be proposed."""

    need_id: int
    supplier_id: int
    score: float
    blocked: str | None = None


@dataclass(frozen=True)
class Supplier:
    id: int
    capacity_left: int
    new: bool = False


@dataclass(frozen=True)
class Settings:
    shortlist: int = 3
    alternates: int = 2
    supplier_cap: int = 3
    min_new: int = 0
    time_limit: float = 30.0


@dataclass(frozen=True)
class Problem:
    needs: Sequence[int]
    candidates: Sequence[Candidate]
    suppliers: Mapping[int, Supplier]
    settings: Settings = field(default_factory=Settings)
    forced: frozenset[Pair] = frozenset()
    excluded: frozenset[Pair] = frozenset()


@dataclass(frozen=True)
class Placement:
    """A proposed or moved-out pair. `reasons`: for a shortlist pair outside the plain top-k,
    why it moved in; for an alternate or dropped pair inside it, what moved it out."""

    need_id: int
    supplier_id: int
    kind: str
    rank: int
    score: float
    topk_rank: int
    forced: bool = False
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shortfall:
    """A need left with `missing` empty shortlist slots; `blocked` counts its candidates kept
    out by each constraint and `relax` names the one to relax first."""

    need_id: int
    missing: int
    candidates: int
    blocked: dict[str, int]
    relax: str


@dataclass(frozen=True)
class Quota:
    required: int
    met: int
    available: int  # new suppliers with a proposable pair and capacity left


@dataclass(frozen=True)
class Solution:
    status: str  # optimal | relaxed (slots or quota left short) | time_limit
    placements: list[Placement]
    shortfalls: list[Shortfall]
    quota: Quota
    objective: float
    topk_objective: float
    changed_by: dict[str, int]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)  # build, shortlist, ... (seconds)

    @property
    def quality_lost(self) -> float:
        return self.topk_objective - self.objective

    @property
    def quality_lost_share(self) -> float:
        return self.quality_lost / self.topk_objective if self.topk_objective > 0 else 0.0

    def of_kind(self, kind: str) -> list[Placement]:
        return [p for p in self.placements if p.kind == kind]


@dataclass(frozen=True)
class _Shape:
    """What the shortlist program is built from, forced pairs already taken out."""

    pairs: list[Candidate]  # proposable pairs: not blocked, excluded or forced
    slots: dict[int, int]  # need -> shortlist slots left after its forced pairs
    capacity: dict[int, int]  # supplier -> capacity left after its forced pairs
    cap: dict[int, int]  # supplier -> round cap left after its forced pairs
    new: list[int]  # new suppliers with a proposable pair, not yet placed by a forced pair
    quota: int  # new suppliers still wanted

    def limits(self, capacity: bool = True, cap: bool = True) -> dict[int, int]:
        """Shortlists each supplier may take, with either constraint lifted."""
        big = len(self.slots)
        return {
            s: min(self.capacity[s] if capacity else big, self.cap[s] if cap else big)
            for s in self.capacity
        }


def _shape(problem: Problem, pairs: Mapping[Pair, Candidate]) -> _Shape:
    settings, forced = problem.settings, problem.forced
    per_need = Counter(n for n, _ in forced)
    per_supplier = Counter(s for _, s in forced)
    allowed = [
        c
        for key, c in pairs.items()
        if c.blocked is None and key not in problem.excluded and key not in forced
    ]
    suppliers = {c.supplier_id for c in allowed}
    placed_new = {s for _, s in forced if problem.suppliers[s].new}
    return _Shape(
        pairs=allowed,
        slots={n: max(0, settings.shortlist - per_need[n]) for n in problem.needs},
        capacity={
            s: max(0, problem.suppliers[s].capacity_left - per_supplier[s]) for s in suppliers
        },
        cap={s: max(0, settings.supplier_cap - per_supplier[s]) for s in suppliers},
        new=sorted(s for s in suppliers if problem.suppliers[s].new and s not in placed_new),
        quota=max(0, settings.min_new - len(placed_new)),
    )


def plain_ranks(candidates: Sequence[Candidate]) -> dict[Pair, int]:
    """Each pair's rank (1 = best) among its need's candidates by score, blocked ones included."""
    by_need: dict[int, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_need[c.need_id].append(c)
    ranks: dict[Pair, int] = {}
    for need, items in by_need.items():
        items.sort(key=lambda c: (-c.score, c.supplier_id))
        ranks |= {(need, c.supplier_id): r for r, c in enumerate(items, 1)}
    return ranks


def _check(problem: Problem) -> dict[Pair, Candidate]:
    needs, pairs = set(problem.needs), {}
    for c in problem.candidates:
        key = (c.need_id, c.supplier_id)
        if c.need_id not in needs or c.supplier_id not in problem.suppliers or key in pairs:
            raise ValueError(f"candidate {key}: unknown need or supplier, or listed twice")
        pairs[key] = c
    if missing := problem.forced - set(pairs):
        raise ValueError(f"forced pairs need a candidate (a score): {sorted(missing)}")
    return pairs


def solve(problem: Problem) -> Solution:
    """Shortlists and alternates for every need of the round, with what each constraint did."""
    clock = _Clock()
    pairs = _check(problem)
    ranks = plain_ranks(problem.candidates)
    shape = _shape(problem, pairs)
    values = [c.score - TIE_BREAK * ranks[(c.need_id, c.supplier_id)] for c in shape.pairs]
    keys = [(c.need_id, c.supplier_id) for c in shape.pairs]
    program = ShortlistProgram(keys, values, shape.slots, shape.new, problem.settings.time_limit)
    clock.lap("build")
    chosen, optimal = program.solve(shape.limits(), shape.quota)
    clock.lap("shortlist")
    lifted = _lifted(program, shape, chosen)
    clock.lap("counterfactual")
    shortlist = chosen | problem.forced
    alternates = _alternates(problem, pairs, shortlist)
    clock.lap("alternates")
    placements = _placements(problem, pairs, ranks, shortlist, alternates, lifted)
    quota = _quota(problem, shape, shortlist)
    shortfalls = _shortfalls(problem, pairs, shortlist)
    relaxed = bool(shortfalls) or quota.met < quota.required
    k = problem.settings.shortlist
    return Solution(
        status="optimal" if optimal and not relaxed else "relaxed" if optimal else "time_limit",
        placements=placements,
        shortfalls=shortfalls,
        quota=quota,
        objective=sum(pairs[p].score for p in shortlist),
        topk_objective=sum(pairs[p].score for p, r in ranks.items() if r <= k),
        changed_by=_changed_by(problem, pairs, ranks, chosen, lifted),
        seconds=clock.total(),
        timings=clock.laps,
    )


class _Clock:
    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name], self.last = now - self.last, now

    def total(self) -> float:
        return time.perf_counter() - self.started


def _lifted(program: ShortlistProgram, shape: _Shape, chosen: set[Pair]) -> dict[str, set[Pair]]:
    """The shortlist with each constraint lifted in turn (skipped when lifting changes nothing)."""
    limits = shape.limits()
    variants = {
        CAPACITY: (shape.limits(capacity=False), shape.quota),
        CAP: (shape.limits(cap=False), shape.quota),
        NEW_QUOTA: (limits, 0),
    }
    return {
        name: chosen if (rhs, quota) == (limits, shape.quota) else program.solve(rhs, quota)[0]
        for name, (rhs, quota) in variants.items()
    }


def _alternates(
    problem: Problem, pairs: Mapping[Pair, Candidate], shortlist: set[Pair]
) -> set[Pair]:
    """The best of the rest: proposable pairs whose supplier could still take the work on,
    at most `alternates` per need and `supplier_cap` per supplier."""
    used = Counter(s for _, s in shortlist)
    rest = [
        c
        for key, c in pairs.items()
        if c.blocked is None
        and key not in problem.excluded
        and key not in shortlist
        and problem.suppliers[c.supplier_id].capacity_left - used[c.supplier_id] >= 1
    ]
    settings = problem.settings
    keys, values = [(c.need_id, c.supplier_id) for c in rest], [c.score for c in rest]
    return b_matching(keys, values, settings.alternates, settings.supplier_cap, settings.time_limit)


def _placements(
    problem: Problem,
    pairs: Mapping[Pair, Candidate],
    ranks: Mapping[Pair, int],
    shortlist: set[Pair],
    alternates: set[Pair],
    lifted: Mapping[str, set[Pair]],
) -> list[Placement]:
    k = problem.settings.shortlist
    dropped = {p for p, r in ranks.items() if r <= k} - shortlist - alternates
    found: list[Placement] = []
    for kind, chosen in ((SHORTLIST, shortlist), (ALTERNATE, alternates), (DROPPED, dropped)):
        for need, items in _by_need(chosen, ranks).items():
            for rank, key in enumerate(items, 1):
                if kind == SHORTLIST:
                    why = _moved_in(problem, key, lifted) if ranks[key] > k else ()
                else:
                    why = _moved_out(problem, pairs[key], lifted) if ranks[key] <= k else ()
                score, forced = pairs[key].score, key in problem.forced
                found.append(Placement(need, key[1], kind, rank, score, ranks[key], forced, why))
    return found


def _by_need(keys: set[Pair], ranks: Mapping[Pair, int]) -> dict[int, list[Pair]]:
    grouped: dict[int, list[Pair]] = defaultdict(list)
    for key in sorted(keys, key=lambda p: (p[0], ranks[p])):
        grouped[key[0]].append(key)
    return grouped


def _moved_in(problem: Problem, key: Pair, lifted: Mapping[str, set[Pair]]) -> tuple[str, ...]:
    if key in problem.forced:
        return (FORCED,)
    if problem.suppliers[key[1]].new and key not in lifted[NEW_QUOTA]:
        return (NEW_QUOTA,)
    return (REPLACEMENT,)


def _moved_out(
    problem: Problem, candidate: Candidate, lifted: Mapping[str, set[Pair]]
) -> tuple[str, ...]:
    """Why a plain top-k pair is off the shortlist: the constraints whose lifting puts it back."""
    key = (candidate.need_id, candidate.supplier_id)
    if key in problem.excluded or candidate.blocked:
        return tuple(
            r for r in (EXCLUDED if key in problem.excluded else None, candidate.blocked) if r
        )
    reasons = [CAPACITY] if problem.suppliers[key[1]].capacity_left <= 0 else []
    reasons += [name for name in (CAPACITY, CAP, NEW_QUOTA) if key in lifted[name]]
    if not reasons and any(n == key[0] for n, _ in problem.forced):
        reasons = [FORCED]
    return tuple(dict.fromkeys(reasons)) or (COMBINED,)


def _changed_by(
    problem: Problem,
    pairs: Mapping[Pair, Candidate],
    ranks: Mapping[Pair, int],
    chosen: set[Pair],
    lifted: Mapping[str, set[Pair]],
) -> dict[str, int]:
    """Pairs each constraint kept off the shortlist: blocked and excluded plain top-k pairs, and
    for capacity, cap and quota the pairs their lifting would bring in."""
    top = [key for key, r in ranks.items() if r <= problem.settings.shortlist]
    changed = Counter(pairs[key].blocked for key in top if pairs[key].blocked)
    changed[EXCLUDED] = sum(1 for key in top if key in problem.excluded)
    for name in (CAPACITY, CAP, NEW_QUOTA):
        changed[name] = len(lifted[name] - chosen)
    return {str(name): count for name, count in changed.items()}


def _quota(problem: Problem, shape: _Shape, shortlist: set[Pair]) -> Quota:
    new = {s for s, supplier in problem.suppliers.items() if supplier.new}
    available = {s for s in shape.new if shape.capacity[s] > 0} | {
        s for _, s in problem.forced if s in new
    }
    met = len({s for _, s in shortlist if s in new})
    return Quota(problem.settings.min_new, met, len(available))


def _shortfalls(
    problem: Problem, pairs: Mapping[Pair, Candidate], shortlist: set[Pair]
) -> list[Shortfall]:
    k, used = problem.settings.shortlist, Counter(s for _, s in shortlist)
    filled = Counter(n for n, _ in shortlist)
    of_need: dict[int, list[Candidate]] = defaultdict(list)
    for c in pairs.values():
        of_need[c.need_id].append(c)
    found = []
    for need in problem.needs:
        if filled[need] >= k:
            continue
        blocked = Counter(
            _kept_out(problem, c, used)
            for c in of_need[need]
            if (need, c.supplier_id) not in shortlist
        )
        blocked.pop(None, None)
        relax = max(blocked, key=lambda r: blocked[r]) if blocked else SHORTLIST
        found.append(
            Shortfall(
                need,
                k - filled[need],
                len(of_need[need]),
                {str(r): n for r, n in blocked.items()},
                str(relax),
            )
        )
    return found


def _kept_out(problem: Problem, c: Candidate, used: Mapping[int, int]) -> str | None:
    """The first constraint that keeps this candidate off a short need's shortlist."""
    if (c.need_id, c.supplier_id) in problem.excluded:
        return EXCLUDED
    if c.blocked:
        return c.blocked
    if problem.suppliers[c.supplier_id].capacity_left - used[c.supplier_id] <= 0:
        return CAPACITY
    if used[c.supplier_id] >= problem.settings.supplier_cap:
        return CAP
    return None
