"""Runs `axmatch bench`: set-up, then each measurement beside its raw ceiling."""

import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import typer
from alembic import command
from sqlalchemy import select
from tqdm import tqdm

import matching
from app.accounts.service import create_api_token, create_staff, create_user
from app.benchserver import stop, wait_up
from app.cli import alembic_config
from app.config import Settings, get_settings
from app.db import Database
from app.matches import benchindex, engine, service
from app.matches.bench import Scale, generate, percentiles, timed
from app.matches.cache import IndexCache
from app.matches.store import NEED, SUPPLIER, all_owner_ids, need_record, sync
from app.models import Need, Organization, Role, SupplierProfile, User


def setup(settings: Settings, scale: Scale) -> Database:
    config = alembic_config()
    config.set_main_option("sqlalchemy.url", settings.database_url)
    command.upgrade(config, "head")
    db = Database.from_url(settings.database_url)
    with db.transaction() as session:
        generate(session, scale)
        create_staff(
            session, "bench@axmatch.example.kr", "bench-password-1", "bench", Role.coordinator
        )
    return db


def raw_encode_rate(db: Database, settings: Settings, n: int = 512) -> float:
    """The model alone, batches of 64 (best of three runs: the ceiling, not a noisy sample)."""
    embedder = engine.embedder(settings)
    with db.transaction(write=False) as session:  # the very texts reindex embeds for needs
        needs = session.scalars(select(Need).order_by(Need.id).limit(n))
        texts = [unit.text for need in needs for unit in matching.need_units(need_record(need))]
    embedder.encode(texts[:8], kind="query")  # load and warm up
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for start in range(0, len(texts), 64):
            embedder.encode(texts[start : start + 64], kind="query")
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def reindex_rate(db: Database, settings: Settings, batch: int = 500) -> float:
    embedder, embedded, started = engine.embedder(settings), 0, time.perf_counter()
    for kind in (SUPPLIER, NEED):
        with db.transaction(write=False) as session:
            ids = all_owner_ids(session, kind)
        for start in tqdm(range(0, len(ids), batch), desc=f"reindex {kind}s", file=sys.stderr):
            with db.transaction() as session:
                embedded += sync(session, embedder, kind, ids[start : start + batch])
    return embedded / (time.perf_counter() - started)


def query_texts(db: Database, n: int) -> list[str]:
    with db.transaction(write=False) as session:
        return list(session.scalars(select(Need.title).order_by(Need.id).limit(n)))


WARM_UP = 20


class LeanClient:
    """The least an HTTP client can do (stdlib, one kept-alive connection): beside the httpx
    figure, it shows how much of that figure is the client's own work."""

    def __init__(self, port: int, token: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"authorization": f"Bearer {token}"}

    def get(self, path: str, params: dict[str, str | int]) -> bytes:
        self.connection.request("GET", f"{path}?{urlencode(params)}", headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        return body


def latencies(
    db: Database, cache: IndexCache, port: int, token: str, texts: list[str]
) -> dict[str, Any]:
    """need -> suppliers over the same query texts, k and index, all warm: the raw model +
    FAISS search, the service, and HTTP with two keep-alive clients (httpx, as a Python API
    client would use, and `LeanClient`). The passes are interleaved in rounds, each round led
    by another path, so a burst of load on a shared machine falls on all of them alike."""
    lean = LeanClient(port, token)
    with db.transaction(write=False) as session, _client(port, token) as client:
        staff = session.scalar(select(User).where(User.role == Role.coordinator))
        paths = {
            "raw": lambda text: cache.indexes[SUPPLIER].search(
                cache.embedder.encode([text], kind="query"), service.CANDIDATE_UNITS
            ),
            "service": lambda text: service.search(session, cache, staff, text, "suppliers"),
            "http": lambda text: client.get(
                "/api/match", params={"q": text, "limit": 10}
            ).raise_for_status(),
            "http_lean": lambda text: lean.get("/api/match", {"q": text, "limit": 10}),
        }
        samples: dict[str, list[float]] = {name: [] for name in paths}
        cpu_here = dict.fromkeys(paths, 0.0)  # this process's CPU: for HTTP, the client's
        for path in paths.values():
            for text in texts[:WARM_UP]:
                path(text)
        for n in range(len(paths)):
            for name in [*paths][n:] + [*paths][:n]:
                cpu = time.process_time()
                samples[name] += timed_each(paths[name], texts)
                cpu_here[name] += time.process_time() - cpu
        floor = timed_each(lambda _: client.get("/healthz").raise_for_status(), texts)
    lean.connection.close()
    raw = percentiles(samples["raw"])
    return {
        "raw_embed_search": raw,
        "service_need_to_suppliers": _with_ratio(percentiles(samples["service"]), raw),
        "http_need_to_suppliers": _with_ratio(percentiles(samples["http"]), raw),
        "http_lean_client_need_to_suppliers": _with_ratio(percentiles(samples["http_lean"]), raw),
        "http_client_cpu_ms_per_request": {
            client: round(cpu_here[path] * 1000 / len(samples[path]), 2)
            for client, path in (("httpx", "http"), ("lean", "http_lean"))
        },
        "http_floor_healthz": percentiles(floor),
    }


def timed_each(path: Callable[[str], object], texts: list[str]) -> list[float]:
    texts_left = iter(texts)
    return timed(lambda: path(next(texts_left)), len(texts))


def _client(port: int, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=f"http://127.0.0.1:{port}",
        headers={"authorization": f"Bearer {token}"},
        timeout=30,
    )


def supplier_to_needs(db: Database, cache: IndexCache, n: int) -> list[float]:
    with db.transaction() as session:
        orgs = session.scalars(select(Organization).join(SupplierProfile).limit(n)).all()
        users = [
            create_user(
                session,
                o,
                f"bench-{o.id}@sup.example.kr",
                "bench-password-1",
                o.name,
                Role.supplier,
            )
            for o in orgs
        ]
    with db.transaction(write=False) as session:
        people = iter([session.merge(u) for u in users] * 2)
        service.recommend_needs(session, cache, session.merge(users[-1]))  # warm-up
        return timed(lambda: service.recommend_needs(session, cache, next(people)), n)


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    wait_up(server, f"http://127.0.0.1:{port}/healthz", "the bench server", status=200)
    return server


_PORTS = [int(p) for p in os.environ.get("AXMATCH_BENCH_PORTS", "").split(",") if p]


def free_port() -> int:
    """The next of AXMATCH_BENCH_PORTS (a shared machine hands out ports), else any free one."""
    if _PORTS:
        return _PORTS.pop(0)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def api_token(db: Database) -> str:
    with db.transaction() as session:
        staff = session.scalar(select(User).where(User.role == Role.coordinator))
        return create_api_token(session, staff, "bench")[1]


def edit_visibility(db: Database, port: int, token: str) -> float:
    """Seconds from committing a profile edit here to another worker ranking it first."""
    phrase = f"초음파 용접 이음부 기공 검사 {random.randint(1000, 9999)} ultrasonic weld porosity"
    with db.transaction() as session:
        profile = session.scalar(select(SupplierProfile).order_by(SupplierProfile.id.desc()))
        target, profile.description_ko = profile.organization_id, phrase
    started = time.perf_counter()
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}",
        headers={"authorization": f"Bearer {token}"},
        timeout=30,
    ) as client:
        while time.perf_counter() - started < 60:
            response = client.get("/api/match", params={"q": phrase, "limit": 1})
            response.raise_for_status()
            found = response.json()
            if found and found[0]["id"] == target:
                return time.perf_counter() - started
            time.sleep(0.05)
    return float("nan")


