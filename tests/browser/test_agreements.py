"""Agreements and payments in Chromium, one browser context taking turns as three people: a
coordinator amends a demo engagement's agreement to its negotiated price, the supplier and
the manufacturer each confirm the new version (through the confirmation step), and the
coordinator records a subsidy disbursement against a milestone; a tranche past the split is
refused on the page, and the engagement page shows the totals in Korean won."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import make_engine
from app.models import Engagement, Role, Stage, User
from tests.browser.test_full_journey import COORDINATOR, confirm, press
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser


def consulting_parties(env: dict[str, str]) -> tuple[int, str, str]:
    """A demo engagement still in consulting, and one user of each party."""
    engine = make_engine(env["DATABASE_URL"])
    with Session(engine) as session:
        engagement = session.scalars(
            select(Engagement).where(Engagement.stage == Stage.consulting).order_by(Engagement.id)
        ).first()
        assert engagement is not None

        def email(org_id: int, role: Role) -> str:
            query = select(User.email).where(User.organization_id == org_id, User.role == role)
            return str(session.scalars(query.order_by(User.id)).first())

        found = (
            engagement.id,
            email(engagement.supplier_org_id, Role.supplier),
            email(engagement.manufacturer_org_id, Role.manufacturer),
        )
    engine.dispose()
    return found


def as_(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    log_in(page, email)


def amend(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    form = "#amend-form"
    for name, value in (
        ("price_total", "115000000"),
        ("price_subsidy", "86250000"),
        ("price_copay", "28750000"),
        ("programme", "AI 바우처 2026"),
        ("reference", "AIV-2026-0042"),
    ):
        page.fill(f"{form} input[name={name}]", value)
    page.fill(f"{form} textarea[name=reason]", "협상 결과 금액 확정 (검사 라인 2개)")
    press(page, f"{form} button[type=submit]")


def confirm_agreement(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    press(page, "#confirm-agreement button")
    confirm(page)
    assert page.locator("#flash").count() == 1
    assert page.locator("#confirm-agreement").count() == 0


def add_milestone(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.select_option("#f-ms-stage", "consulting")
    page.fill("#milestone-form #f-title", "현장 진단 보고서")
    page.fill("#milestone-form textarea", "라인 촬영 조건과 불량 유형 정리")
    press(page, "#milestone-form button")
    assert page.locator("#engagement-error").count() == 0, page.locator("main").inner_text()


def pay(page, amount: str) -> None:  # type: ignore[no-untyped-def]
    page.select_option("#f-kind", "subsidy")
    page.fill("#payment-form input[name=amount]", amount)
    page.fill("#payment-form input[name=paid_on]", "2026-12-01")
    page.fill("#payment-form input[name=reference]", "AIV-2026-0042-1차")
    press(page, "#payment-form button[type=submit]")


def test_both_parties_confirm_and_a_coordinator_records_a_disbursement(  # type: ignore[no-untyped-def]
    page, live_env
) -> None:
    engagement_id, supplier, manufacturer = consulting_parties(live_env)
    url = f"/engagements/{engagement_id}/agreement"
    as_(page, COORDINATOR)
    amend(page, url)
    assert page.locator("#current-terms .price-total").inner_text() == "1억 1,500만 원"
    assert page.locator("#versions details").count() == 2  # version 1 stays readable
    assert page.locator("#payment-form").count() == 1

    as_(page, supplier)
    add_milestone(page, f"/engagements/{engagement_id}")
    assert "확인 대기" in page.locator("#agreement-state").inner_text()
    confirm_agreement(page, url)
    assert page.locator("#payment-form").count() == 0  # parties do not record payments

    as_(page, manufacturer)
    confirm_agreement(page, url)
    assert page.locator("#agreement-confirmed").count() == 1

    as_(page, COORDINATOR)
    page.goto(url)
    pay(page, "40000000")
    assert "4,000만 원" in page.locator("#totals-subsidy .paid").inner_text()
    assert page.locator("#totals-subsidy .remaining").inner_text() == "4,625만 원"
    pay(page, "50000000")  # past the 8,625만 원 subsidy: refused, the page again
    assert "넘게 됩니다" in page.locator("#agreement-error").inner_text()
    page.goto(url)
    assert page.locator("#payment-list tbody tr[id^=payment-]").count() == 1
    page.goto(f"/engagements/{engagement_id}")
    assert "지급 4,000만 원" in page.locator("#price-subsidy").inner_text()
