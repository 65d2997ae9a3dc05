"""Readiness explained (issue 14 item 6): a band with words for the score and the next steps
that raise it, derived from the parts short of their maximum, largest gain first."""

import pytest

from app.profiles.readiness import readiness
from tests.builders import make_manufacturer, parse
from tests.profiles.test_readiness import Answers

FULL = Answers("advanced", ["mes", "erp", "plc"], "systematic", "dedicated", "secured")


@pytest.mark.parametrize(
    ("answers", "band"),
    [
        (Answers(), "basics"),
        (Answers("basic", ["mes", "plc"], "partial", "some"), "basics"),  # 38
        (Answers("intermediate1", ["mes", "plc"], "partial", "some", "partial"), "pilot"),  # 52
        (FULL, "ready"),
    ],
)
def test_bands(answers: Answers, band: str) -> None:
    assert readiness(answers).band == band


def test_next_steps_are_the_missing_parts_largest_gain_first() -> None:
    result = readiness(Answers("intermediate1", ["mes", "plc"], "partial", "some", "partial"))
    steps = [(s.key, s.points) for s in result.next_steps()]
    assert steps == [("sf_level", 13), ("data", 13), ("staff", 10), ("budget", 7), ("systems", 5)]
    assert readiness(FULL).next_steps() == []


@pytest.mark.parametrize(
    ("locale", "band", "step"),
    [
        ("ko", "소규모 시범 도입 가능", "최대 +13점"),
        ("en", "Ready for a focused pilot", "up to +13 points"),
    ],
)
def test_the_profile_explains_the_score(browser, session, locale, band, step) -> None:
    user = make_manufacturer(
        session,
        sf_level="intermediate1",
        systems=["mes", "plc"],
        readiness_data="partial",
        readiness_staff="some",
        readiness_budget="partial",
    )
    user.locale = locale
    browser.login(user)
    page = parse(browser.get("/profile").text)
    assert page.texts["readiness-score"] == "52"
    assert page.texts["readiness-band"] == band
    assert step in page.texts["step-sf_level"] and "readiness-edit" in page.texts
    body = browser.get(f"/api/manufacturers/{user.organization_id}").json()
    assert body["readiness"]["band"] == "pilot"
    assert body["readiness"]["next_steps"][0] == {"key": "sf_level", "points": 13}
