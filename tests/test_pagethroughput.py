"""The page throughput bench's machinery (`axmatch bench-pages --throughput`), over the bare
page alone: figures per page, ratios taken within rounds. The full run is a command."""

import os

from app.pagesbench import free_port
from app.pagethroughput import BARE, Load, Target, _serve, measure, stop


def test_pages_are_measured_in_rounds_beside_the_bare_page() -> None:
    port = free_port()
    server = _serve("app.barepage:app", dict(os.environ), port)
    base = f"http://127.0.0.1:{port}"
    try:
        pages = [Target(BARE, base, "/rows", {}), Target("the same page", base, "/rows", {})]
        figures = measure(pages, Load(connections=3, processes=2, seconds=0.5, rounds=2))
    finally:
        stop(server)
    assert set(figures) == {BARE, "the same page"}
    assert figures[BARE]["vs_bare"] == 1.0
    assert all(
        f["req_per_s"] > 0 and f["min"] <= f["req_per_s"] <= f["max"] for f in figures.values()
    )
