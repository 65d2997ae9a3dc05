import subprocess
import sys

import pytest

from matching.assignment import (
    ALTERNATE,
    DROPPED,
    SHORTLIST,
    Candidate,
    Placement,
    Problem,
    Settings,
    Solution,
    Supplier,
    solve,
)


def pairs_of(solution: Solution, kind: str) -> set[tuple[int, int]]:
    return {(p.need_id, p.supplier_id) for p in solution.of_kind(kind)}


def placement(solution: Solution, need: int, supplier: int) -> Placement:
    (found,) = [p for p in solution.placements if (p.need_id, p.supplier_id) == (need, supplier)]
    return found


def grid(
    scores: dict[int, dict[int, float]], blocked: dict[tuple[int, int], str] | None = None
) -> list[Candidate]:
    blocked = blocked or {}
    return [
        Candidate(need, supplier, score, blocked.get((need, supplier)))
        for need, row in scores.items()
        for supplier, score in row.items()
    ]


def suppliers(capacity: dict[int, int], new: frozenset[int] = frozenset()) -> dict[int, Supplier]:
    return {s: Supplier(s, c, s in new) for s, c in capacity.items()}


ROOMY = suppliers({s: 10 for s in range(1, 7)})
SCORES = {
    1: {1: 0.9, 2: 0.8, 3: 0.7, 4: 0.6, 5: 0.5, 6: 0.4},
    2: {1: 0.95, 2: 0.5, 3: 0.85, 4: 0.3, 5: 0.6, 6: 0.2},
}


def test_without_binding_constraints_the_shortlist_is_the_plain_top_k() -> None:
    problem = Problem([1, 2], grid(SCORES), ROOMY, Settings(shortlist=2, alternates=2))
    solution = solve(problem)
    assert solution.status == "optimal"
    assert pairs_of(solution, SHORTLIST) == {(1, 1), (1, 2), (2, 1), (2, 3)}
    assert pairs_of(solution, ALTERNATE) == {(1, 3), (1, 4), (2, 5), (2, 2)}
    assert solution.quality_lost == pytest.approx(0.0)
    assert [p.topk_rank for p in solution.of_kind(SHORTLIST) if p.need_id == 2] == [1, 2]


def test_capacity_left_limits_shortlists_and_alternates() -> None:
    tight = {**ROOMY, 1: Supplier(1, 1)}
    solution = solve(Problem([1, 2], grid(SCORES), tight, Settings(shortlist=2, alternates=2)))
    assert sum(1 for _, s in pairs_of(solution, SHORTLIST) if s == 1) == 1
    assert (2, 1) in pairs_of(solution, SHORTLIST)  # the better use of its one slot
    assert (1, 1) not in pairs_of(solution, ALTERNATE)  # no capacity left to take it on
    assert placement(solution, 1, 1).reasons == ("capacity",)
    assert solution.changed_by["capacity"] == 1
    assert solution.quality_lost == pytest.approx(0.9 - 0.7)


def test_a_supplier_without_capacity_is_never_shortlisted() -> None:
    full = {**ROOMY, 1: Supplier(1, 0)}
    solution = solve(Problem([1, 2], grid(SCORES), full, Settings(shortlist=2, alternates=1)))
    assert all(s != 1 for _, s in pairs_of(solution, SHORTLIST) | pairs_of(solution, ALTERNATE))
    assert placement(solution, 2, 1).kind == DROPPED
    assert "capacity" in placement(solution, 2, 1).reasons


def test_the_round_cap_spreads_shortlists_and_says_so() -> None:
    solution = solve(Problem([1, 2], grid(SCORES), ROOMY, Settings(shortlist=2, supplier_cap=1)))
    counts = [s for _, s in pairs_of(solution, SHORTLIST)]
    assert len(counts) == len(set(counts)) == 4
    moved = [p for p in solution.placements if p.topk_rank <= 2 and p.kind != SHORTLIST]
    assert moved and all("cap" in p.reasons for p in moved)
    assert solution.changed_by["cap"] >= 1


def test_an_integer_program_beats_a_greedy_pass() -> None:
    # Greedy in need order gives need 1 supplier 1 (0.9), leaving need 2 with 0.1: 1.0 in all.
    scores = {1: {1: 0.9, 2: 0.85}, 2: {1: 0.8, 3: 0.1}}
    problem = Problem([1, 2], grid(scores), suppliers({1: 1, 2: 5, 3: 5}), Settings(1, 0, 3))
    solution = solve(problem)
    assert pairs_of(solution, SHORTLIST) == {(1, 2), (2, 1)}
    assert solution.objective == pytest.approx(1.65)


