"""Readiness routing and cohorts in Chromium: a routed need explains itself, a coordinator
overrides a track and fills a cohort, and the demo sponsor reads its cohort."""

import pytest

from tests.browser.conftest import shot
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser


def test_a_low_readiness_manufacturer_publishes_and_reads_why(page) -> None:  # type: ignore[no-untyped-def]
    log_in(page, "plant@daeheung-steelcasting.example.kr")  # basic level, a draft to publish
    page.goto("/needs/mine")
    page.click("text=주강 공장 AI 도입")
    page.click("#publish-form button[type=submit]")
    page.wait_for_selector("#need-track")
    reasons = page.locator("#track-reasons").inner_text()
    assert "귀사 공장은 AI에 앞서 데이터 수집" in reasons and "중간1" in reasons
    assert page.locator("#suggested .badge.flag", has_text="준비 단계").count() >= 1
    shot(page, "readiness-1-need")


def test_coordinator_overrides_a_track_and_fills_a_cohort(page) -> None:  # type: ignore[no-untyped-def]
    log_in(page, "coordinator@gn-ai.example.kr")
    page.goto("/needs?q=기계가 얼마나")
    page.locator("main a", has_text="기계가 얼마나 돌아가는지").first.click()
    page.click("#override-track")
    page.check("input[name=track][value=ai]")
    page.fill("#f-reason", "현장 방문 결과 PLC 데이터 수집이 이미 가능함")
    page.click("#track-form button")
    page.wait_for_selector("#track-badge.track-ai")
    assert "현장 방문 결과" in page.locator("#track-reasons").inner_text()
    page.goto("/coordinator/cohorts")
    assert "경남터빈 협력사 AI 전환 코호트" in page.locator("#cohorts").inner_text()
    page.click("#new-cohort")
    page.fill("#f-sponsor_name", "한려조선㈜")
    page.fill("#f-sponsor_email", "partner@hanryeo-ship.example.kr")
    page.fill("#f-name", "한려조선 블록 협력사")
    page.click("#cohort-form button")
    assert "/invitations/" in page.locator("#invite-link").inner_text()
    page.fill("#f-lines", "대광오토텍\nmfr-002\n없는조선소")
    page.click("#paste-form button")
    page.wait_for_selector("#member-report")
    assert page.locator("#report-unknown").inner_text().strip() == "없는조선소"
    assert page.locator("#members tbody tr").count() == 2
    shot(page, "cohorts-1-members")


def test_the_demo_sponsor_reads_its_cohort_and_nothing_else(page) -> None:  # type: ignore[no-untyped-def]
    log_in(page, "sponsor@gn-turbine.example.kr")
    page.goto("/cohorts")
    assert page.locator(".member-names li").count() == 40
    shot(page, "cohorts-2-sponsor")
    assert page.goto("/needs").status == 403
    assert page.goto("/coordinator/cohorts").status == 403
