"""The blob store contract, run against both stores: the disk and an S3-compatible object
store (a real local server over HTTP). Content-addressed names, one copy per content,
nothing left by a refused stream, nothing half-written visible when keeping fails."""

import hashlib

import pytest

from app.files.s3 import S3Storage
from app.files.service import Uploads
from app.files.storage import LocalStorage, Storage, TooLarge, storage_of
from tests.files import samples
from tests.files.conftest import upload


@pytest.fixture(params=["disk", "s3"])
def store(request, settings, tmp_path) -> Storage:
    if request.param == "disk":
        return storage_of(settings.model_copy(update={"data_dir": tmp_path}))
    return storage_of(request.getfixturevalue("s3_settings"))


def blobs(store: Storage) -> list[str]:
    """The names of every kept blob."""
    if isinstance(store, LocalStorage):
        root = store.root
        kept = [p for p in root.rglob("*") if p.is_file() and store.tmp not in p.parents]
        return sorted(str(p.relative_to(root)) for p in kept)
    assert isinstance(store, S3Storage)
    found = store.client.list_objects_v2(Bucket=store.bucket)
    return sorted(o["Key"] for o in found.get("Contents", []))


def staged_files(store: Storage) -> list[str]:
    tmp = store.tmp  # type: ignore[attr-defined]
    return [p.name for p in tmp.iterdir()] if tmp.exists() else []


def test_the_settings_choose_the_store(store) -> None:
    assert type(store).__name__ in ("LocalStorage", "S3Storage")


def test_a_kept_blob_is_read_back_under_its_hash(store) -> None:
    staged = store.stage([b"hello ", b"world"], limit=100)
    digest = hashlib.sha256(b"hello world").hexdigest()
    assert (staged.size, staged.sha256) == (11, digest)
    assert not store.exists(digest) and blobs(store) == []  # staged, not yet kept
    store.keep(staged)
    assert store.exists(digest)
    assert [name.rsplit("/", 3)[-3:] for name in blobs(store)] == [
        [digest[:2], digest[2:4], digest]
    ]
    with store.open(digest) as f:
        assert f.read() == b"hello world"
    assert staged_files(store) == []


def test_a_large_blob_streams_back_whole(store) -> None:
    data = bytes(range(256)) * 8192  # 2 MiB
    staged = store.stage([data[i : i + 65536] for i in range(0, len(data), 65536)], len(data))
    store.keep(staged)
    with store.open(staged.sha256) as f:
        assert hashlib.sha256(f.read()).hexdigest() == staged.sha256


def test_equal_contents_are_stored_once(store) -> None:
    for _ in range(2):
        store.keep(store.stage([b"same bytes"], limit=100))
    assert len(blobs(store)) == 1 and staged_files(store) == []


def test_a_stream_past_the_limit_stops_and_leaves_nothing(store) -> None:
    read = []

    def chunks():
        for i in range(100):
            read.append(i)
            yield b"x" * 10

    with pytest.raises(TooLarge):
        store.stage(chunks(), limit=25)
    assert len(read) == 3 and blobs(store) == [] and staged_files(store) == []


def test_discard_removes_the_staged_file_and_keeps_nothing(store) -> None:
    staged = store.stage([b"abc"], limit=10)
    store.discard(staged)
    assert not staged.path.exists() and blobs(store) == [] and not store.exists(staged.sha256)


def test_a_failed_keep_leaves_nothing_visible(store, monkeypatch) -> None:
    """The write fails (the disk's rename, the object store's PUT on the wire): no blob under
    the real name, and the staged file is gone too."""
    staged = store.stage([b"half a file?"], limit=100)

    def broken(*args, **kwargs):
        raise OSError("connection reset")

    if isinstance(store, LocalStorage):
        monkeypatch.setattr("app.files.storage.os.replace", broken)
    else:
        store.client.meta.events.register("before-send.s3.PutObject", broken)
    with pytest.raises(OSError):
        store.keep(staged)
    assert not store.exists(staged.sha256) and blobs(store) == []
    assert staged_files(store) == []


def test_a_missing_blob_is_file_not_found(store) -> None:
    with pytest.raises(FileNotFoundError):
        store.open("0" * 64)


def test_a_digest_is_never_a_name(store) -> None:
    with pytest.raises(ValueError):
        store.exists("../../etc/passwd")


def test_uploads_and_downloads_through_the_s3_store(app, browser, market, s3_settings) -> None:
    """The whole API path on the object store: the object is named by content, the download
    streams it back as an attachment, and a refused file stores nothing."""
    app.state.uploads = Uploads.from_settings(s3_settings)
    store = app.state.uploads.storage
    browser.login(market.owner)
    url = f"/api/needs/{market.need.id}/files"
    file = upload(browser, url, "도면.pdf", samples.PDF).json()
    assert blobs(store) == [store.key(hashlib.sha256(samples.PDF).hexdigest())]
    got = browser.client.get(file["download_url"])
    assert got.content == samples.PDF and got.headers["content-disposition"].startswith(
        "attachment"
    )
    assert upload(browser, url, "setup.pdf", samples.EXE).status_code == 422
    assert len(blobs(store)) == 1 and staged_files(store) == []


def test_the_s3_store_needs_a_bucket() -> None:
    from app.config import Settings

    with pytest.raises(ValueError, match="AXMATCH_S3_BUCKET"):
        Settings(AXMATCH_FILE_STORE="s3", SECRET_KEY="x" * 40)
    assert Settings(AXMATCH_FILE_STORE="s3", AXMATCH_S3_BUCKET="b").file_store == "s3"
