"""Bid versions keep their files: a file joins the version it was sent with, every later
version carries it, and an earlier version's files stay readable by who reads the bid
(sealed until the deadline, like the bid)."""

from app.models import BidStatus
from tests.bids.conftest import make_bid, pass_deadline
from tests.engagements.helpers import ids
from tests.files import samples
from tests.files.conftest import upload


def revise(session, market, price: int) -> None:
    subsidy = price * 3 // 4
    make_bid(
        session,
        market.supplier,
        market.need,
        price_total=price,
        price_subsidy=subsidy,
        price_copay=price - subsidy,
    )
    session.commit()


def versions(browser, market) -> dict[int, list[str]]:
    found = browser.client.get(f"/api/needs/{market.need.id}/bid/versions").json()
    return {v["number"]: [f["filename"] for f in v["files"]] for v in found}


def test_each_version_lists_the_files_it_carried(browser, session, market) -> None:
    browser.login(market.supplier)
    url = f"/api/needs/{market.need.id}/bid/files"
    first = upload(browser, url, "제안서 v1.pdf", samples.PDF).json()
    revise(session, market, 4000)
    second = upload(browser, url, "견적서 v2.xlsx", samples.XLSX).json()
    assert (first["bid_version"], second["bid_version"]) == (1, 2)
    assert versions(browser, market) == {
        1: ["제안서 v1.pdf"],
        2: ["제안서 v1.pdf", "견적서 v2.xlsx"],
    }
    revise(session, market, 4400)
    assert versions(browser, market)[3] == ["제안서 v1.pdf", "견적서 v2.xlsx"]
    assert browser.client.get(first["download_url"]).content == samples.PDF  # still readable


def test_the_bid_page_shows_each_file_with_the_version_it_joined(browser, session, market) -> None:
    browser.login(market.supplier)
    url = f"/api/needs/{market.need.id}/bid/files"
    upload(browser, url, "제안서 v1.pdf", samples.PDF)
    revise(session, market, 4000)
    upload(browser, url, "견적서 v2.xlsx", samples.XLSX)
    page = browser.get(f"/needs/{market.need.id}/bid").text
    assert {"version-1", "version-2"} <= ids(page)
    row_two = page.split('id="version-2"')[1].split("</tr>")[0]
    row_one = page.split('id="version-1"')[1].split("</tr>")[0]
    assert "견적서 v2.xlsx" in row_two and "제안서 v1.pdf" not in row_two
    assert "제안서 v1.pdf" in row_one


def test_earlier_versions_files_stay_sealed_until_the_deadline(browser, session, market) -> None:
    browser.login(market.supplier)
    url = f"/api/needs/{market.need.id}/bid/files"
    first = upload(browser, url, "제안서 v1.pdf", samples.PDF).json()
    revise(session, market, 4000)
    for user in (market.rival, market.owner, market.staff):
        browser.login(user)
        assert browser.client.get(first["download_url"]).status_code == 404
    pass_deadline(session, market.need)
    for user in (market.owner, market.staff):
        browser.login(user)
        assert browser.client.get(first["download_url"]).content == samples.PDF
        listed = browser.client.get(f"/api/bids/{market.bid.id}/files").json()
        assert [f["bid_version"] for f in listed] == [1]
    browser.login(market.rival)
    assert browser.client.get(first["download_url"]).status_code == 404


def test_a_withdrawn_bids_files_stay_with_its_bidder_only(browser, session, market) -> None:
    browser.login(market.supplier)
    url = f"/api/needs/{market.need.id}/bid/files"
    file = upload(browser, url, "제안서.pdf", samples.PDF).json()
    market.bid.status = BidStatus.withdrawn
    session.commit()
    pass_deadline(session, market.need)
    assert browser.client.get(file["download_url"]).content == samples.PDF
    assert versions(browser, market) == {1: ["제안서.pdf"]}
    browser.login(market.owner)
    assert browser.client.get(file["download_url"]).status_code == 404
