"""`axmatch bench --national`: the manufacturer index at national size, as workers hold it.

Its kind and size, recall@10 against exact search over the same stored vectors, search
p50/p99 beside a plain `IndexFlatIP` measured interleaved in the same loop, memory (PSS) per
uvicorn worker for 1, 2 and 4 workers, and how long a fresh worker takes to answer its
first manufacturer search from the snapshot.
"""

import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import faiss
import httpx
import numpy as np
from sqlalchemy import select
from tqdm import tqdm

import matching
from app.benchserver import stop, wait_up
from app.db import Database
from app.matches import service
from app.matches.bench import percentiles
from app.matches.cache import IndexCache
from app.matches.store import MANUFACTURER, all_owner_ids, model_key, sync
from app.models import Embedding

WORKERS = (1, 2, 4)


def embed_manufacturers(db: Database, embedder: matching.Embedder, batch: int = 2000) -> float:
    """Every manufacturer profile through the product's sync; returns vectors per second."""
    with db.transaction(write=False) as session:
        ids = all_owner_ids(session, MANUFACTURER)
    embedded, started = 0, time.perf_counter()
    for start in tqdm(range(0, len(ids), batch), desc="embed manufacturers", file=sys.stderr):
        with db.transaction() as session:
            embedded += sync(session, embedder, MANUFACTURER, ids[start : start + batch])
    return embedded / (time.perf_counter() - started)


def stored(db: Database, model: str) -> tuple[np.ndarray, np.ndarray]:
    query = select(Embedding.id, Embedding.vector).where(
        Embedding.owner_kind == MANUFACTURER, Embedding.model == model
    )
    ids, rows = [], []
    with db.transaction(write=False) as session:
        for chunk in session.execute(query.execution_options(yield_per=20_000)).partitions():
            ids += [i for i, _ in chunk]
            rows += [np.frombuffer(v, dtype=np.float32) for _, v in chunk]
    return np.asarray(ids, np.int64), np.vstack(rows)


def index_figures(db: Database, cache: IndexCache, texts: list[str]) -> dict[str, Any]:
    index = cache.indexes[MANUFACTURER]
    ids, vectors = stored(db, model_key(cache.embedder))
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    del vectors
    queries = cache.embedder.encode(texts, kind="query")
    k = service.CANDIDATE_NEEDS
    truth = ids[flat.search(queries, 10)[1]]
    found = index.search(queries, 10)[1]
    recall = np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found, strict=True)])
    paths: dict[str, Callable[[np.ndarray], object]] = {
        "raw": lambda q: flat.search(q, k),
        "product": lambda q: cache.search(MANUFACTURER, q, k),
    }
    samples: dict[str, list[float]] = {name: [] for name in paths}
    faiss.omp_set_num_threads(1)
    for row in queries:  # interleaved: each query through both, in turn led by either
        for name in sorted(paths, reverse=len(samples["raw"]) % 2 == 1):
            started = time.perf_counter()
            paths[name](row[None])
            samples[name].append(time.perf_counter() - started)
    raw, product = percentiles(samples["raw"]), percentiles(samples["product"])
    folder = cache.folder
    return {
        "manufacturer_index": {
            "kind": index.kind,
            "vectors": len(index),
            "file_mb": round(sum(p.stat().st_size for p in folder.glob("manufacturer-*")) / 1e6, 1),
            "flat_mb": round(flat.ntotal * flat.d * 4 / 1e6, 1),
            "recall_at_10_vs_exact": round(float(recall), 4),
            "recall_floor": matching.index.RECALL_FLOOR,
        },
        "raw_flat_ip_manufacturer_search": raw,
        "manufacturer_search": {
            **product,
            "p50_ratio_to_raw": round(product["p50_ms"] / max(raw["p50_ms"], 1e-6), 2),
            "p99_ratio_to_raw": round(product["p99_ms"] / max(raw["p99_ms"], 1e-6), 2),
        },
    }


def pss_kb(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value)
    return fields


def _workers(pid: int) -> list[int]:
    """The uvicorn worker processes (the server itself when it runs one worker)."""
    children = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    found = [p for p in children if b"resource_tracker" not in _cmdline(p)]
    return found or [pid]


def _cmdline(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


def start_workers(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port)]
    command += ["--host", "127.0.0.1", "--log-level", "warning", "--workers", str(workers)]
    # uvicorn restarts a worker that misses its 5 s health ping; one loading the index on a
    # busy 2-core machine can miss it, and each restart began the load again.
    command += ["--timeout-worker-healthcheck", "120"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    wait_up(server, f"http://127.0.0.1:{port}/healthz", "the bench server", pause=0.1, status=200)
    return server


def _search(port: int, token: str, text: str) -> float:
    """Seconds to answer one manufacturer search (retried while workers are still starting:
    the first one up answers /healthz before the others listen)."""
    started = time.perf_counter()
    for attempt in range(50):
        try:
            httpx.get(
                f"http://127.0.0.1:{port}/api/match",
                params={"q": text, "target": "manufacturers", "limit": 10},
                headers={"authorization": f"Bearer {token}"},
                timeout=120,
            ).raise_for_status()
            return time.perf_counter() - started
        except httpx.TransportError:
            if attempt == 49:
                raise
            time.sleep(0.2)
    raise AssertionError("unreachable")


def _warm_all(
    server: subprocess.Popen[bytes],
    workers: int,
    port: int,
    token: str,
    texts: list[str],
    warm_kb: float,
) -> list[dict[str, int]]:
    """Parallel manufacturer searches until every worker has answered some (the kernel
    spreads them) and holds `warm_kb` of memory (a worker below it has not loaded yet);
    then each one's smaps_rollup."""
    deadline = time.monotonic() + 180
    with ThreadPoolExecutor(workers * 4) as pool:
        while True:
            batch = texts[: workers * 8]
            list(pool.map(_search, [port] * len(batch), [token] * len(batch), batch))
            pids = _workers(server.pid)
            rollups = [pss_kb(pid) for pid in pids]
            warm = len(pids) == workers and all(r["Rss"] >= warm_kb for r in rollups)
            if warm or time.monotonic() > deadline:
                return rollups


def worker_figures(
    env: dict[str, str], ports: list[int], token: str, texts: list[str]
) -> dict[str, Any]:
    """PSS per worker once every worker has answered manufacturer searches (requests in
    parallel, several rounds, so the kernel spreads them), and a fresh worker's warm-up."""

    figures: dict[str, Any] = {}
    warm_kb = 0.0  # 0.8 x the RSS of a warm single worker
    for workers, port in zip(WORKERS, ports, strict=True):
        started = time.perf_counter()
        server = start_workers(env, port, workers)
        try:
            if workers == 1:
                up = time.perf_counter() - started
                first = _search(port, token, texts[0])
                figures["fresh_worker"] = {
                    "started_s": round(up, 2),
                    "first_manufacturer_search_s": round(first, 2),
                    "warm_s": round(time.perf_counter() - started, 2),
                }
            rollups = _warm_all(server, workers, port, token, texts, warm_kb)
            if workers == 1:
                warm_kb = rollups[0]["Rss"] * 0.8
            figures[f"pss_mb_{workers}_workers"] = {
                "per_worker": [round(r["Pss"] / 1024) for r in rollups],
                "file_backed_per_worker": [round(r.get("Pss_File", 0) / 1024) for r in rollups],
                "rss_per_worker": [round(r["Rss"] / 1024) for r in rollups],
                "total": round(sum(r["Pss"] for r in rollups) / 1024),
            }
        finally:
            stop(server)
    return figures
