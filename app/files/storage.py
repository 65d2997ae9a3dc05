"""Blobs by content: each file is stored once, named by its SHA-256, written atomically.

The ground floor of documents: it knows nothing of records or access (app/files/service.py
is its one caller). A blob is first staged (streamed to a local temporary file, counted,
hashed and fsynced; the kind is sniffed from it) and only then kept or discarded, so a refused
upload leaves nothing behind and no failure leaves half a blob under a real name. Two stores
keep the same contract (tests/files/test_store_contract.py runs it against both): the disk
(`LocalStorage`, a rename into place) and an S3-compatible object store (`app.files.s3`, one
PUT, which the store makes visible whole or not at all), chosen by AXMATCH_FILE_STORE.
"""

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from app.config import Settings

CHUNK = 1 << 16


class TooLarge(Exception):
    """The stream passed the limit; staging stopped there and removed what it wrote."""


@dataclass(frozen=True)
class Staged:
    path: Path  # a temporary file, the caller keeps or discards it
    size: int
    sha256: str


class Storage(Protocol):
    def stage(self, chunks: Iterable[bytes], limit: int) -> Staged: ...

    def keep(self, staged: Staged) -> None: ...

    def discard(self, staged: Staged) -> None: ...

    def open(self, sha256: str) -> BinaryIO: ...

    def exists(self, sha256: str) -> bool: ...


def chunks_of(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK):
        yield chunk


def relative_name(sha256: str) -> str:
    """ab/cd/<sha256>: the blob's name under any store's root; never a path of the caller's."""
    if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256[:80]!r}")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def stage_into(tmp: Path, chunks: Iterable[bytes], limit: int) -> Staged:
    """Stream to a temporary file in `tmp`, counting and hashing; past `limit`, stop and
    remove it."""
    tmp.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=tmp, prefix="upload-")
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise TooLarge()
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        os.unlink(name)
        raise
    return Staged(Path(name), size, digest.hexdigest())


class LocalStorage:
    """Blobs under `root`/ab/cd/<sha256>; temporary files in `root`/tmp (same file system,
    so the final rename is atomic)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"

    def path(self, sha256: str) -> Path:
        return self.root / relative_name(sha256)

    def stage(self, chunks: Iterable[bytes], limit: int) -> Staged:
        return stage_into(self.tmp, chunks, limit)

    def keep(self, staged: Staged) -> None:
        """Rename into place; on any failure the staged file goes and no blob appears."""
        target = self.path(staged.sha256)
        try:
            if target.exists():  # the same bytes are stored already: one copy serves both
                return
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged.path, target)
            _fsync_dir(target.parent)
        finally:
            staged.path.unlink(missing_ok=True)

    def discard(self, staged: Staged) -> None:
        staged.path.unlink(missing_ok=True)

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()


def storage_of(settings: Settings) -> Storage:
    """The blob store the settings name (boto3 is imported only for "s3")."""
    if settings.file_store == "s3":
        from app.files.s3 import S3Storage

        return S3Storage.from_settings(settings)
    return LocalStorage(settings.data_dir / "files")


def _fsync_dir(directory: Path) -> None:
    """The rename is durable only once the directory entry is on disk."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
