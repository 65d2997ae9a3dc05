"""Blobs in an S3-compatible object store (AXMATCH_FILE_STORE=s3), for production: several
workers or machines read the same files. The same contract as `LocalStorage`:

- staging is local, under AXMATCH_DATA_DIR/files/tmp (counted, hashed, sniffed there);
- keys are content-addressed, <AXMATCH_S3_PREFIX>ab/cd/<sha256>: equal files share one object;
- keeping is one PutObject carrying the SHA-256 the bytes were staged with, so the store
  refuses bytes that changed on the way, and an object appears whole or not at all (a PUT
  that fails leaves nothing under the key); the staged file is removed either way.
"""

import base64
from pathlib import Path
from typing import Any, BinaryIO, cast

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from app.config import Settings
from app.files.storage import Staged, relative_name, stage_into

MISSING = {"404", "NoSuchKey", "NotFound"}


class S3Storage:
    def __init__(self, client: Any, bucket: str, prefix: str, tmp: Path) -> None:
        self.client, self.bucket, self.prefix, self.tmp = client, bucket, prefix, tmp

    @classmethod
    def from_settings(cls, settings: Settings) -> "S3Storage":
        config = Config(
            connect_timeout=settings.s3_timeout,
            read_timeout=settings.s3_timeout,
            retries={"max_attempts": 3, "mode": "standard"},
            # Path-style addressing for self-hosted stores (MinIO, Ceph) behind one endpoint.
            s3={"addressing_style": "path" if settings.s3_endpoint_url else "auto"},
        )
        client = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url or None,
            region_name=settings.s3_region or None,
            aws_access_key_id=settings.s3_access_key_id or None,
            aws_secret_access_key=settings.s3_secret_access_key or None,
            config=config,
        )
        return cls(client, settings.s3_bucket, settings.s3_prefix, settings.data_dir / "files/tmp")

    def key(self, sha256: str) -> str:
        return self.prefix + relative_name(sha256)

    def stage(self, chunks: Any, limit: int) -> Staged:
        return stage_into(self.tmp, chunks, limit)

    def keep(self, staged: Staged) -> None:
        try:
            if self.exists(staged.sha256):  # the same bytes are stored already
                return
            checksum = base64.b64encode(bytes.fromhex(staged.sha256)).decode()
            with staged.path.open("rb") as body:
                self.client.put_object(
                    Bucket=self.bucket,
                    Key=self.key(staged.sha256),
                    Body=body,
                    ContentLength=staged.size,
                    ChecksumSHA256=checksum,
                )
        finally:
            staged.path.unlink(missing_ok=True)

    def discard(self, staged: Staged) -> None:
        staged.path.unlink(missing_ok=True)

    def open(self, sha256: str) -> BinaryIO:
        """The object's body, streamed (a file-like object; close it when done)."""
        try:
            found = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as exc:
            if _code(exc) in MISSING:
                raise FileNotFoundError(self.key(sha256)) from None
            raise
        return cast(BinaryIO, found["Body"])

    def exists(self, sha256: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as exc:
            if _code(exc) in MISSING:
                return False
            raise
        return True


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))
