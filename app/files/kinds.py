"""What a file is, told from its bytes (magic numbers), and what its display name may be.

The name a browser sends is display text only, never a path: a name with a directory part,
a leading dot or control characters is refused, not cleaned, so the uploader sees why.
"""

import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_NAME = 200
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]  # the first is added to a name without one


KINDS = {
    "pdf": Kind("application/pdf", (".pdf",)),
    "png": Kind("image/png", (".png",)),
    "jpeg": Kind("image/jpeg", (".jpg", ".jpeg")),
    "xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
    ),
    "pptx": Kind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",)
    ),
    "csv": Kind("text/csv", (".csv",)),
    "text": Kind("text/plain", (".txt", ".log", ".md")),
}
# The part each Office Open XML format must hold (ECMA-376); the ZIP's central directory
# is read, nothing is decompressed.
OFFICE_PARTS = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
    "ppt/presentation.xml": "pptx",
}
TEXT_CONTROLS = {"\t", "\n", "\r", "\f"}


def detect(path: Path, name: str) -> str | None:
    """The kind (a KINDS key) of the file at `path`, or None for anything else. The name only
    tells CSV from other UTF-8 text, which no magic number can."""
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _office(path)
    if _is_text(path):
        return "csv" if name.lower().endswith(".csv") else "text"
    return None


def _office(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for part, kind in OFFICE_PARTS.items() if part in names), None)


def _is_text(path: Path) -> bool:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not any(unicodedata.category(c) == "Cc" and c not in TEXT_CONTROLS for c in text)


def display_name(raw: str) -> str | None:
    """The name as shown and offered on download, or None when it is not a plain file name
    (a path, a hidden or empty name, control characters, too long)."""
    name = unicodedata.normalize("NFC", raw).strip()
    if not name or len(name) > MAX_NAME or name.startswith(".") or name.endswith("."):
        return None
    if any(c in "/\\" or unicodedata.category(c)[0] == "C" for c in name):
        return None
    return name


def extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot and stem else ""


def named(name: str, kind: str) -> str | None:
    """`name` with the kind's extension added if it has none; None if it claims another."""
    ext, allowed = extension(name), KINDS[kind].extensions
    if not ext:
        return name + allowed[0]
    return name if ext in allowed else None
