"""The directory's order (issue 14 item 6): Korean readers get Hangul names first in 가나다
order, then Latin names; English readers get names in order without regard to case. Runs on
SQLite and PostgreSQL alike (code point order, no collation library)."""

from app.profiles.schemas import SupplierQuery
from app.profiles.service import search_suppliers
from tests.builders import make_manufacturer, make_supplier

NAMES = ["deepfactory", "나라비전", "Alpha Vision", "가온AI", "Beta Labs", "하늘데이터", "3D스캔"]


def names(session, locale: str) -> list[str]:  # type: ignore[no-untyped-def]
    viewer = make_manufacturer(session, "보는공장")
    viewer.locale = locale
    page = search_suppliers(session, viewer, SupplierQuery(per_page=100))
    return [p.organization.name for p in page.items if p.organization.name in NAMES]


def test_korean_order_puts_hangul_first_in_ganada_order(session) -> None:
    for name in NAMES:
        make_supplier(session, name=name)
    assert names(session, "ko") == [
        "가온AI",
        "나라비전",
        "하늘데이터",
        "3D스캔",
        "Alpha Vision",
        "Beta Labs",
        "deepfactory",
    ]


def test_english_order_ignores_case(session) -> None:
    for name in NAMES:
        make_supplier(session, name=name)
    assert names(session, "en") == [
        "3D스캔",
        "Alpha Vision",
        "Beta Labs",
        "deepfactory",
        "가온AI",
        "나라비전",
        "하늘데이터",
    ]


def test_the_page_follows_the_order(browser, session) -> None:
    for name in ("Zeta AI", "다온테크"):
        make_supplier(session, name=name)
    viewer = make_manufacturer(session, "보는공장")
    browser.login(viewer)
    html = browser.get("/suppliers").text
    assert html.index("다온테크") < html.index("Zeta AI")
