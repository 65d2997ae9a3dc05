"""Files through the API: each bad-file class refused with nothing stored, downloads served
as attachments, and each file readable exactly by who may read its record."""

from urllib.parse import quote

import pytest
from sqlalchemy import select

from app.models import AuditEntry
from tests.bids.conftest import pass_deadline
from tests.files import samples
from tests.files.conftest import kpi_result, stored, upload


def blobs(app):
    return app.state.uploads.storage.root


def test_a_drawing_on_a_need_round_trips(app, browser, session, market) -> None:
    browser.login(market.owner)
    response = upload(browser, f"/api/needs/{market.need.id}/files", "도면 A-1.pdf", samples.PDF)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["content_type"] == "application/pdf" and body["size"] == len(samples.PDF)
    got = browser.client.get(body["download_url"])
    assert got.status_code == 200 and got.content == samples.PDF
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["x-content-type-options"] == "nosniff"
    disposition = got.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('도면 A-1.pdf')}" in disposition
    listed = browser.client.get(f"/api/needs/{market.need.id}/files").json()
    assert [f["filename"] for f in listed] == ["도면 A-1.pdf"]
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_type == "attachments")
    )
    assert list(actions) == ["file.attached"]
    assert stored(session, blobs(app)) == (1, 1)


def test_equal_files_share_one_blob(app, browser, session, market) -> None:
    browser.login(market.owner)
    for name in ("a.pdf", "b.pdf"):
        assert (
            upload(browser, f"/api/needs/{market.need.id}/files", name, samples.PDF).status_code
            == 201
        )
    assert stored(session, blobs(app)) == (2, 1)


