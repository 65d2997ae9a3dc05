"""The index cache across restarts: what a restarted worker finds, damaged files, a reindex
picked up by a running worker, and the watermark under out-of-order commits."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete, select, update

import matching
from app.db import Database
from app.matches import service, snapshot, store
from app.matches.cache import KINDS, IndexCache
from app.matches.changelog import Gap, Watermark
from app.models import Embedding, IndexChange, utcnow
from tests.builders import make_need, make_staff
from tests.conftest import migrate
from tests.matches.test_service import arrange, new_cache, profile_of

ROOT = Path(__file__).resolve().parents[2]
VISION_EDIT = "프레스 찍힘 불량 비전 검사 자동화."
TITLES = [f"열처리 로 {n}호기 온도 이상 예측과 품질 관리" for n in range(1, 7)]


def furnace_semantic(session, cache: IndexCache, owner, need) -> float:
    items = service.suggest_suppliers(session, cache, owner, need.id, below_minimum=True)
    # the fused text relevance: its semantic and lexical parts together
    item = next(i for i in items if i.name == "FurnaceAI")
    return item.parts["semantic"] + item.parts["lexical"]


def needs_found(session, cache: IndexCache, viewer) -> set[int]:
    return {i.id for i in service.search(session, cache, viewer, "열처리 온도", "needs", 50)}


def age_the_log(session, days: int = 1) -> None:
    """As if the last save was long ago: every change row written `days` back."""
    session.execute(update(IndexChange).values(created_at=utcnow() - timedelta(days=days)))
    session.commit()


def test_a_restarted_worker_finds_everything_written_since_its_last_save(session, tmp_path):
    vision, energy, owner, need = arrange(session)
    staff = make_staff(session)
    first = new_cache(tmp_path)
    before = furnace_semantic(session, first, owner, need)  # built and saved here
    written = [make_need(session, owner, title=t, description=t + " 요청") for t in TITLES]
    profile_of(session, energy).description_en = VISION_EDIT
    session.commit()
    age_the_log(session)
    restarted = new_cache(tmp_path)
    assert {n.id for n in written} <= needs_found(session, restarted, staff)
    assert furnace_semantic(session, restarted, owner, need) > before + 0.2
    assert restarted.origin == "disk"  # replayed from the saved watermark, not rebuilt


def test_the_cache_saves_itself_as_it_changes(session, tmp_path) -> None:
    vision, energy, owner, need = arrange(session)
    staff = make_staff(session)
    running = IndexCache(matching.FakeEmbedder(), tmp_path, poll_seconds=0, save_seconds=0)
    running.ensure_fresh(session)
    added = make_need(session, owner, title=TITLES[0], description=TITLES[0] + " 요청")
    session.commit()
    assert added.id in needs_found(session, running, staff)
    running.wait_saved()
    saved, _ = snapshot.read(running.folder, running.model, KINDS)
    assert all(saved.watermark.contains(i) for i in session.scalars(select(IndexChange.id)))
    session.execute(delete(IndexChange))  # nothing left to replay: the save must hold it
    session.commit()
    restarted = new_cache(tmp_path)
    assert added.id in needs_found(session, restarted, staff)
    assert restarted.origin == "disk"


def logged(need_id: int) -> tuple:
    return IndexChange.owner_kind == store.NEED, IndexChange.owner_id == need_id


def _meta_path(cache: IndexCache) -> Path:
    return cache.folder / snapshot.META


def _index_file(cache: IndexCache, kind: str) -> Path:
    body = _meta_path(cache).read_text(encoding="utf-8").partition("\n")[2]
    return cache.folder / json.loads(body)["files"][kind]["name"]


def _swap_a_vector(session, cache: IndexCache, kind: str) -> None:
    """Flip the sign of one stored vector in the file: faiss loads it happily."""
    vector = session.scalars(select(Embedding.vector).where(Embedding.owner_kind == kind)).first()
    path = _index_file(cache, kind)
    data = path.read_bytes()
    assert data.count(vector) == 1
    flipped = (-np.frombuffer(vector, np.float32)).tobytes()
    path.write_bytes(data.replace(vector, flipped))


def _reattribute_in_meta(cache: IndexCache) -> None:
    """Valid JSON, wrong content: the first need unit now belongs to another owner."""
    path = _meta_path(cache)
    checksum, _, body = path.read_text(encoding="utf-8").partition("\n")
    meta = json.loads(body)
    meta["units"]["need"][0][1] += 1000
    path.write_text(checksum + "\n" + json.dumps(meta), encoding="utf-8")


DAMAGE = {
    "supplier index: a vector swapped": lambda s, c: _swap_a_vector(s, c, "supplier"),
    "need index: a vector swapped": lambda s, c: _swap_a_vector(s, c, "need"),
    "supplier index truncated": lambda s, c: _truncate(_index_file(c, "supplier")),
    "need index missing": lambda s, c: _index_file(c, "need").unlink(),
    "manufacturer index garbage": lambda s, c: _index_file(c, "manufacturer").write_bytes(b"x"),
    "meta.json content changed": lambda s, c: _reattribute_in_meta(c),
    "meta.json truncated": lambda s, c: _truncate(_meta_path(c)),
    "meta.json missing": lambda s, c: _meta_path(c).unlink(),
    "meta.json not JSON": lambda s, c: _meta_path(c).write_text("{", encoding="utf-8"),
    "meta.json empty": lambda s, c: _meta_path(c).write_bytes(b""),
}


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_cache_is_never_adopted(session, tmp_path, damage: str) -> None:
    vision, energy, owner, need = arrange(session)
    staff = make_staff(session)
    first = new_cache(tmp_path)
    expected = service.suggest_suppliers(session, first, owner, need.id)
    found = needs_found(session, first, staff)
    DAMAGE[damage](session, first)
    restarted = new_cache(tmp_path)
    assert service.suggest_suppliers(session, restarted, owner, need.id) == expected
    assert needs_found(session, restarted, staff) == found
    assert restarted.origin == "database"


def test_a_cache_that_differs_from_the_database_is_rebuilt(session, tmp_path) -> None:
    """Intact files, but a change the log lost (or another database): the digest tells."""
    vision, energy, owner, need = arrange(session)
    staff = make_staff(session)
    new_cache(tmp_path).ensure_fresh(session)
    lost = make_need(session, owner, title=TITLES[1], description=TITLES[1] + " 요청")
    session.commit()
    session.execute(delete(IndexChange).where(*logged(lost.id)))
    session.commit()
    restarted = new_cache(tmp_path)
    assert lost.id in needs_found(session, restarted, staff)
    assert restarted.origin == "database"


def test_a_running_worker_picks_up_a_reindex_from_another_process(scratch_url, tmp_path):
    db, (owner, staff) = scratch(scratch_url)
    running = new_cache(tmp_path)
    with db.read() as session:
        running.ensure_fresh(session)
        assert running.origin == "database"
    with db.write() as session:  # a need whose change row was lost: the worker misses it
        missed = make_need(session, owner, title=TITLES[2], description=TITLES[2])
        session.commit()
        session.execute(delete(IndexChange).where(*logged(missed.id)))
        session.commit()
    with db.read() as session:
        assert missed.id not in needs_found(session, running, staff)
    env = {**os.environ, "DATABASE_URL": scratch_url, "AXMATCH_DATA_DIR": str(tmp_path / "cli")}
    subprocess.run(
        [sys.executable, "-m", "app.cli", "reindex"], env=env, cwd=ROOT, check=True, timeout=300
    )
    with db.read() as session:
        assert missed.id in needs_found(session, running, staff)
    db.engine.dispose()


def test_a_gap_in_change_ids_is_replayed_after_a_restart_when_it_commits(scratch_url, tmp_path):
    """PostgreSQL takes a change id at insert: a transaction holding a lower id can commit
    after a higher one was read, and after the cache was saved and restarted."""
    if not scratch_url.startswith("postgresql"):
        pytest.skip("SQLite serialises writers: ids commit in order")
    db, (owner, staff) = scratch(scratch_url)
    slow = db.write()
    held = make_need(slow, owner, title=TITLES[3], description=TITLES[3])
    slow.flush()
    store.sync(slow, matching.FakeEmbedder(), store.NEED, [held.id])  # takes its change id
    with db.write() as session:
        later = make_need(session, owner, title=TITLES[4], description=TITLES[4])
        session.commit()
    first = new_cache(tmp_path)
    with db.read() as session:
        assert later.id in needs_found(session, first, staff)
    assert first.watermark.gaps
    first.save()
    slow.commit()
    slow.close()
    restarted = new_cache(tmp_path)
    with db.read() as session:
        assert {held.id, later.id} <= needs_found(session, restarted, staff)
    assert restarted.origin == "disk"
    db.engine.dispose()


def scratch(url: str) -> tuple[Database, tuple]:
    """A migrated database of its own (other processes and connections see its commits),
    with the usual arrangement: a manufacturer with one need, and a coordinator."""
    migrate(url)
    db = Database.from_url(url)
    with db.write() as session:
        vision, energy, owner, need = arrange(session)
        staff = make_staff(session)
        session.commit()
    return db, (owner, staff)


def at(seconds: float) -> datetime:
    return datetime(2026, 12, 2, tzinfo=UTC) + timedelta(seconds=seconds)


def test_the_watermark_keeps_gaps_until_their_rows_commit_or_expire() -> None:
    mark = Watermark()
    mark.add([(1, at(0)), (2, at(1)), (5, at(2)), (9, at(3))])
    assert mark.top == 9 and [(g.first, g.last) for g in mark.gaps] == [(3, 4), (6, 8)]
    assert not mark.contains(4) and mark.contains(5) and not mark.contains(10)
    mark.add([(7, at(4))])
    assert [(g.first, g.last) for g in mark.gaps] == [(3, 4), (6, 6), (8, 8)]
    mark.expire(at(2) + timedelta(minutes=15, seconds=1))  # the row above 3-4 is old now
    assert [(g.first, g.last) for g in mark.gaps] == [(6, 6), (8, 8)]
    again = Watermark.from_json(json.loads(json.dumps(mark.to_json())))
    assert again == mark
    with pytest.raises(ValueError):
        Watermark.from_json({"top": 3, "gaps": [[5, 4, 0.0]]})
    assert Watermark(3, [Gap(2, 2, 0.0)]).contains(3)


def test_saving_again_leaves_one_generation_of_files(session, tmp_path) -> None:
    arrange(session)
    cache = new_cache(tmp_path)
    cache.ensure_fresh(session)
    cache.save()
    cache.save()
    assert len(list(cache.folder.glob("*.faiss"))) == len(KINDS)
    assert not list(cache.folder.glob(".*.tmp"))


def test_a_suppliers_quoted_sentences_follow_its_edits(session, tmp_path) -> None:
    """The supplier side of a quote (sentences and vectors) is made once per supplier and
    made again after the supplier changes, never served stale."""
    from app.matches import explain

    _, energy, _, _ = arrange(session)
    session.commit()
    cache = new_cache(tmp_path)
    cache.ensure_fresh(session)
    profile = profile_of(session, energy)
    record = cache.supplier_records({profile.id})[0][0]
    first = explain.supplier_side(cache, record)
    assert explain.supplier_side(cache, record) is first  # kept, not made again
    profile.description_en = VISION_EDIT
    session.commit()
    cache.ensure_fresh(session)
    fresh = cache.supplier_records({profile.id})[0][0]
    sentences, vectors = explain.supplier_side(cache, fresh)
    assert any("비전 검사" in s.text for s in sentences)
    assert len(sentences) == len(vectors)
