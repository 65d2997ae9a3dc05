"""The integer programs of an assignment round, in HiGHS (the `highspy` package).

Both are transportation problems with side constraints, whose LP relaxation is integral
almost always: each is solved as an LP first (a simplex warm-started between variants)
and as a mixed-integer program only when the relaxation comes back fractional.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import highspy
import numpy as np
from highspy._core import _Highs

Pair = tuple[int, int]  # (need id, supplier id)
SLOT_PENALTY = 100.0  # per empty shortlist slot: far above any score difference
QUOTA_PENALTY = 10.0  # per missing new supplier: above any score swap, below a slot
INTEGRAL = 1e-6  # a relaxation value this close to 0 or 1 counts as integral


def _highs(time_limit: float) -> _Highs:
    # The core class: `highspy.Highs` adds interrupt callbacks, and prints a banner on stdout.
    highs = _Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("mip_rel_gap", 1e-6)
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    return highs


def _add_columns(highs: _Highs, costs: list[float], upper: list[float]) -> None:
    n = len(costs)
    highs.addVars(n, np.zeros(n), np.asarray(upper, dtype=np.float64))
    highs.changeColsCost(n, np.arange(n, dtype=np.int32), np.asarray(costs, dtype=np.float64))


def _integrality(highs: _Highs, binary: int, on: bool) -> None:
    kind = highspy.HighsVarType.kInteger if on else highspy.HighsVarType.kContinuous
    kinds = np.full(binary, kind.value, dtype=np.uint8)
    highs.changeColsIntegrality(binary, np.arange(binary, dtype=np.int32), kinds)


def _run(highs: _Highs, binary: int) -> tuple[list[float], bool]:
    """Solve with columns 0..binary-1 as 0/1: an integral LP optimum is the integer optimum
    too, at a fraction of the time; the integer program runs only when it is not."""
    highs.run()
    values = list(highs.getSolution().col_value)
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    if all(min(v, 1.0 - v) < INTEGRAL for v in values[:binary]):
        return values, optimal
    _integrality(highs, binary, True)
    highs.run()
    values = list(highs.getSolution().col_value)
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    _integrality(highs, binary, False)
    return values, optimal


class _Rows:
    """Constraint rows gathered in compressed sparse row form, passed to HiGHS at once."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.starts: list[int] = []
        self.indices: list[int] = []
        self.values: list[float] = []

    @property
    def count(self) -> int:
        return len(self.lower)

    def add(
        self, cols: list[int], lower: float, upper: float, values: list[float] | None = None
    ) -> None:
        self.starts.append(len(self.indices))
        self.indices += cols
        self.values += values if values is not None else [1.0] * len(cols)
        self.lower.append(lower)
        self.upper.append(upper)

    def pass_to(self, highs: _Highs) -> None:
        highs.addRows(
            self.count,
            np.asarray(self.lower, dtype=np.float64),
            np.asarray(self.upper, dtype=np.float64),
            len(self.indices),
            np.asarray(self.starts, dtype=np.int32),
            np.asarray(self.indices, dtype=np.int32),
            np.asarray(self.values, dtype=np.float64),
        )


def _positions(pairs: Sequence[Pair], side: int) -> dict[int, list[int]]:
    """Column numbers of the pairs, by need (side 0) or by supplier (side 1)."""
    found: dict[int, list[int]] = defaultdict(list)
    for i, pair in enumerate(pairs):
        found[pair[side]].append(i)
    return found


class ShortlistProgram:
    """Maximise the total value of the chosen pairs: each need fills `slots[need]` places
    (a place left empty costs SLOT_PENALTY), each supplier takes at most its limit, and at
    least `quota` of the `new` suppliers are placed (each one missing costs QUOTA_PENALTY).

    Built once; `solve` takes the limits and quota, so variants only change row bounds.
    Columns: one 0/1 per pair, then per need its empty places, per new supplier whether it
    is placed, and the quota's shortfall.
    """

    def __init__(
        self,
        pairs: Sequence[Pair],
        values: Sequence[float],
        slots: Mapping[int, int],
        new: Sequence[int],
        time_limit: float,
    ) -> None:
        self.pairs, self.highs = list(pairs), _highs(time_limit)
        needs, x = sorted(slots), len(self.pairs)
        self.placed = x + len(needs)
        self.miss = self.placed + len(new)
        costs = [*values, *[-SLOT_PENALTY] * len(needs), *[0.0] * len(new), -QUOTA_PENALTY]
        upper = [1.0] * x + [float(slots[n]) for n in needs] + [1.0] * len(new) + [0.0]
        _add_columns(self.highs, costs, upper)
        of_need, of_supplier = _positions(self.pairs, 0), _positions(self.pairs, 1)
        rows = _Rows()
        for j, n in enumerate(needs):
            rows.add([*of_need[n], x + j], slots[n], slots[n])
        self.suppliers, self.first_supplier_row = sorted(of_supplier), rows.count
        for s in self.suppliers:
            rows.add(of_supplier[s], -np.inf, 0.0)
        for j, s in enumerate(new):
            cols = of_supplier[s]
            rows.add([self.placed + j, *cols], -np.inf, 0.0, [1.0] + [-1.0] * len(cols))
        self.quota_row = rows.count
        rows.add(list(range(self.placed, self.miss + 1)), 0.0, np.inf)
        rows.pass_to(self.highs)

    def solve(self, limits: Mapping[int, int], quota: int) -> tuple[set[Pair], bool]:
        """The chosen pairs under these supplier limits and quota; True when proven optimal."""
        for k, s in enumerate(self.suppliers):
            self.highs.changeRowBounds(self.first_supplier_row + k, -np.inf, float(limits[s]))
        self.highs.changeRowBounds(self.quota_row, float(quota), np.inf)
        self.highs.changeColBounds(self.miss, 0.0, float(quota))
        values, optimal = _run(self.highs, len(self.pairs))
        return {pair for i, pair in enumerate(self.pairs) if values[i] > 0.5}, optimal


def b_matching(
    pairs: Sequence[Pair],
    values: Sequence[float],
    per_need: int,
    per_supplier: int,
    time_limit: float,
) -> set[Pair]:
    """The most valuable pairs with at most `per_need` per need and `per_supplier` each."""
    if not pairs or per_need <= 0:
        return set()
    highs = _highs(time_limit)
    _add_columns(highs, list(values), [1.0] * len(pairs))
    rows = _Rows()
    for cols in _positions(pairs, 0).values():
        rows.add(cols, -np.inf, float(per_need))
    for cols in _positions(pairs, 1).values():
        rows.add(cols, -np.inf, float(per_supplier))
    rows.pass_to(highs)
    chosen, _ = _run(highs, len(pairs))
    return {pair for i, pair in enumerate(pairs) if chosen[i] > 0.5}
