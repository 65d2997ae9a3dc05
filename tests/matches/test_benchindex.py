"""The national bench's memory reading (the bench itself runs in tests/matches/test_commands)."""

import os

from app.matches import benchindex


def test_pss_is_read_from_smaps_rollup_and_a_lone_server_is_its_own_worker() -> None:
    rollup = benchindex.pss_kb(os.getpid())
    assert 0 < rollup["Pss"] <= rollup["Rss"]
    assert benchindex._workers(os.getpid()) == [os.getpid()]
