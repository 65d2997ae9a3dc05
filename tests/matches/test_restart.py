"""A real server killed with SIGKILL and started again finds every acknowledged write
(127.0.0.1 only; each wait bounded)."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import update

from app.accounts import service as accounts
from app.db import Database
from app.models import IndexChange, utcnow
from tests.builders import make_manufacturer
from tests.conftest import migrate
from tests.needs.helpers import api_body
from tests.notifications.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


def start(
    url: str, data_dir: Path, port: int, extra: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "AXMATCH_DATA_DIR": str(data_dir),
        "AXMATCH_EMBEDDING_MODEL": "fake",
        "AXMATCH_WORKER_IN_APP": "0",
        "AXMATCH_INDEX_SAVE_SECONDS": "3600",  # no save after the writes: the worst case
        **(extra or {}),
    }
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--log-level", "warning"], env=env, cwd=ROOT
    )
    for _ in range(300):  # at most 60 s
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


def found(client: httpx.Client) -> set[int]:
    response = client.get("/api/match", params={"q": "열처리 온도 예측", "target": "needs"})
    response.raise_for_status()
    return {item["id"] for item in response.json()}


def test_kill_9_then_restart_finds_every_acknowledged_need(scratch_url, tmp_path) -> None:
    migrate(scratch_url)
    db = Database.from_url(scratch_url)
    with db.transaction() as session:
        owner = make_manufacturer(session)
        session.flush()
        _, secret = accounts.create_api_token(session, owner, "restart test")
    headers = {"authorization": f"Bearer {secret}"}
    port = free_port()
    server = start(scratch_url, tmp_path, port)
    try:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=60
        ) as client:
            assert found(client) == set()  # the cache is built and saved here
            created = set()
            for n in range(8):
                body = api_body(title=f"열처리 로 {n}호기 온도 예측")
                response = client.post("/api/needs", json=body)
                assert response.status_code == 201
                created.add(response.json()["id"])
    finally:
        server.kill()  # SIGKILL: no shutdown of any kind
        server.wait(timeout=30)
    with db.transaction() as session:  # as if the restart came long after the writes
        session.execute(update(IndexChange).values(created_at=utcnow() - timedelta(hours=1)))
    server = start(scratch_url, tmp_path, port)
    try:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=60
        ) as client:
            assert created <= found(client)
    finally:
        server.terminate()
        server.wait(timeout=30)
        db.engine.dispose()
