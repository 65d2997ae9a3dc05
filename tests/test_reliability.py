"""Reliability against a real server on 127.0.0.1 over a real database of its own (SQLite file or
PostgreSQL): parallel readers while others write, races on one record, a silent database."""

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from alembic import command
from sqlalchemy import func, select

from app import auth
from app.accounts import service as accounts
from app.bids import selection
from app.bids.schemas import SelectIn
from app.config import Settings
from app.db import Database
from app.errors import Conflict, Throttled
from app.main import create_app
from app.models import Award, Need, User, utcnow
from tests.bids.conftest import future, make_bid
from tests.builders import make_manufacturer, make_need, make_supplier
from tests.test_migrations import alembic_config

THREADS = 30


@pytest.fixture
def db(scratch_url: str) -> Iterator[Database]:
    command.upgrade(alembic_config(scratch_url), "head")
    database = Database.from_url(scratch_url)
    yield database
    database.engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(settings: Settings, db: Database, tmp_path: Path) -> Iterator[str]:
    """The app under uvicorn in a thread: a real event loop and thread pool."""
    update = {"data_dir": tmp_path, "worker_in_app": False}
    app = create_app(settings.model_copy(update=update), database=db)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):
        if server.started:
            break
        time.sleep(0.025)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def at_once(n: int, call: Callable[[int], Any]) -> list[Any]:
    """`call(i)` for i < n from n threads released together."""
    barrier = threading.Barrier(n)

    def go(i: int) -> Any:
        barrier.wait()
        return call(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(go, range(n)))


@contextmanager
def writing(db: Database, need_id: int) -> Iterator[None]:
    """Another writer committing to the database until the block ends."""
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            with db.transaction() as session:
                need = session.get(Need, need_id)
                need.timeline_months = (need.timeline_months or 0) % 60 + 1

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def test_parallel_token_reads_never_fail_while_others_write(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    """Each token's first use is due for recording: before, every one of these GETs wrote
    `last_used_at` inside its read transaction and most failed with "database is locked"."""
    with db.transaction() as session:
        user = make_manufacturer(session)
        need_id = make_need(session, user).id
        secrets = [accounts.create_api_token(session, user, f"t{i}")[1] for i in range(3)]
    with serve(settings, db, tmp_path) as base, writing(db, need_id):

        def read(i: int) -> int:
            auth = {"authorization": f"Bearer {secrets[i % 3]}"}
            return httpx.get(f"{base}/api/needs", headers=auth, timeout=60).status_code

        statuses = Counter(at_once(THREADS, read))
    assert statuses == {200: THREADS}
    with serve(settings, db, tmp_path) as base:  # no other writer now: last use is recorded
        assert {read(i) for i in range(3)} == {200}
        assert wait_until(lambda: recorded(db, user.id) == 3)


def test_a_token_whose_request_failed_still_gets_its_use_recorded_later(
    db: Database, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request that fails after authentication runs no background task, so its claim to
    record the token's use is never released: before, the token's last use was then never
    recorded again by that process (and, in tests, by any token reusing its id)."""
    monkeypatch.setattr(auth, "TOKEN_USE_CLAIM_SECONDS", 0.0)  # a lost claim expires at once
    with db.transaction() as session:
        user = make_manufacturer(session)
        (secret,) = [accounts.create_api_token(session, user, "t")[1]]
    auth_header = {"authorization": f"Bearer {secret}"}
    with serve(settings, db, tmp_path) as base:
        missing = httpx.get(f"{base}/api/needs/999999", headers=auth_header, timeout=60)
        assert missing.status_code == 404 and recorded(db, user.id) == 0
        assert httpx.get(f"{base}/api/needs", headers=auth_header, timeout=60).status_code == 200
        assert wait_until(lambda: recorded(db, user.id) == 1)


def recorded(db: Database, user_id: int) -> int:
    with db.transaction(write=False) as session:
        tokens = accounts.list_api_tokens(session, session.get(User, user_id))
        return sum(t.last_used_at is not None for t in tokens)


def wait_until(check: Callable[[], bool], tries: int = 600) -> bool:
    """Poll a condition that a background task makes true (bounded, no timing asserted)."""
    for _ in range(tries):
        if check():
            return True
        time.sleep(0.05)
    return False


def test_simultaneous_selections_of_one_need_make_one_award(db: Database) -> None:
    with db.transaction() as session:
        owner = make_manufacturer(session)
        need = make_need(session, owner, deadline_at=future())
        supplier = make_supplier(session, "동시선정AI")
        make_bid(session, supplier, need)
        need.deadline_at = utcnow() - timedelta(minutes=1)
        owner_id, need_id, org_id = owner.id, need.id, supplier.organization_id
    choice = SelectIn(supplier_org_id=org_id, justification="실적과 가격이 적정")

    def choose(_: int) -> str:
        try:
            with db.transaction() as session:
                selection.select_bid(session, session.get(User, owner_id), need_id, choice)
        except Conflict:
            return "refused"
        return "selected"

    assert Counter(at_once(10, choose)) == {"selected": 1, "refused": 9}
    with db.transaction(write=False) as session:
        count = select(func.count(Award.id)).where(Award.need_id == need_id)
        assert session.scalar(count) == 1


def test_parallel_wrong_passwords_get_exactly_the_allowed_checks(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.transaction() as session:
        email = make_manufacturer(session).email
    checks: list[int] = []
    real = accounts.password_ok

    def counted(stored: str, password: str) -> bool:
        checks.append(1)  # list.append is atomic under the GIL
        return real(stored, password)

    monkeypatch.setattr(accounts, "password_ok", counted)

    def attempt(i: int) -> str:
        try:
            with db.transaction() as session:
                found = accounts.authenticate(session, email, "wrong-password", f"10.0.0.{i}")
        except Throttled:
            return "throttled"
        return "refused" if found is None else "let in"

    results = Counter(at_once(40, attempt))
    limit = settings.login_max_failures
    assert results == {"refused": limit, "throttled": 40 - limit}
    assert len(checks) == limit
