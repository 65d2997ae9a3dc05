"""Exports and reports in Chromium over the demo data: a coordinator downloads the CSV of all
engagements from the list page, then an engagement's 성과보고서 (PDF) from its page."""

import csv
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser


def pdf_text(path: Path) -> str:
    """As tests/reports reads it: white space and pypdf's NULs (see there) taken out."""
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    return "".join(text.replace("\x00", "").split())


def test_coordinator_downloads_all_engagements_as_csv_and_a_report_as_pdf(page) -> None:  # type: ignore[no-untyped-def]
    log_in(page, "coordinator@gn-ai.example.kr")
    page.goto("/engagements")
    total = page.request.get("/api/engagements").json()["total"]
    assert total > 0

    with page.expect_download() as download:
        page.click("#export-csv")
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["프로젝트", "수요", "수요 제목"]
    assert len(rows) - 1 == total  # every engagement, not one page of them

    first = page.locator("#engagements tbody tr a").first
    title = first.inner_text()
    first.click()
    page.wait_for_selector("#report-pdf")
    with page.expect_download() as download:
        page.click("#report-pdf")
    text = pdf_text(Path(download.value.path()))
    assert "성과보고서" in text and "".join(title.split()) in text
    assert "목표KPI와측정결과" in text and "단계" in text