@pytest.mark.parametrize(
    ("name", "data", "status", "words"),
    [
        ("빈파일.pdf", b"", 422, "empty"),
        ("setup.pdf", samples.EXE, 422, "not accepted"),
        ("photo.pdf", samples.PNG, 422, "contents are PNG"),
        ("../../etc/passwd", samples.PDF, 422, "folders"),
        ("..\\secret.pdf", samples.PDF, 422, "folders"),
        (".hidden.pdf", samples.PDF, 422, "dot"),
        ("archive.docx", samples.plain_zip(), 422, "not accepted"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    app, browser, session, market, name, data, status, words
) -> None:
    market.owner.locale = "en"
    browser.login(market.owner)
    response = upload(browser, f"/api/needs/{market.need.id}/files", name, data)
    assert response.status_code == status
    assert words in response.json()["message"]
    assert stored(session, blobs(app)) == (0, 0)


def test_an_oversized_file_is_refused_and_nothing_is_stored(
    settings, database, tmp_path, session, market
) -> None:
    from fastapi.testclient import TestClient

    from app.main import create_app
    from tests.builders import Browser

    small = settings.model_copy(update={"data_dir": tmp_path, "max_upload_bytes": 4096})
    app = create_app(small, database=database)
    market.owner.locale = "en"
    with TestClient(app) as client:
        browser = Browser(client, session).login(market.owner)
        url = f"/api/needs/{market.need.id}/files"
        response = upload(browser, url, "big.pdf", samples.PDF + b"0" * 5000)
        assert response.status_code == 413 and "larger than" in response.json()["message"]
        far = upload(browser, url, "huge.pdf", samples.PDF + b"0" * 100_000)
        assert far.status_code == 413  # refused by the body limit before it is read
        assert upload(browser, url, "ok.pdf", samples.PDF).status_code == 201
    assert stored(session, blobs(app)) == (1, 1)


def test_accepted_kinds(browser, market) -> None:
    browser.login(market.owner)
    url = f"/api/needs/{market.need.id}/files"
    for name, data, kind in [
        ("a.png", samples.PNG, "image/png"),
        ("a.jpeg", samples.JPEG, "image/jpeg"),
        ("a.docx", samples.DOCX, "wordprocessingml"),
        ("a.xlsx", samples.XLSX, "spreadsheetml"),
        ("a.pptx", samples.PPTX, "presentationml"),
        ("측정.csv", samples.CSV, "text/csv"),
        ("메모", "메모\n".encode(), "text/plain"),
    ]:
        response = upload(browser, url, name, data)
        assert response.status_code == 201 and kind in response.json()["content_type"], name
    assert upload(browser, url, "메모", b"x").json()["filename"] == "메모.txt"


def test_only_the_owner_attaches_to_a_need(browser, market) -> None:
    for user in (market.other_owner, market.supplier, market.staff):
        browser.login(user)
        assert upload(
            browser, f"/api/needs/{market.need.id}/files", "a.pdf", samples.PDF
        ).status_code in (403, 404)


def test_confidential_need_files_stay_with_owner_and_staff(browser, market) -> None:
    browser.login(market.owner)
    url = f"/api/needs/{market.need.id}/files"
    secret = upload(browser, url, "원가.xlsx", samples.XLSX, confidential="true").json()
    public = upload(browser, url, "도면.pdf", samples.PDF).json()
    assert secret["confidential"] is True
    browser.login(market.supplier)
    assert [f["id"] for f in browser.client.get(url).json()] == [public["id"]]
    assert browser.client.get(secret["download_url"]).status_code == 404
    assert browser.client.get(public["download_url"]).status_code == 200
    browser.login(market.staff)
    assert browser.client.get(secret["download_url"]).status_code == 200
    browser.login(market.other_owner)
    assert browser.client.get(public["download_url"]).status_code == 404


def test_a_sealed_bid_file_opens_only_to_its_bidder_until_the_deadline(
    browser, session, market
) -> None:
    browser.login(market.supplier)
    sent = upload(browser, f"/api/needs/{market.need.id}/bid/files", "제안서.pdf", samples.PDF)
    assert sent.status_code == 201, sent.text
    file = sent.json()
    assert file["bid_version"] == 1
    assert browser.client.get(file["download_url"]).status_code == 200
    for user in (market.rival, market.owner, market.staff, market.other_owner):
        browser.login(user)
        assert browser.client.get(file["download_url"]).status_code == 404, user.email
        assert browser.client.get(f"/api/bids/{market.bid.id}/files").status_code == 404
    pass_deadline(session, market.need)
    for user in (market.owner, market.staff):
        browser.login(user)
        assert browser.client.get(file["download_url"]).content == samples.PDF
        assert len(browser.client.get(f"/api/bids/{market.bid.id}/files").json()) == 1
    for user in (market.rival, market.other_owner):
        browser.login(user)
        assert browser.client.get(file["download_url"]).status_code == 404


def test_bid_files_close_with_bidding_and_keep_their_version(browser, session, market) -> None:
    from tests.bids.conftest import make_bid

    browser.login(market.supplier)
    url = f"/api/needs/{market.need.id}/bid/files"
    assert upload(browser, url, "제안서.pdf", samples.PDF).json()["bid_version"] == 1
    make_bid(
        session,
        market.supplier,
        market.need,
        price_total=4000,
        price_subsidy=3000,
        price_copay=1000,
    )
    session.commit()
    assert upload(browser, url, "견적서.xlsx", samples.XLSX).json()["bid_version"] == 2
    files = browser.client.get(f"/api/bids/{market.bid.id}/files").json()
    assert [f["bid_version"] for f in files] == [1, 2]  # the second version keeps the first file
    pass_deadline(session, market.need)
    assert upload(browser, url, "늦은.pdf", samples.PDF).status_code == 409


def test_kpi_evidence_opens_to_the_parties_and_the_coordinator(browser, session, market) -> None:
    engagement, result = kpi_result(session, market.owner, market.supplier)
    url = f"/api/engagements/{engagement.id}/results/{result.id}/files"
    browser.login(market.supplier)
    file = upload(browser, url, "측정기록.csv", samples.CSV).json()
    for user in (market.staff, market.owner):
        browser.login(user)
        assert browser.client.get(file["download_url"]).content == samples.CSV
    for user in (market.rival, market.other_owner):
        browser.login(user)
        assert browser.client.get(file["download_url"]).status_code == 404
    browser.login(market.staff)
    assert (
        browser.api(
            "POST", f"/api/engagements/{engagement.id}/results/{result.id}/verify"
        ).status_code
        == 200
    )
    browser.login(market.supplier)
    assert upload(browser, url, "늦은.pdf", samples.PDF).status_code == 409


def test_removing_a_need_file(browser, session, market) -> None:
    browser.login(market.owner)
    file = upload(browser, f"/api/needs/{market.need.id}/files", "a.pdf", samples.PDF).json()
    browser.login(market.other_owner)
    assert browser.api("DELETE", f"/api/files/{file['id']}").status_code == 404
    browser.login(market.owner)
    assert browser.api("DELETE", f"/api/files/{file['id']}").status_code == 204
    assert browser.client.get(file["download_url"]).status_code == 404
    assert browser.client.get(f"/api/needs/{market.need.id}/files").json() == []


def test_uploads_are_in_the_openapi_document(client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    body = paths["/api/needs/{need_id}/files"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in body
    assert "/api/files/{attachment_id}" in paths and "/api/bids/{bid_id}/files" in paths


def test_a_drawing_answering_a_question_reaches_every_bidder(browser, session, market) -> None:
    from app.bids import dialogue

    question = dialogue.ask(session, market.supplier, market.need.id, "도면을 받을 수 있을까요?")
    session.commit()
    url = f"/api/needs/{market.need.id}/questions/{question.id}/files"
    browser.login(market.supplier)
    assert upload(browser, url, "a.pdf", samples.PDF).status_code in (403, 404)
    browser.login(market.owner)
    file = upload(browser, url, "브래킷 도면.pdf", samples.PDF).json()
    assert file["owner"] == "clarification" and file["owner_id"] == question.id
    for user in (market.rival, market.supplier, market.staff):
        browser.login(user)
        assert browser.client.get(file["download_url"]).content == samples.PDF
        listed = browser.client.get(f"/api/needs/{market.need.id}/questions/files").json()
        assert [f["id"] for f in listed] == [file["id"]]
    browser.login(market.other_owner)
    assert browser.client.get(file["download_url"]).status_code == 404