def run(
    scale: Scale,
    queries: int,
    model: str | None,
    database_url: str | None,
    national: bool = False,
) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="axmatch-bench-"))
    os.environ.update(
        {
            "AXMATCH_DATA_DIR": str(tmp),
            "AXMATCH_ENV": "development",
            "DATABASE_URL": database_url or f"sqlite:///{tmp / 'bench.db'}",
        }
    )
    if model:
        os.environ["AXMATCH_EMBEDDING_MODEL"] = model
    get_settings.cache_clear()  # every path (the write hooks too) must see the bench's settings
    settings = get_settings()
    typer.echo(f"bench: {scale} with {engine.model_name(settings)} in {tmp}", err=True)
    db = setup(settings, scale)
    figures: dict[str, Any] = {"model": engine.model_name(settings), "scale": vars(scale)}
    figures["raw_encode_per_s"] = round(raw_encode_rate(db, settings), 1)
    figures["reindex_per_s"] = round(reindex_rate(db, settings), 1)
    figures["reindex_ratio"] = round(figures["reindex_per_s"] / figures["raw_encode_per_s"], 2)
    if national:
        rate = benchindex.embed_manufacturers(db, engine.embedder(settings))
        figures["manufacturers_embedded_per_s"] = round(rate, 1)
    cache = engine.new_index_cache(settings)
    started = time.perf_counter()
    with db.transaction(write=False) as session:
        cache.rebuild(session)
    figures["index_build_s"] = round(time.perf_counter() - started, 1)
    figures["index_vectors"] = {k: len(i) for k, i in cache.indexes.items()}
    figures["index_kinds"] = {k: i.kind for k, i in cache.indexes.items()}
    figures["index_memory_mb"] = round(
        sum(len(i) * i.dim * 4 for i in cache.indexes.values() if not i.approximate) / 1e6, 1
    )
    texts = query_texts(db, queries)
    env = dict(os.environ, AXMATCH_WORKER_IN_APP="false")  # a web worker, as in production
    token = api_token(db)
    if national:
        figures.update(benchindex.index_figures(db, cache, texts))
        ports = [free_port() for _ in benchindex.WORKERS]
        figures.update(benchindex.worker_figures(env, ports, token, texts))
    ports = [free_port(), free_port()]
    servers = [start_server(env, p) for p in ports]
    try:
        figures.update(latencies(db, cache, ports[0], token, texts))
        figures["supplier_to_needs"] = percentiles(supplier_to_needs(db, cache, min(queries, 100)))
        figures["edit_visible_in_other_worker_s"] = round(edit_visibility(db, ports[1], token), 2)
    finally:
        for server in servers:
            stop(server)
    return figures


def _with_ratio(figures: dict[str, float], raw: dict[str, float]) -> dict[str, float]:
    return {
        **figures,
        "p50_ratio_to_raw": round(figures["p50_ms"] / max(raw["p50_ms"], 1e-6), 2),
        "p99_ratio_to_raw": round(figures["p99_ms"] / max(raw["p99_ms"], 1e-6), 2),
    }


def report(figures: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(figures))
        return
    for key, value in figures.items():
        typer.echo(f"{key:<34} {value}")
