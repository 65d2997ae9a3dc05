"""GET /api/home and the home page: the same lists; anonymous visitors keep the marketing
page; the nav carries the counts."""

from html.parser import HTMLParser

from tests.builders import make_manufacturer, make_staff, make_supplier
from tests.home.helpers import past_deadline


class Landmarks(HTMLParser):
    """Ids on the page, and the count each nav link carries."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.counts: dict[str, int] = {}
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if tag == "a":
            self._href = found.get("href")
        if tag == "span" and found.get("data-count") and self._href:
            self.counts[self._href] = int(found["data-count"] or 0)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._href = None


def parse(html: str) -> Landmarks:
    parser = Landmarks()
    parser.feed(html)
    return parser


def test_the_api_lists_a_manufacturers_bids_to_compare(browser, session) -> None:
    owner = make_manufacturer(session)
    need = past_deadline(session, owner, make_supplier(session))
    browser.login(owner)
    body = browser.api("GET", "/api/home").json()
    assert body["role"] == "manufacturer" and body["total"] == 1
    first = body["sections"][0]
    assert first["kind"] == "bids_to_compare" and first["title"] == "비교할 입찰"
    assert first["count"] == 1 and first["action"] is True
    (item,) = first["items"]
    assert item["href"] == f"/needs/{need.id}/bids" and item["note"] == "입찰 1건 · 입찰 마감"
    assert item["flags"] == [] and item["at"] is not None


def test_the_api_is_for_signed_in_users_and_in_the_openapi_doc(browser, client) -> None:
    assert client.get("/api/home").status_code == 401
    schema = client.get("/api/openapi.json").json()
    assert "/api/home" in schema["paths"]
    assert {"HomeOut", "HomeSectionOut", "HomeItemOut", "BoardCardOut", "WaitingOut"} <= set(
        schema["components"]["schemas"]
    )


def test_the_page_shows_the_same_items_and_the_nav_counts(browser, session) -> None:
    owner = make_manufacturer(session)
    need = past_deadline(session, owner, make_supplier(session))
    browser.login(owner)
    page = parse(browser.get("/").text)
    assert "home-bids_to_compare" in page.ids and "home-questions_to_answer-none" in page.ids
    assert page.counts == {"/": 1, "/needs/mine": 1}
    assert f'href="/needs/{need.id}/bids"' in browser.get("/").text
    other = parse(browser.get("/needs/mine").text)  # every page's nav carries the counts
    assert other.counts == {"/": 1, "/needs/mine": 1}


def test_a_coordinator_with_nothing_waiting_is_told_so(browser, session) -> None:
    browser.login(make_staff(session))
    page = parse(browser.get("/").text)
    assert "home-empty" in page.ids and page.counts == {}


def test_anonymous_visitors_keep_the_marketing_page(client) -> None:
    page = parse(client.get("/").text)
    assert "programme-more" in page.ids and "home-clear" not in page.ids
