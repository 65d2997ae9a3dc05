"""The PDF reports, read back with pypdf: Korean text, the KPI table, stages, the chart;
who may download them."""

import io

from pypdf import PdfReader

from app.models import KpiResult, ResultPhase, utcnow
from tests.builders import make_engagement, make_manufacturer, make_staff, make_supplier


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    """The PDF's text without white space. Noto CJK is a CFF font: fpdf2 writes its text as
    two-byte codes through an embedded CMap, which pypdf decodes a byte at a time, so each
    character comes out after a NUL; viewers (pdf.js, poppler) read the CMap as written."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    return "".join(text.replace("\x00", "").split())


def engagement_with_a_result(session):  # type: ignore[no-untyped-def]
    maker, supplier = make_manufacturer(session), make_supplier(session)
    engagement = make_engagement(session, maker, supplier, title="프레스 비전 검사")
    kpi = engagement.kpis[0]  # defect rate from 3.0 to a target of 1.0
    kpi.results.append(
        KpiResult(phase=ResultPhase.demonstration, value=1.5, evidence="측정", verified_at=utcnow())
    )
    session.commit()
    return maker, supplier, engagement


def test_the_engagement_report_carries_the_kpi_table_stages_and_chart(browser, session):
    maker, supplier, engagement = engagement_with_a_result(session)
    browser.login(make_staff(session))
    text = text_of(browser.get(f"/engagements/{engagement.id}/report.pdf"))
    for words in ("성과보고서", "프레스비전검사", maker.organization.name, "컨설팅"):
        assert "".join(words.split()) in text
    assert "목표KPI와측정결과" in text and "불량률" in text
    assert "1.5" in text and "50" in text  # 3.0 -> 1.5: 50% better
    assert "현재값대비개선율(%)" in text and "50%" in text  # the chart's bar label


def test_english_readers_get_an_english_report(browser, session):
    _, supplier, engagement = engagement_with_a_result(session)
    supplier.locale = "en"
    session.commit()
    browser.login(supplier)
    text = text_of(browser.api("GET", f"/api/engagements/{engagement.id}/report.pdf"))
    assert "Engagementreport" in text and "Defectrate" in text


def test_only_the_parties_and_staff_get_the_engagement_report(browser, session):
    maker, supplier, engagement = engagement_with_a_result(session)
    for user in (maker, supplier):
        browser.login(user)
        assert browser.get(f"/engagements/{engagement.id}/report.pdf").status_code == 200
    browser.login(make_manufacturer(session, name="남의공장"))
    assert browser.get(f"/engagements/{engagement.id}/report.pdf").status_code == 404
    assert browser.api("GET", f"/api/engagements/{engagement.id}/report.pdf").status_code == 404


def test_the_programme_report_has_the_dashboard_figures(browser, session):
    engagement_with_a_result(session)
    browser.login(make_staff(session))
    text = text_of(browser.get("/coordinator/report.pdf"))
    for words in (
        "사업 성과 보고서",
        "요약",
        "단계별 흐름",
        "공고된 수요",
        "단계별 소요 기간",
        "불량률",
    ):
        assert "".join(words.split()) in text, words
    filtered = text_of(browser.api("GET", "/api/dashboard/report.pdf?industry=31"))
    assert "industry=31" in filtered
    browser.login(make_manufacturer(session, name="남의공장"))
    assert browser.get("/coordinator/report.pdf").status_code == 403


def test_the_engagement_report_carries_the_split_and_each_payment(browser, session):
    from app.agreements import payments
    from tests.agreements.helpers import priced, tranche

    c = priced(session, agreed=True)
    payments.record_payment(session, c.coordinator, c.engagement.id, tranche(c, 40_000_000))
    session.commit()
    browser.login(c.coordinator)
    text = text_of(browser.get(f"/engagements/{c.engagement.id}/report.pdf"))
    assert "협약과지급" in text
    assert "8,625만원" in text and "4,000만원" in text and "AI바우처-2026-0042" in text
    assert "4,625만원" in text  # the subsidy still to disburse


def test_a_table_after_a_chart_is_not_filled_with_the_charts_blue(tmp_path) -> None:
    """The payments table follows the KPI chart: its rows were drawn on the bars' blue."""
    from app.config import get_settings
    from app.reports.pdf import BAR, Report

    settings = get_settings()
    report = Report(settings.report_font, settings.report_font_index, "성과보고서")
    report.bars([("에너지 사용량", 15.2)], "%")
    assert report.pdf.fill_color is not None
    assert tuple(round(c * 255) for c in report.pdf.fill_color.colors) != BAR
    assert tuple(round(c * 255) for c in report.pdf.fill_color.colors) == (255, 255, 255)
    assert report.output().startswith(b"%PDF")  # output() closes the font file
