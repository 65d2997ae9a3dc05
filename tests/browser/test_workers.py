"""Two worker processes on one database: an edit saved through one is served by the other
within a couple of seconds (each keeps its own FAISS copy, kept in step by the change log)."""

import time

import httpx
import pytest

pytestmark = pytest.mark.browser
PASSWORD = "axmatch-demo-2026"
PHRASE = "초음파 용접 이음부 기공 검출 ultrasonic weld seam porosity"


def token(url: str, email: str) -> dict[str, str]:
    body = {"email": email, "password": PASSWORD}
    secret = httpx.post(f"{url}/api/tokens/login", json=body, timeout=30).json()["token"]
    return {"authorization": f"Bearer {secret}"}


def top_supplier(url: str, headers: dict[str, str]) -> int:
    params = {"q": PHRASE, "target": "suppliers", "limit": 1}
    response = httpx.get(f"{url}/api/match", params=params, headers=headers, timeout=30)
    return int(response.json()[0]["id"])


def test_an_edit_through_one_worker_is_served_by_the_other(live_server, second_worker) -> None:
    supplier = token(live_server, "info@nurivision.example.kr")
    coordinator = token(second_worker, "coordinator@gn-ai.example.kr")
    me = httpx.get(f"{live_server}/api/me", headers=supplier, timeout=30).json()
    assert top_supplier(second_worker, coordinator) != me["organization_id"]
    case = {"title": "용접 기공 검사", "text": PHRASE + ". 검출률 96%."}
    created = httpx.post(
        f"{live_server}/api/profile/case-studies", json=case, headers=supplier, timeout=30
    )
    assert created.status_code == 201
    started = time.monotonic()
    while top_supplier(second_worker, coordinator) != me["organization_id"]:
        assert time.monotonic() - started < 5, "the other worker did not see the edit in 5 s"
        time.sleep(0.1)
