"""The national bench's memory reading (the bench itself runs in tests/matches/test_commands)."""

import os
import subprocess
import sys

from app.matches import benchindex


def test_pss_is_read_from_smaps_rollup_and_a_lone_server_is_its_own_worker() -> None:
    rollup = benchindex.pss_kb(os.getpid())
    assert 0 < rollup["Pss"] <= rollup["Rss"]
    # a process of its own: the test run's process has children of its own (browser servers)
    lone = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert benchindex._workers(lone.pid) == [lone.pid]
    finally:
        lone.kill()
        lone.wait()
