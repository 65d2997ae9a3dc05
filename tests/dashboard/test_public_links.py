"""The public page (issue 14 item 6): the JSON behind it is a labelled link, not a raw path
printed as text; every page's icon is served."""

from tests.builders import parse


def test_the_public_page_links_its_json_by_a_label(browser) -> None:
    html = browser.get("/programme").text
    page = parse(html)
    assert "/api/dashboard/public" in page.hrefs
    assert "/api/dashboard/public" not in page.texts["as-of"]
    assert "JSON 데이터" in page.texts["public-json"]


def test_the_favicon_is_an_icon(browser) -> None:
    response = browser.get("/favicon.ico")
    assert response.status_code == 200 and response.content[:4] == b"\x00\x00\x01\x00"
