"""Documents in Chromium: a manufacturer attaches a drawing to a need (the upload goes through
app/static/upload.js with its progress bar), a supplier downloads it, bids and attaches a
proposal that the manufacturer cannot see until the deadline, which the test moves in the
database rather than waiting for it."""

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import make_engine
from app.models import Need, Organization, utcnow
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_full_journey import (
    COORDINATOR,
    INVITED,
    MANUFACTURER,
    SEOUL,
    fill_bid,
    post_need,
    press,
)
from tests.browser.test_journeys import log_in
from tests.files import samples

pytestmark = pytest.mark.browser


@pytest.fixture
def two(chromium, live_server: str, request: pytest.FixtureRequest) -> Iterator[dict]:  # type: ignore[no-untyped-def]
    contexts, pages = [], {}
    for name, email in (("manufacturer", MANUFACTURER), ("supplier", INVITED[0])):
        context = chromium.new_context(base_url=live_server, locale="ko-KR", accept_downloads=True)
        contexts.append(context)
        pages[name] = context.new_page()
        pages[name].set_default_timeout(15_000)
        log_in(pages[name], email)
    yield pages
    ARTIFACTS.mkdir(exist_ok=True)
    for name, page in pages.items():
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"), full_page=True)
    for context in contexts:
        context.close()


def attach(page, form: str, name: str, data: bytes, refused: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Upload through upload.js: success navigates to the page again; a refusal replaces the
    document with the re-rendered page (no navigation), its reason under the file field."""
    page.set_input_files(
        f"{form} input[type=file]", {"name": name, "mimeType": "application/pdf", "buffer": data}
    )
    if refused:
        page.click(f"{form} button[type=submit]")
        page.wait_for_selector(f"{form} .field-error")
        return
    press(page, f"{form} button[type=submit]")


def downloaded(page, name: str) -> bytes:  # type: ignore[no-untyped-def]
    with page.expect_download() as info:
        page.locator("a", has_text=name).first.click()
    path = info.value.path()
    assert info.value.suggested_filename == name
    with open(path, "rb") as f:
        return f.read()


def pass_deadline(env: dict[str, str], need_id: int) -> None:
    engine = make_engine(env["DATABASE_URL"])
    with Session(engine) as session, session.begin():
        session.get_one(Need, need_id).deadline_at = utcnow() - timedelta(minutes=1)
    engine.dispose()


def test_a_drawing_on_a_need_and_a_sealed_proposal_on_a_bid(two, live_env) -> None:  # type: ignore[no-untyped-def]
    m, s = two["manufacturer"], two["supplier"]
    need_id = post_need(m, datetime.now(SEOUL) + timedelta(days=14))
    form = f"form[action='/needs/{need_id}/files']"
    attach(
        m, form, "setup.pdf", samples.EXE, refused=True
    )  # an .exe renamed .pdf: refused, page again
    assert "받지 않는 파일 형식" in m.locator(f"{form} .field-error").inner_text()
    attach(m, form, "프레스 도면 A-1.pdf", samples.PDF)
    assert m.locator("#files li.file").count() == 1

    s.goto(f"/needs/{need_id}")
    assert downloaded(s, "프레스 도면 A-1.pdf") == samples.PDF
    s.goto(f"/needs/{need_id}/bid")
    fill_bid(s, "2D 카메라 2대와 돔 조명으로 찍힘·버를 딥러닝 분류합니다.", 5200, 3600)
    attach(
        s, f"form[action='/needs/{need_id}/bid/files']", "제안서.pdf", samples.PDF + b"% proposal\n"
    )
    assert s.locator("#files li.file", has_text="제안서.pdf").count() == 1

    m.goto(f"/needs/{need_id}/bids")
    assert m.locator("#sealed").count() == 1 and m.locator("a", has_text="제안서.pdf").count() == 0
    pass_deadline(live_env, need_id)
    m.goto(f"/needs/{need_id}/bids")
    assert downloaded(m, "제안서.pdf") == samples.PDF + b"% proposal\n"


def org_id(env: dict[str, str], name: str) -> int:
    engine = make_engine(env["DATABASE_URL"])
    with Session(engine) as session:
        found = session.scalars(select(Organization.id).where(Organization.name == name)).one()
    engine.dispose()
    return found


def test_application_documents_attached_removed_and_vetted(chromium, live_server, live_env) -> None:  # type: ignore[no-untyped-def]
    """A supplier attaches two documents to its application on /profile, removes the wrong
    one; the coordinator opens the right one on the membership page it vets from."""
    supplier = chromium.new_context(base_url=live_server, locale="ko-KR", accept_downloads=True)
    staff = chromium.new_context(base_url=live_server, locale="ko-KR", accept_downloads=True)
    try:
        s, c = supplier.new_page(), staff.new_page()
        for page, email in ((s, INVITED[0]), (c, COORDINATOR)):
            page.set_default_timeout(15_000)
            log_in(page, email)
        s.goto("/profile")
        form = "#application-files form[action='/profile/application/files']"
        attach(s, form, "잘못 올린 파일.pdf", samples.PDF + b"% wrong\n")
        attach(s, form, "ISO 9001 인증서.pdf", samples.PDF)
        wrong = s.locator("#application-files li.file", has_text="잘못 올린 파일.pdf")
        press(s, wrong.locator("button", has_text="파일 삭제"))
        names = s.locator("#application-files li.file").all_inner_texts()
        assert any("ISO 9001 인증서.pdf" in n for n in names)
        assert not any("잘못 올린 파일.pdf" in n for n in names)

        c.goto(f"/coordinator/suppliers/{org_id(live_env, INVITED[1])}/membership")
        assert downloaded(c, "ISO 9001 인증서.pdf") == samples.PDF
        assert c.locator("a", has_text="잘못 올린 파일.pdf").count() == 0
    finally:
        supplier.close()
        staff.close()
