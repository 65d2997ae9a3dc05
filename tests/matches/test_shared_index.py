"""A kind above the approximate threshold: built once, mapped by every worker from the
snapshot, and kept in step by the change log through the small delta beside it."""

import pytest

import matching
import matching.index
from app.matches.cache import IndexCache
from app.matches.store import MANUFACTURER
from tests.builders import make_manufacturer

WORDS = ["프레스", "용접", "도장", "사출", "열처리", "주조", "단조", "조립", "검사", "포장"]


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matching.index, "APPROXIMATE_FROM", 40)


def _profiles(session) -> None:
    for n in range(60):
        words = " ".join(WORDS[(n + i) % len(WORDS)] for i in range(3))
        make_manufacturer(session, f"제조{n}", description=f"{words} 공정 {n}호 라인 운영")
    session.commit()


def _found(cache: IndexCache, session, text: str) -> list[int]:
    cache.ensure_fresh(session)
    query = cache.embedder.encode([text], kind="query")
    return [owner for owner, _, _ in cache.search(MANUFACTURER, query, 5)[0]]


def test_workers_map_one_snapshot_and_see_a_logged_write(session, tmp_path, small_threshold):
    _profiles(session)
    builder = IndexCache(matching.FakeEmbedder(), tmp_path, poll_seconds=0)
    text = "프레스 용접 도장 공정 7호 라인 운영"
    expected = _found(builder, session, text)
    worker = IndexCache(matching.FakeEmbedder(), tmp_path, poll_seconds=0)
    assert _found(worker, session, text) == expected
    assert worker.origin == "disk" and builder.origin == "database"
    for cache in (builder, worker):
        assert cache.indexes[MANUFACTURER].approximate and not cache.indexes["need"].approximate
    edited = make_manufacturer(session, "새제조", description="초음파 세척 라인의 기포 검출")
    session.commit()
    assert (
        _found(worker, session, "초음파 세척 라인의 기포 검출")[0]
        == edited.organization.manufacturer.id
    )
    assert worker.indexes[MANUFACTURER].delta == 1