def test_conflicts_and_hard_requirements_are_never_proposed() -> None:
    blocked = {(1, 1): "conflict", (2, 3): "out_of_province"}
    problem = Problem([1, 2], grid(SCORES, blocked), ROOMY, Settings(shortlist=2, alternates=3))
    solution = solve(problem)
    proposed = pairs_of(solution, SHORTLIST) | pairs_of(solution, ALTERNATE)
    assert not proposed & set(blocked)
    assert placement(solution, 1, 1).reasons == ("conflict",)
    assert placement(solution, 2, 3).kind == DROPPED
    assert solution.changed_by["conflict"] == solution.changed_by["out_of_province"] == 1


def test_the_new_supplier_quota_moves_new_suppliers_in() -> None:
    pool = suppliers({s: 10 for s in range(1, 7)}, new=frozenset({5, 6}))
    problem = Problem([1, 2], grid(SCORES), pool, Settings(shortlist=2, min_new=2))
    solution = solve(problem)
    shortlisted = {s for _, s in pairs_of(solution, SHORTLIST)}
    assert {5, 6} <= shortlisted
    assert solution.quota.met == 2 and solution.status == "optimal"
    moved_in = [p for p in solution.of_kind(SHORTLIST) if p.topk_rank > 2]
    assert moved_in and all(p.reasons == ("new_quota",) for p in moved_in)
    assert solution.changed_by["new_quota"] == 2


def test_forced_pairs_stay_and_excluded_pairs_never_return() -> None:
    problem = Problem(
        [1, 2],
        grid(SCORES),
        ROOMY,
        Settings(shortlist=2, alternates=2),
        forced=frozenset({(1, 6)}),
        excluded=frozenset({(2, 1)}),
    )
    solution = solve(problem)
    assert (1, 6) in pairs_of(solution, SHORTLIST)
    assert placement(solution, 1, 6).forced and placement(solution, 1, 6).reasons == ("forced",)
    assert placement(solution, 2, 1).kind == DROPPED
    assert placement(solution, 2, 1).reasons == ("excluded",)
    assert (2, 1) not in pairs_of(solution, ALTERNATE)


def test_a_need_without_feasible_suppliers_is_reported_with_what_to_relax() -> None:
    scores = {1: {1: 0.9, 2: 0.8}, 2: {1: 0.7, 2: 0.6, 3: 0.5}}
    blocked = {(1, 1): "conflict", (1, 2): "conflict"}
    problem = Problem([1, 2], grid(scores, blocked), suppliers({1: 5, 2: 5, 3: 5}), Settings(2))
    solution = solve(problem)
    assert solution.status == "relaxed"
    (short,) = solution.shortfalls
    assert (short.need_id, short.missing, short.relax) == (1, 2, "conflict")
    assert short.blocked == {"conflict": 2}
    assert len(pairs_of(solution, SHORTLIST)) == 2  # need 2 is still served


def test_a_quota_that_cannot_be_met_is_reported() -> None:
    pool = suppliers({s: 10 for s in range(1, 7)}, new=frozenset({6}))
    solution = solve(Problem([1, 2], grid(SCORES), pool, Settings(shortlist=2, min_new=3)))
    assert solution.status == "relaxed"
    assert (solution.quota.required, solution.quota.met, solution.quota.available) == (3, 1, 1)
    assert not solution.shortfalls


def test_too_few_candidates_asks_for_a_shorter_shortlist() -> None:
    problem = Problem([1], grid({1: {1: 0.5}}), suppliers({1: 3}), Settings(shortlist=3))
    (short,) = solve(problem).shortfalls
    assert (short.missing, short.relax) == (2, "shortlist")


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        solve(Problem([1], grid({1: {9: 0.5}}), ROOMY))
    with pytest.raises(ValueError, match="forced"):
        solve(Problem([1], grid(SCORES)[:1], ROOMY, forced=frozenset({(1, 4)})))


def test_the_solver_is_a_library() -> None:
    code = (
        "import sys, matching.assignment\n"
        "print(sorted(m for m in sys.modules if m in ('app', 'sqlalchemy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_fractional_relaxation_falls_back_to_the_integer_program() -> None:
    from matching.programs import _add_columns, _highs, _Rows, _run

    highs = _highs(10.0)
    _add_columns(highs, [1.0, 1.0], [1.0, 1.0])
    rows = _Rows()
    rows.add([0, 1], -float("inf"), 3.0, [2.0, 2.0])  # the relaxation takes 1.5 items
    rows.pass_to(highs)
    values, optimal = _run(highs, 2)
    assert optimal and sorted(round(v, 6) for v in values) == [0.0, 1.0]
