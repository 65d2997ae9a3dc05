"""Index snapshots in the shared object store, for several app machines on one database.

`push` brings this machine's on-disk index copy in step with the database (adopting it and
replaying the change log, or rebuilding it from the stored vectors: nothing is re-embedded),
saves it and uploads it: the generation's index files first, then `meta.json` naming them, so a
reader of the store only ever sees a whole generation (as on disk, app/matches/snapshot.py).
`pull` downloads the latest into this machine's data folder before its app starts; the app
then adopts it only when it checks out and replays the log after its watermark.
"""

import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

from app.config import Settings
from app.db import Database
from app.files.service import object_store_client
from app.matches import snapshot
from app.matches.cache import KINDS, IndexCache
from app.matches.engine import new_index_cache


class Store:
    """One model's snapshot keys in the bucket: `<index prefix><model folder>/<file>`."""

    def __init__(self, settings: Settings, cache: IndexCache) -> None:
        self.client = object_store_client(settings)
        self.bucket = settings.s3_bucket
        self.prefix = f"{settings.s3_index_prefix}{cache.folder.name}/"
        self.folder, self.model = cache.folder, cache.model

    def key(self, name: str) -> str:
        return self.prefix + name


def named_files(meta: Path) -> list[str]:
    """The index files a `meta.json` names (its first line is its checksum)."""
    body = meta.read_text(encoding="utf-8").partition("\n")[2]
    return [entry["name"] for entry in json.loads(body)["files"].values()]


def push(settings: Settings, db: Database) -> list[str]:
    """Save this machine's index copy in step with the database and upload it; the names."""
    cache = new_index_cache(settings)
    with db.transaction() as session:
        cache.ensure_fresh(session)
    cache.wait_saved()
    cache.save()
    store = Store(settings, cache)
    names = named_files(store.folder / snapshot.META)
    for name in names:
        store.client.upload_file(str(store.folder / name), store.bucket, store.key(name))
    meta = str(store.folder / snapshot.META)
    store.client.upload_file(meta, store.bucket, store.key(snapshot.META))
    _prune(store, set(names))
    return names


def _prune(store: Store, named: set[str]) -> None:
    """Earlier generations, once no reader can still be between reading `meta.json` and them."""
    listed = store.client.list_objects_v2(Bucket=store.bucket, Prefix=store.prefix)
    oldest = time.time() - snapshot.STALE_SECONDS
    for item in listed.get("Contents", []):
        name = item["Key"][len(store.prefix) :]
        old = item["LastModified"].timestamp() < oldest
        if name.endswith(".faiss") and name not in named and old:
            store.client.delete_object(Bucket=store.bucket, Key=item["Key"])


def pull(settings: Settings) -> bool:
    """Download the latest snapshot into this machine's data folder; False when the store has
    none, or none that checks out (the app then builds its copy from the database)."""
    cache = new_index_cache(settings)
    store = Store(settings, cache)
    store.folder.mkdir(parents=True, exist_ok=True)
    meta = store.folder / f".{snapshot.META}.{uuid.uuid4().hex[:8]}.pulled"
    try:
        store.client.download_file(store.bucket, store.key(snapshot.META), str(meta))
    except store.client.exceptions.ClientError as exc:
        if _code(exc) in ("404", "NoSuchKey"):
            return False
        raise
    for name in named_files(meta):
        target = store.folder / Path(name).name
        store.client.download_file(store.bucket, store.key(name), str(target))
    os.replace(meta, store.folder / snapshot.META)
    return snapshot.read(store.folder, store.model, KINDS) is not None


def _code(exc: Any) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))
