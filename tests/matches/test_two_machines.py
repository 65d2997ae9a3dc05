"""Several app machines on one PostgreSQL database, each with its own data folder: a write
on one is found by search on the other (each follows the change log), and a new machine
starts from the snapshot in the shared object store plus the log after it. PostgreSQL only:
SQLite is one machine's file."""

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from app.accounts import service as accounts
from app.config import Settings
from app.db import Database
from app.matches import shared
from tests.builders import make_manufacturer
from tests.conftest import migrate
from tests.matches.test_restart import found, start
from tests.needs.helpers import api_body
from tests.notifications.conftest import free_port

postgres_only = pytest.mark.skipif(
    not os.environ["DATABASE_URL"].startswith("postgresql"),
    reason="several machines share a PostgreSQL database",
)


def token(url: str) -> str:
    db = Database.from_url(url)
    with db.transaction() as session:
        owner = make_manufacturer(session)
        session.flush()
        secret = accounts.create_api_token(session, owner, "two machines")[1]
    db.engine.dispose()
    return secret


@contextmanager
def machine(
    url: str, data_dir: Path, secret: str, extra: dict[str, str] | None = None
) -> Iterator[httpx.Client]:
    port = free_port()
    server = start(url, data_dir, port, {"AXMATCH_INDEX_POLL_SECONDS": "0.2", **(extra or {})})
    headers = {"authorization": f"Bearer {secret}"}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=60) as c:
            yield c
    finally:
        server.terminate()
        server.wait(timeout=30)


def post_need(client: httpx.Client, n: int) -> int:
    response = client.post("/api/needs", json=api_body(title=f"열처리 로 {n}호기 온도 예측"))
    assert response.status_code == 201
    return int(response.json()["id"])


def eventually(check: Callable[[], bool], seconds: float = 30) -> bool:
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if check():
            return True
        time.sleep(0.2)
    return False


@postgres_only
def test_a_write_on_one_machine_is_found_on_the_other(scratch_url, tmp_path) -> None:
    migrate(scratch_url)
    secret = token(scratch_url)
    with (
        machine(scratch_url, tmp_path / "a", secret) as a,
        machine(scratch_url, tmp_path / "b", secret) as b,
    ):
        assert found(a) == found(b) == set()  # both caches built
        on_a = post_need(a, 1)
        assert eventually(lambda: on_a in found(b))
        on_b = post_need(b, 2)
        assert eventually(lambda: on_b in found(a))


@postgres_only
def test_a_new_machine_starts_from_the_shared_snapshot_and_the_log(
    scratch_url, tmp_path, s3_settings: Settings
) -> None:
    migrate(scratch_url)
    secret = token(scratch_url)
    store = s3_settings.model_copy(update={"database_url": scratch_url})
    with machine(scratch_url, tmp_path / "a", secret) as a:
        before = {post_need(a, n) for n in range(3)}
        db = Database.from_url(scratch_url)
        try:
            assert shared.push(store.model_copy(update={"data_dir": tmp_path / "a"}), db)
        finally:
            db.engine.dispose()
        after = {post_need(a, n) for n in range(3, 5)}  # only in the log
    assert shared.pull(store.model_copy(update={"data_dir": tmp_path / "c"}))
    with machine(scratch_url, tmp_path / "c", secret) as c:
        assert before | after <= found(c)
        assert c.get("/healthz").json()["index"]["origin"] == "disk"


def test_pull_says_when_the_store_has_no_snapshot(s3_settings: Settings) -> None:
    assert shared.pull(s3_settings) is False
