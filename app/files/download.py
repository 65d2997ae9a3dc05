"""The one way a stored file leaves the server: as a download, never rendered inline."""

from collections.abc import Iterator
from typing import Annotated, BinaryIO
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import StreamingResponse

from app.files.service import Uploads
from app.files.storage import chunks_of
from app.models import Attachment


def get_uploads(request: Request) -> Uploads:
    uploads: Uploads = request.app.state.uploads
    return uploads


UploadsDep = Annotated[Uploads, Depends(get_uploads)]


def disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the real (e.g. Korean) name per RFC 6266 and
    RFC 5987: filename*=UTF-8''<percent-encoded>."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _closing(stream: BinaryIO) -> Iterator[bytes]:
    with stream:
        yield from chunks_of(stream)


def download(row: Attachment, stream: BinaryIO) -> StreamingResponse:
    """The stored type (detected from the bytes at upload); `X-Content-Type-Options: nosniff`
    comes with every response from app.middleware.SecurityHeaders."""
    headers = {
        "content-disposition": disposition(row.filename),
        "content-length": str(row.size),
        "cache-control": "private, no-store",
    }
    return StreamingResponse(_closing(stream), media_type=row.content_type, headers=headers)
