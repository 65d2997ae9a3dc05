from html.parser import HTMLParser

from app.accounts import service as accounts
from tests.builders import make_manufacturer, make_need, make_staff, make_supplier
from tests.matches.test_service import arrange


class Matches(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.quotes = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "article" and (values.get("id") or "").startswith("match-"):
            self.ids.append(values["id"] or "")
        self.quotes += tag == "blockquote"


def test_manufacturer_sees_suggestions_page_with_evidence(browser, session) -> None:
    vision, energy, owner, need = arrange(session)
    page = browser.login(owner).get(f"/needs/{need.id}/suggestions")
    assert page.status_code == 200
    found = Matches(page.text)
    assert found.ids[0] == f"match-{vision.organization_id}" and found.quotes >= 1


def test_suggestions_api_returns_scores_and_parts(browser, session) -> None:
    vision, energy, owner, need = arrange(session)
    body = browser.login(owner).api("GET", f"/api/needs/{need.id}/suggestions?limit=5").json()
    assert body[0]["id"] == vision.organization_id
    assert abs(body[0]["score"] - sum(body[0]["parts"].values())) < 1e-3


def test_suppliers_never_see_suggestions_and_others_get_404(browser, session) -> None:
    vision, energy, owner, need = arrange(session)
    assert browser.login(vision).get(f"/needs/{need.id}/suggestions").status_code == 403
    assert browser.api("GET", f"/api/needs/{need.id}/suggestions").status_code == 403
    stranger = make_manufacturer(session, name="다른공장")
    assert browser.login(stranger).get(f"/needs/{need.id}/suggestions").status_code == 404


def test_supplier_recommendations_page_and_api(browser, session) -> None:
    vision, energy, owner, need = arrange(session)
    browser.login(vision)
    assert f"match-{need.id}" in Matches(browser.get("/recommendations").text).ids
    assert browser.api("GET", "/api/recommendations").json()[0]["id"] == need.id


def test_applied_supplier_gets_no_recommendations(browser, session) -> None:
    from app.models import Membership

    applicant = make_supplier(session, "신청중AI", membership=Membership.applied)
    session.commit()
    assert browser.login(applicant).api("GET", "/api/recommendations").status_code == 403


def test_free_text_match_endpoint_and_search_page(browser, session) -> None:
    vision, energy, owner, need = arrange(session)
    browser.login(make_staff(session))
    body = browser.api("GET", "/api/match?q=forging%20furnace%20energy&target=suppliers").json()
    assert body[0]["id"] == energy.organization_id
    page = browser.get("/search?q=프레스 찍힘 불량 검사&target=suppliers")
    assert page.status_code == 200 and Matches(page.text).ids
    assert browser.api("GET", "/api/match?q=x").status_code == 422


def test_a_search_below_the_minimum_fit_says_so_and_lists_only_the_closest(
    browser, session
) -> None:
    """A short query that reaches no level still shows what came closest, each marked below
    the minimum and under a notice; a query sharing nothing lists nothing."""
    vision, energy, owner, need = arrange(session)
    browser.login(make_staff(session))
    body = browser.api("GET", "/api/match?q=조명&target=suppliers").json()
    assert body and len(body) <= 5 and all(i["level"] is None for i in body)
    page = browser.get("/search?q=조명&target=suppliers")
    assert 'id="below-minimum"' in page.text and "최소 적합도 미만" in page.text
    assert browser.api("GET", "/api/match?q=qqqq zzzz&target=suppliers").json() == []
    strong = browser.get("/search?q=프레스 찍힘 불량 딥러닝 비전 검사 카메라 조명&target=suppliers")
    assert 'id="below-minimum"' not in strong.text and Matches(strong.text).ids


def test_supplier_cannot_search_competitors(browser, session) -> None:
    vision, *_ = arrange(session)
    response = browser.login(vision).api("GET", "/api/match?q=비전 검사&target=suppliers")
    assert response.status_code == 403
    make_need(session, make_manufacturer(session), title="용접 비드 검사")


def test_need_page_shows_top_suggestions_to_its_owner_only(browser, session) -> None:
    vision, energy, owner, need = arrange(session)
    page = browser.login(owner).get(f"/needs/{need.id}")
    assert page.status_code == 200 and f"match-{vision.organization_id}" in Matches(page.text).ids
    supplier_view = browser.login(vision).get(f"/needs/{need.id}")
    assert supplier_view.status_code == 200 and not Matches(supplier_view.text).ids


def test_coordinators_find_manufacturers_by_what_they_make(browser, session) -> None:
    forge = make_manufacturer(
        session, name="밀양단조", description="대형 단조 가열로를 운영합니다."
    )
    make_manufacturer(session, name="김해식품", description="김치와 반찬을 포장 생산합니다.")
    session.commit()
    browser.login(make_staff(session))
    found = browser.api("GET", "/api/match?q=단조 가열로&target=manufacturers").json()
    assert found[0]["id"] == forge.organization_id
    page = browser.get("/search?q=단조 가열로&target=manufacturers")
    assert f"match-{forge.organization_id}" in Matches(page.text).ids
    browser.login(make_supplier(session, "엿보기AI"))
    assert browser.api("GET", "/api/match?q=단조&target=manufacturers").status_code == 403


def _bearer(session, user) -> tuple[int, dict[str, str]]:
    token, secret = accounts.create_api_token(session, user, "client")
    session.commit()
    return token.id, {"authorization": f"Bearer {secret}"}


def test_bearer_match_is_json_with_security_headers_and_no_csrf_cookie(client, session) -> None:
    vision, energy, owner, need = arrange(session)
    _, headers = _bearer(session, make_staff(session))
    response = client.get("/api/match", params={"q": "forging furnace energy"}, headers=headers)
    assert response.status_code == 200 and response.json()[0]["id"] == energy.organization_id
    assert response.headers["content-type"] == "application/json"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in response.headers


def test_a_revoked_token_is_refused_on_its_next_request(client, session) -> None:
    staff = make_staff(session)
    token_id, headers = _bearer(session, staff)
    assert client.get("/api/match", params={"q": "furnace"}, headers=headers).status_code == 200
    accounts.revoke_api_token(session, staff, token_id)
    session.commit()
    assert client.get("/api/match", params={"q": "furnace"}, headers=headers).status_code == 401


def test_cookie_api_writes_need_csrf_even_beside_two_authorization_headers(
    browser, session
) -> None:
    browser.login(make_manufacturer(session))
    both = [("authorization", "Bearer not-a-token"), ("authorization", "Basic eDp5")]
    response = browser.client.post("/api/tokens", json={"name": "x"}, headers=both)
    assert response.status_code == 403  # the CSRF check, not the token lookup (401)
    assert browser.client.post("/api/tokens", json={"name": "x"}).status_code == 403


def test_a_nul_in_any_value_of_a_repeated_parameter_is_refused(browser, session) -> None:
    browser.login(make_staff(session))
    assert browser.api("GET", "/api/match?q=%00x&q=furnace").status_code == 422
    assert browser.api("GET", "/api/match?q=furnace").status_code == 200
