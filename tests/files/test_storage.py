"""Blob storage: atomic writes, one copy per content, nothing left by a refused stream."""

import hashlib
import os

import pytest

from app.files.storage import LocalStorage, TooLarge


def test_a_kept_blob_is_on_disk_under_its_hash(tmp_path) -> None:
    storage = LocalStorage(tmp_path)
    staged = storage.stage([b"hello ", b"world"], limit=100)
    digest = hashlib.sha256(b"hello world").hexdigest()
    assert (staged.size, staged.sha256) == (11, digest)
    assert not storage.exists(digest)  # staged, not yet kept
    storage.keep(staged)
    path = tmp_path / digest[:2] / digest[2:4] / digest
    assert path.read_bytes() == b"hello world" and storage.exists(digest)
    assert list((tmp_path / "tmp").iterdir()) == []
    with storage.open(digest) as f:
        assert f.read() == b"hello world"


def test_equal_contents_are_stored_once(tmp_path) -> None:
    storage = LocalStorage(tmp_path)
    for _ in range(2):
        storage.keep(storage.stage([b"same bytes"], limit=100))
    blobs = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(blobs) == 1


def test_a_stream_past_the_limit_stops_and_leaves_nothing(tmp_path) -> None:
    storage = LocalStorage(tmp_path)
    read = []

    def chunks():
        for i in range(100):
            read.append(i)
            yield b"x" * 10

    with pytest.raises(TooLarge):
        storage.stage(chunks(), limit=25)
    assert len(read) == 3  # stopped at the chunk that passed the limit
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_final_name_appears_only_by_rename(tmp_path, monkeypatch) -> None:
    """A crash between writing and renaming leaves a temporary file, never half a blob."""
    storage = LocalStorage(tmp_path)
    renames = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (renames.append((a, b)), real(a, b)))
    staged = storage.stage([b"abc"], limit=10)
    storage.keep(staged)
    ((source, target),) = renames
    assert str(source).startswith(str(tmp_path / "tmp")) and str(target).endswith(staged.sha256)


def test_discard_removes_the_staged_file(tmp_path) -> None:
    storage = LocalStorage(tmp_path)
    staged = storage.stage([b"abc"], limit=10)
    storage.discard(staged)
    assert not staged.path.exists()


def test_a_digest_is_never_a_path(tmp_path) -> None:
    with pytest.raises(ValueError):
        LocalStorage(tmp_path).path("../../etc/passwd")
