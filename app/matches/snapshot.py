"""The on-disk copy of an index cache, written so that no crash or damage is ever adopted.

A save writes one new generation of index files (fsynced), then `meta.json` naming them with
their SHA-256, then replaces the old `meta.json` by rename, so a reader only ever sees a whole
generation. `meta.json` carries a checksum of its own body on its first line. Any missing,
truncated or damaged file, or a checksum that does not match, makes `read` return None (the
caller rebuilds from the database). Several processes may save into one folder: each writes
its own generation and removes only files no current `meta.json` names.
"""

import hashlib
import json
import logging
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matching
from app.matches.changelog import Watermark

log = logging.getLogger("axmatch.index")
FORMAT = 2
META = "meta.json"
STALE_SECONDS = 600  # an unnamed file older than this is no other process's save in progress
Units = dict[int, tuple[int, str, int]]  # vector id -> (owner id, unit key, content hash)


class Damaged(ValueError):
    """Why a saved copy is not used (log text, not shown to users)."""


@dataclass
class Snapshot:
    model: str
    indexes: dict[str, bytes]  # serialised VectorIndex per kind (empty once read)
    units: dict[str, Units]
    watermark: Watermark
    last_rebuild: int


def write(folder: Path, snap: Snapshot) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    generation = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    files = {}
    for kind, data in snap.indexes.items():
        name = f"{kind}-{generation}.faiss"
        _write_file(folder / name, data)
        files[kind] = {"name": name, "sha256": hashlib.sha256(data).hexdigest()}
    body = json.dumps(
        {
            "format": FORMAT,
            "model": snap.model,
            "files": files,
            "units": {k: [[i, *u] for i, u in units.items()] for k, units in snap.units.items()},
            "watermark": snap.watermark.to_json(),
            "last_rebuild": snap.last_rebuild,
        }
    )
    text = hashlib.sha256(body.encode()).hexdigest() + "\n" + body
    _write_file(folder / META, text.encode())
    _remove_unnamed(folder, {f["name"] for f in files.values()})


def _write_file(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename: a reader sees the old file or the new."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def _remove_unnamed(folder: Path, named: set[str]) -> None:
    """This process's earlier generations at once; another process's once they are old
    enough that it cannot be between writing them and naming them."""
    now, mine = time.time(), f"-{os.getpid()}-"
    for path in folder.glob("*.faiss"):
        try:
            if path.name in named:
                continue
            if mine in path.name or now - path.stat().st_mtime > STALE_SECONDS:
                path.unlink()
        except OSError:
            pass  # another process removed it first


def read(
    folder: Path, model: str, kinds: tuple[str, ...]
) -> tuple[Snapshot, dict[str, matching.VectorIndex]] | None:
    """The saved copy with its indexes loaded, or None when it is missing, damaged or for
    another model (the reason goes to the log)."""
    try:
        meta = _meta(folder / META)
        if meta["format"] != FORMAT or meta["model"] != model:
            raise Damaged("another format or model")
        indexes = {k: _index(folder, meta["files"][k]) for k in kinds}
        units = {k: _units(meta["units"][k]) for k in kinds}
        snap = Snapshot(
            model, {}, units, Watermark.from_json(meta["watermark"]), int(meta["last_rebuild"])
        )
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        log.warning("index cache in %s not used (%s); rebuilding from the database", folder, exc)
        return None
    for kind in kinds:
        if sorted(units[kind]) != sorted(int(i) for i in indexes[kind].ids()):
            log.warning("index cache in %s not used (ids differ); rebuilding", folder)
            return None
    return snap, indexes


def _meta(path: Path) -> dict[str, Any]:
    checksum, _, body = path.read_text(encoding="utf-8").partition("\n")
    if hashlib.sha256(body.encode()).hexdigest() != checksum:
        raise Damaged(f"{META} does not match its checksum")
    meta = json.loads(body)
    if not isinstance(meta, dict):
        raise Damaged(f"{META} is not an object")
    return meta


def _index(folder: Path, entry: dict[str, str]) -> matching.VectorIndex:
    """The index file, checked; an approximate one is mapped (shared with other processes)."""
    path = folder / Path(entry["name"]).name
    with open(path, "rb") as data:
        if hashlib.file_digest(data, "sha256").hexdigest() != entry["sha256"]:
            raise Damaged(f"{entry['name']} does not match its checksum")
    return matching.VectorIndex.load(path, shared=True)


def mapped(folder: Path, kind: str) -> matching.VectorIndex | None:
    """The current generation's index of `kind`, mapped (None when it cannot be read)."""
    try:
        return _index(folder, _meta(folder / META)["files"][kind])
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        log.warning("index cache in %s: %s not mapped (%s)", folder, kind, exc)
        return None


def _units(rows: list[list[Any]]) -> Units:
    return {int(i): (int(owner), str(key), int(h)) for i, owner, key, h in rows}
