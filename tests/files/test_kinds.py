"""File kinds from the bytes, and display names that are never paths."""

import pytest

from app.files import kinds
from tests.files import samples


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (samples.PDF, "a.pdf", "pdf"),
        (samples.PNG, "a.png", "png"),
        (samples.JPEG, "a.jpg", "jpeg"),
        (samples.DOCX, "a.docx", "docx"),
        (samples.XLSX, "a.xlsx", "xlsx"),
        (samples.PPTX, "a.pptx", "pptx"),
        (samples.CSV, "a.csv", "csv"),
        ("메모\n".encode(), "a.txt", "text"),
        (samples.EXE, "a.pdf", None),
        (samples.plain_zip(), "a.docx", None),
        (b"PK\x03\x04 not a zip", "a.xlsx", None),
        (b"\xff\xfe\x00\x00", "a.txt", None),
    ],
)
def test_kind_comes_from_the_bytes(tmp_path, data, name, kind) -> None:
    path = tmp_path / "f"
    path.write_bytes(data)
    assert kinds.detect(path, name) == kind


@pytest.mark.parametrize(
    "raw",
    ["../../etc/passwd", "a/b.pdf", "..\\x.pdf", ".htaccess", "", "   ", "a\x00.pdf", "x" * 201],
)
def test_path_like_names_are_refused(raw) -> None:
    assert kinds.display_name(raw) is None


def test_a_korean_name_is_kept() -> None:
    assert kinds.display_name(" 도면 v2.pdf ") == "도면 v2.pdf"


def test_the_extension_must_agree_with_the_kind() -> None:
    assert kinds.named("도면.PDF", "pdf") == "도면.PDF"
    assert kinds.named("도면", "pdf") == "도면.pdf"
    assert kinds.named("photo.pdf", "png") is None
