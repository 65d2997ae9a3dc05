"""`axmatch bench-pages`: latency of fast page requests while slow form posts run.

One uvicorn worker on 127.0.0.1 serves a fresh database. Slow clients post the new-need form;
the bench makes each INSERT INTO needs take `delay` seconds (a sleep in the driver call,
standing in for a slow query or a lock wait). Fast clients read /needs/mine. A handler that
runs its database work on the event loop stalls every fast request behind each slow one; one
that runs in the thread pool does not. Fake embeddings: the figure is about the event loop.
"""

import os
import socket
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event

NEED_FORM = {"title": "벤치마크 과제 등록", "description": "느린 요청과 빠른 요청이 섞일 때의 지연"}


@dataclass(frozen=True)
class Mix:
    slow_clients: int = 2
    fast_clients: int = 4
    seconds: float = 4.0
    delay: float = 0.3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(url: str) -> str:
    """Schema and one manufacturer; returns its password-login e-mail."""
    from alembic import command

    from app.accounts import service as accounts
    from app.accounts.schemas import Registration
    from app.cli import alembic_config
    from app.db import Database

    config = alembic_config()
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")
    db = Database.from_url(url)
    data = Registration(
        kind="manufacturer",
        organization_name="벤치정밀",
        business_number="1248100998",
        name="벤치",
        email="bench@pages.example.kr",
        password="bench-password-9",
        consent=True,
    )
    with db.transaction() as session:
        accounts.register(session, data, "ko")
    db.engine.dispose()
    return data.email


def _slow_need_inserts(engine: Any, delay: float) -> None:
    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO NEEDS"):
            time.sleep(delay)

    event.listen(engine, "before_cursor_execute", before)


def _client(base: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    client.get("/login")
    form = {"csrftoken": client.cookies["csrftoken"], "email": email}
    response = client.post("/login", data={**form, "password": "bench-password-9"})
    if response.status_code != 303:
        raise RuntimeError(f"bench login failed: {response.status_code}")
    return client


def _loop(client: httpx.Client, stop: threading.Event, slow: bool, out: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        if slow:
            data = {"csrftoken": client.cookies["csrftoken"], **NEED_FORM}
            response = client.post("/needs/new", data=data)
            ok = response.status_code == 303
        else:
            ok = client.get("/needs/mine").status_code == 200
        if not ok:
            raise RuntimeError("bench request failed")
        out.append(time.perf_counter() - started)


def _phase(base: str, email: str, mix: Mix, with_slow: bool) -> dict[str, float]:
    stop = threading.Event()
    fast: list[float] = []
    slow: list[float] = []
    kinds = [False] * mix.fast_clients + ([True] * mix.slow_clients if with_slow else [])
    clients = [_client(base, email) for _ in kinds]
    threads = [
        threading.Thread(target=_loop, args=(c, stop, k, slow if k else fast), daemon=True)
        for c, k in zip(clients, kinds, strict=True)
    ]
    for t in threads:
        t.start()
    time.sleep(mix.seconds)
    stop.set()
    for t in threads:
        t.join()
    for c in clients:
        c.close()
    return _figures(fast, slow)


def _figures(fast: list[float], slow: list[float]) -> dict[str, float]:
    ms = sorted(x * 1000 for x in fast)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return {
        "fast_requests": len(ms),
        "fast_p50_ms": round(statistics.median(ms), 1),
        "fast_p99_ms": round(p99, 1),
        "slow_requests": len(slow),
    }


def run(mix: Mix, database_url: str | None = None) -> dict[str, dict[str, float]]:
    import uvicorn

    from app.config import get_settings
    from app.db import Database
    from app.main import create_app

    folder = Path(tempfile.mkdtemp(prefix="axmatch-bench-pages-"))
    os.environ["AXMATCH_EMBEDDING_MODEL"] = "fake"
    get_settings.cache_clear()
    url = database_url or f"sqlite:///{folder / 'bench.db'}"
    email = _prepare(url)
    update = {"data_dir": folder, "database_url": url, "worker_in_app": False}
    settings = get_settings().model_copy(update=update)
    db = Database.from_url(url)
    _slow_need_inserts(db.engine, mix.delay)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, db), host="127.0.0.1", port=port, log_level="error"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        return {
            "fast alone": _phase(base, email, mix, with_slow=False),
            "fast with slow": _phase(base, email, mix, with_slow=True),
        }
    finally:
        server.should_exit = True
        thread.join()
        db.engine.dispose()
