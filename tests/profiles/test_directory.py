import pytest

from app.models import Membership, Role
from app.profiles.schemas import SupplierQuery
from app.profiles.service import search_suppliers, supplier_profile_for_org
from tests.builders import make_case_study, make_manufacturer, make_staff, make_supplier
from tests.profiles.helpers import Landmarks


def found(browser, query: str = "") -> set[str]:
    response = browser.get("/suppliers" + query)
    assert response.status_code == 200
    return Landmarks(response.text).rows("supplier-")


def row(user) -> str:
    return f"supplier-{user.organization_id}"


@pytest.fixture
def pool(session):
    """Three admitted suppliers with distinct capabilities, one applied, one suspended."""
    return {
        "vision": make_supplier(
            session,
            name="창원비전AI",
            description_en="Deep-learning VISION inspection",
            industries=["30"],
            processes=["press"],
        ),
        "energy": make_supplier(
            session,
            name="서울에너지랩",
            region="seoul",
            specialties=["fems"],
            ai_techniques=["energy_optimization"],
            industries=["24"],
            processes=["casting"],
        ),
        "twin": make_supplier(
            session,
            name="김해트윈",
            region="gn-gimhae",
            specialties=["cps_twin"],
            ai_techniques=["digital_twin"],
        ),
        "applied": make_supplier(session, name="신청중AI", membership=Membership.applied),
        "suspended": make_supplier(session, name="정지AI", membership=Membership.suspended),
    }


def test_manufacturers_see_only_admitted_suppliers(browser, session, pool) -> None:
    browser.login(make_manufacturer(session))
    assert found(browser) == {row(pool[k]) for k in ("vision", "energy", "twin")}
    assert found(browser, "?membership=applied") == found(browser)  # filter ignored


def test_coordinators_see_everyone_and_filter_by_membership(browser, session, pool) -> None:
    browser.login(make_staff(session, Role.coordinator))
    assert found(browser) == {row(u) for u in pool.values()}
    assert found(browser, "?membership=applied") == {row(pool["applied"])}
    assert found(browser, "?membership=suspended") == {row(pool["suspended"])}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?specialty=fems", {"energy"}),
        ("?ai_technique=digital_twin", {"twin"}),
        ("?industry=30", {"vision"}),
        ("?process=casting", {"energy"}),
        ("?region=gn-gimhae", {"twin"}),
        ("?in_province=1", {"vision", "twin"}),
        ("?specialty=machine_vision&region=gn-changwon", {"vision"}),
        ("?specialty=fems&in_province=1", set()),
    ],
)
def test_directory_filters(browser, session, pool, query, expected) -> None:
    browser.login(make_manufacturer(session))
    assert found(browser, query) == {row(pool[k]) for k in expected}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("김해", {"twin"}),  # organisation name
        ("vision", {"vision"}),  # English description, case-insensitive
        ("용접 비드", {"energy"}),  # case study text, every word must match
        ("용접 프레스", set()),
        ("90%", {"energy"}),  # the builder's outcome "불량 유출 90% 감소"
        ("_", set()),  # LIKE wildcards are literal
    ],
)
def test_text_search(browser, session, pool, q, expected) -> None:
    make_case_study(session, pool["energy"], title="주조 라인", text="용접 비드 결함을 찾았습니다")
    browser.login(make_manufacturer(session))
    assert found(browser, f"?q={q.replace('%', '%25')}") == {row(pool[k]) for k in expected}


def test_search_finds_case_study_outcomes_in_english(browser, session, pool) -> None:
    make_case_study(session, pool["twin"], outcome="Scrap cut by 40%")
    user = make_manufacturer(session)
    user.locale = "en"
    browser.login(user)
    response = browser.get("/suppliers?q=SCRAP")
    assert Landmarks(response.text).lang == "en" and "Suppliers found: 1" in response.text
    assert Landmarks(response.text).rows("supplier-") == {row(pool["twin"])}


def test_pages_of_twenty(browser, session) -> None:
    for i in range(23):
        make_supplier(session, name=f"공급{i:02d}")
    browser.login(make_manufacturer(session))
    first = browser.get("/suppliers")
    page = Landmarks(first.text)
    assert len(page.rows("supplier-")) == 20 and "next-page" in page.ids
    assert "prev-page" not in page.ids
    second = Landmarks(browser.get("/suppliers?page=2").text)
    assert len(second.rows("supplier-")) == 3 and "prev-page" in second.ids


def test_invalid_filter_is_422_with_field_error(browser, session) -> None:
    browser.login(make_manufacturer(session))
    response = browser.get("/suppliers?specialty=bogus&page=0")
    assert response.status_code == 422
    page = Landmarks(response.text)
    assert "specialty-error" in page.ids and not page.rows("supplier-")


@pytest.mark.parametrize("role", [Role.supplier, None])
def test_directory_is_not_for_suppliers_or_anonymous(browser, session, role) -> None:
    if role:
        browser.login(make_supplier(session))
    assert browser.get("/suppliers").status_code == (403 if role else 303)


@pytest.mark.parametrize(
    ("membership", "viewer", "status"),
    [
        (Membership.admitted, "manufacturer", 200),
        (Membership.admitted, "other_supplier", 200),
        (Membership.applied, "manufacturer", 404),
        (Membership.applied, "other_supplier", 404),
        (Membership.suspended, "manufacturer", 404),
        (Membership.applied, "self", 200),
        (Membership.suspended, "coordinator", 200),
        (Membership.applied, "admin", 200),
    ],
)
def test_supplier_detail_visibility(browser, session, membership, viewer, status) -> None:
    supplier = make_supplier(session, membership=membership, membership_reason="서류 보완 필요")
    make_case_study(session, supplier)
    viewers = {
        "manufacturer": lambda: make_manufacturer(session),
        "other_supplier": lambda: make_supplier(session, name="경쟁사"),
        "self": lambda: supplier,
        "coordinator": lambda: make_staff(session, Role.coordinator),
        "admin": lambda: make_staff(session, Role.admin),
    }
    browser.login(viewers[viewer]())
    response = browser.get(f"/suppliers/{supplier.organization_id}")
    assert response.status_code == status
    if status == 200:
        page = Landmarks(response.text)
        assert {"profile-name", "case-studies", "capabilities"} <= page.ids
        assert "edit-profile" not in page.ids
        insider = viewer in ("self", "coordinator", "admin")
        assert ("membership-reason" in page.ids) is insider


def test_unknown_supplier_is_404(browser, session) -> None:
    browser.login(make_manufacturer(session))
    assert browser.get("/suppliers/987654").status_code == 404
    assert browser.get("/suppliers/99999999999").status_code == 422


def test_search_service_directly(session, pool) -> None:
    viewer = make_manufacturer(session)
    page = search_suppliers(session, viewer, SupplierQuery(ai_technique="vision_inspection"))
    assert page.total == 1 and page.pages == 1 and not page.has_next
    assert page.items[0] == supplier_profile_for_org(session, pool["vision"].organization_id)
