"""Browser journeys: a real uvicorn server on 127.0.0.1 and Debian's Chromium via Playwright.

The server gets its own database (a SQLite file, or the `axmatch_browser` database when the
suite runs on PostgreSQL), migrated by Alembic and loaded with the demo data.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.db import make_engine

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"


def shot(page: object, name: str) -> Path:
    """A screenshot for the README's walk-through: docs/screenshots/<name>.png when
    AXMATCH_SCREENSHOTS=1 (refreshing the committed pictures), else test-artifacts/."""
    folder = SCREENSHOTS if os.environ.get("AXMATCH_SCREENSHOTS") == "1" else ARTIFACTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def scratch_database(tmp: Path) -> str:
    url = make_url(os.environ["DATABASE_URL"])
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{tmp / 'browser.db'}"
    name = f"{url.database}_browser"  # per test database, so parallel runs never share one
    admin = make_engine(url.render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError("the server exited during start-up")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not start within 60 s")


@pytest.fixture(scope="session")
def live_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A migrated database with the demo data, shared by every live server."""
    tmp = tmp_path_factory.mktemp("browser")
    env = {**os.environ, "DATABASE_URL": scratch_database(tmp), "AXMATCH_DATA_DIR": str(tmp)}
    axmatch = [sys.executable, "-m", "app.cli"]
    subprocess.run([*axmatch, "migrate"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run([*axmatch, "seed"], env=env, check=True, cwd=ROOT, capture_output=True)
    return env


def serve(env: dict[str, str], name: str) -> Iterator[str]:
    """One uvicorn worker process on 127.0.0.1, with its own data folder and index copy."""
    data = Path(env["AXMATCH_DATA_DIR"]) / name
    data.mkdir(exist_ok=True)
    port, log = free_port(), (data / "server.log").open("wb")
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1",
               "--port", str(port)]  # fmt: skip
    server = subprocess.Popen(
        command,
        env={**env, "AXMATCH_DATA_DIR": str(data)},
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def live_server(live_env: dict[str, str]) -> Iterator[str]:
    yield from serve(live_env, "worker-a")


@pytest.fixture(scope="session")
def second_worker(live_env: dict[str, str]) -> Iterator[str]:
    yield from serve(live_env, "worker-b")


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (make test does it)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server: str, request: pytest.FixtureRequest) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """One browser context (one user session) per journey; a screenshot is kept on failure."""
    context = chromium.new_context(base_url=live_server, locale="ko-KR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture(scope="session")
def mailbox() -> Iterator[tuple[object, int]]:
    """A real SMTP server on 127.0.0.1 for the journeys that open an e-mail's link."""
    from aiosmtpd.controller import Controller

    from tests.notifications.conftest import Sink

    handler, port = Sink(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def fill_goal(page: object) -> None:
    """What publishing asks of every need: a budget and a goal KPI with a target."""
    page.select_option("select[name=kpi-0-metric]", "defect_rate")  # type: ignore[attr-defined]
    page.select_option("select[name=kpi-0-unit]", "percent")  # type: ignore[attr-defined]
    page.fill("input[name=kpi-0-baseline]", "2.5")  # type: ignore[attr-defined]
    page.fill("input[name=kpi-0-target]", "0.5")  # type: ignore[attr-defined]
    page.fill("#f-budget_min", "3000")  # type: ignore[attr-defined]
    page.fill("#f-budget_max", "6000")  # type: ignore[attr-defined]
