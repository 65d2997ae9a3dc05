"""`axmatch bench-pages --throughput`: logged-in page throughput at 32 connections, beside a
bare FastAPI + Jinja2 20-row page served in the same run and measured interleaved with it.

Two uvicorn servers, one worker each: the app over the demo data (fake embeddings, a fresh
SQLite file unless a database is given) and `app.barepage`. Each round runs every page in turn
for `seconds` with `connections` keep-alive clients spread over client processes (one Python
process cannot keep up with the bare page). A client whose connection drops reconnects (httpx
opens a new one) and retries that request once. A page's figure is its median over rounds;
its ratio to the bare page is taken within each round, then the median.
"""

import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from app.benchserver import stop, wait_up
from app.pagesbench import free_port

ROOT = Path(__file__).resolve().parent.parent
BARE = "bare FastAPI + Jinja2 (20 rows)"
COORDINATOR = "coordinator@gn-ai.example.kr"
MANUFACTURER = "contact@daegwang-autotech.example.kr"


@dataclass(frozen=True)
class Load:
    connections: int = 32
    processes: int = 4
    seconds: float = 3.0
    rounds: int = 3


@dataclass(frozen=True)
class Target:
    name: str
    base: str
    path: str
    cookies: dict[str, str]


def _serve(module: str, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", module, "--host", "127.0.0.1"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--log-level", "warning"], env=env, cwd=ROOT
    )
    wait_up(server, f"http://127.0.0.1:{port}/", module)
    return server


def _prepare(env: dict[str, str]) -> None:
    for step in ("migrate", "seed"):
        subprocess.run(
            [sys.executable, "-m", "app.cli", step], env=env, cwd=ROOT, check=True,
            capture_output=True,
        )  # fmt: skip


def _login(base: str, email: str) -> dict[str, str]:
    from seed.loader import DEMO_PASSWORD

    with httpx.Client(base_url=base, timeout=60) as client:
        client.get("/login")
        form = {"csrftoken": client.cookies["csrftoken"], "email": email}
        response = client.post("/login", data={**form, "password": DEMO_PASSWORD})
        if response.status_code != 303:
            raise RuntimeError(f"bench login failed for {email}: {response.status_code}")
        return dict(client.cookies)


def _first(base: str, cookies: dict[str, str], path: str, prefix: str) -> str:
    """The first link on `path` that starts with `prefix` (a need, a supplier)."""
    import re

    html = httpx.get(base + path, cookies=cookies, timeout=60).text
    found = re.search(rf'href="({re.escape(prefix)}\d+)"', html)
    if found is None:
        raise RuntimeError(f"no {prefix} link on {path}")
    return found.group(1)


def targets(app: str, bare: str) -> list[Target]:
    staff, maker = _login(app, COORDINATOR), _login(app, MANUFACTURER)
    need = _first(app, maker, "/needs/mine", "/needs/")
    supplier = _first(app, maker, "/suppliers", "/suppliers/")
    return [
        Target(BARE, bare, "/rows", {}),
        Target("need list (/needs, coordinator)", app, "/needs", staff),
        Target("need page (manufacturer)", app, need, maker),
        Target("need suggestions (manufacturer)", app, f"{need}/suggestions", maker),
        Target("coordinator dashboard", app, "/coordinator/dashboard", staff),
        Target("supplier profile (manufacturer)", app, supplier, maker),
    ]


def _client_loop(target: Target, ends: float, out: list[int]) -> None:
    ok = failed = 0
    with httpx.Client(base_url=target.base, cookies=target.cookies, timeout=60) as client:
        while time.monotonic() < ends:
            try:
                response = client.get(target.path)
            except httpx.TransportError:  # a dropped keep-alive connection: a new one, once
                response = client.get(target.path)
            ok, failed = (ok + 1, failed) if response.status_code == 200 else (ok, failed + 1)
    out += [ok, failed]


def _process(job: tuple[Target, int, float]) -> tuple[int, int, float]:
    """(requests answered 200, other answers, seconds until the last one came back): requests
    in flight at the end are waited for and counted, so a slow page is not read as zero."""
    target, threads, seconds = job
    started = time.monotonic()
    results: list[list[int]] = [[] for _ in range(threads)]
    workers = [
        threading.Thread(target=_client_loop, args=(target, started + seconds, out))
        for out in results
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - started
    return sum(r[0] for r in results), sum(r[1] for r in results), elapsed


def _phase(pool: Any, target: Target, load: Load) -> float:
    per = [load.connections // load.processes] * load.processes
    per[0] += load.connections - sum(per)
    done = pool.map(_process, [(target, n, load.seconds) for n in per])
    if sum(failed for _, failed, _ in done):
        raise RuntimeError(f"{target.name}: requests failed")
    return sum(ok for ok, _, _ in done) / max(elapsed for _, _, elapsed in done)


def measure(pages: list[Target], load: Load) -> dict[str, dict[str, float]]:
    rates: dict[str, list[float]] = {t.name: [] for t in pages}
    with multiprocessing.get_context("spawn").Pool(load.processes) as pool:
        for target in pages:  # warm: index load, template compile, first queries
            _phase(pool, target, Load(load.processes, load.processes, 1.0, 1))
        for _ in range(load.rounds):
            for target in pages:
                rates[target.name].append(_phase(pool, target, load))
    bare = rates[BARE]
    return {
        name: {
            "req_per_s": round(statistics.median(r), 1),
            "min": round(min(r), 1),
            "max": round(max(r), 1),
            "vs_bare": round(statistics.median(x / b for x, b in zip(r, bare, strict=True)), 3),
        }
        for name, r in rates.items()
    }


def run(load: Load, database_url: str | None = None) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="axmatch-bench-throughput-"))
    env = {
        **os.environ,
        "AXMATCH_ENV": "production",  # templates compiled once, as served
        "SECRET_KEY": os.urandom(16).hex(),
        "AXMATCH_DATA_DIR": str(folder),
        "AXMATCH_EMBEDDING_MODEL": "fake",
        "AXMATCH_WORKER_IN_APP": "0",
        "DATABASE_URL": database_url or f"sqlite:///{folder / 'bench.db'}",
    }
    _prepare(env)
    ports = free_port(), free_port()
    servers = [_serve("app.main:app", env, ports[0]), _serve("app.barepage:app", env, ports[1])]
    try:
        pages = targets(f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}")
        figures = measure(pages, load)
    finally:
        for server in servers:
            stop(server)
    return {"load": load.__dict__, "pages": figures}
