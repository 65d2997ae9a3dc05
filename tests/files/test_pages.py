"""Files through the pages, as a browser without JavaScript sends them: a multipart form with
the CSRF token as its first field; refusals re-render the page with the reason."""

from tests.bids.conftest import pass_deadline
from tests.engagements.helpers import ids
from tests.files import samples
from tests.files.conftest import kpi_result, stored


def send(browser, url: str, name: str, data: bytes, token: str | None = None, **fields):
    form = {"csrftoken": browser.csrf() if token is None else token, **fields}
    files = {"file": (name, data, "application/pdf")}
    return browser.client.post(url, data=form, files=files, follow_redirects=False)


def test_the_owner_attaches_a_drawing_on_the_need_page(app, browser, session, market) -> None:
    browser.login(market.owner)
    page = browser.get(f"/needs/{market.need.id}").text
    assert 'enctype="multipart/form-data"' in page and "/static/upload.js" in page
    response = send(browser, f"/needs/{market.need.id}/files", "도면.pdf", samples.PDF)
    assert response.status_code == 303
    assert response.headers["location"] == f"/needs/{market.need.id}#files"
    page = browser.get(f"/needs/{market.need.id}").text
    assert "도면.pdf" in page and "files" in ids(page)
    browser.login(market.supplier)
    assert "도면.pdf" in browser.get(f"/needs/{market.need.id}").text


def test_a_refused_file_re_renders_the_page_with_the_reason(app, browser, session, market) -> None:
    browser.login(market.owner)
    response = send(browser, f"/needs/{market.need.id}/files", "setup.pdf", samples.EXE)
    assert response.status_code == 422
    assert "file-error" in ids(response.text) and "받지 않는 파일 형식" in response.text
    response = send(browser, f"/needs/{market.need.id}/files", "../../etc/passwd", samples.PDF)
    assert response.status_code == 422 and "file-error" in ids(response.text)
    assert stored(session, app.state.uploads.storage.root) == (0, 0)


def test_a_multipart_form_without_the_right_token_is_refused(app, browser, session, market) -> None:
    browser.login(market.owner)
    url = f"/needs/{market.need.id}/files"
    assert send(browser, url, "a.pdf", samples.PDF, token="forged").status_code == 403
    files = {"file": ("a.pdf", samples.PDF, "application/pdf")}
    assert browser.client.post(url, files=files).status_code == 403  # no token at all
    assert stored(session, app.state.uploads.storage.root) == (0, 0)


def test_a_proposal_on_the_bid_page_stays_sealed(browser, session, market) -> None:
    browser.login(market.supplier)
    response = send(browser, f"/needs/{market.need.id}/bid/files", "제안서.pdf", samples.PDF)
    assert response.status_code == 303
    assert "제안서.pdf" in browser.get(f"/needs/{market.need.id}/bid").text
    browser.login(market.owner)
    assert "제안서.pdf" not in browser.get(f"/needs/{market.need.id}/bids").text
    pass_deadline(session, market.need)
    assert "제안서.pdf" in browser.get(f"/needs/{market.need.id}/bids").text


def test_evidence_on_a_kpi_result_is_listed_for_the_coordinator(browser, session, market) -> None:
    engagement, result = kpi_result(session, market.owner, market.supplier)
    browser.login(market.supplier)
    url = f"/engagements/{engagement.id}/results/{result.id}/files"
    assert send(browser, url, "측정기록.pdf", samples.PDF).status_code == 303
    browser.login(market.staff)
    page = browser.get(f"/engagements/{engagement.id}").text
    assert "측정기록.pdf" in page and f"result-{result.id}" in ids(page)


def test_the_owner_attaches_a_file_to_an_answer(browser, session, market) -> None:
    from app.bids import dialogue

    question = dialogue.ask(session, market.supplier, market.need.id, "도면을 받을 수 있을까요?")
    session.commit()
    browser.login(market.owner)
    url = f"/needs/{market.need.id}/questions/{question.id}/files"
    assert send(browser, url, "도면.pdf", samples.PDF).status_code == 303
    browser.login(market.rival)
    assert "도면.pdf" in browser.get(f"/needs/{market.need.id}/questions").text
