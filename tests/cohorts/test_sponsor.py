"""A sponsor logs in, reads its own cohort's member list and its progress page, and is
refused everywhere else: every route of the app is tried as the sponsor."""

import re

from tests.builders import PASSWORD
from tests.cohorts.helpers import Page, make_cohort, make_sponsor, partner
from tests.test_access import EXPECTED, ROUTES, SIGNED_IN, call, fill, outcome

# Routes about the caller's own account, open to every signed-in user.
SELF_SERVICE = (
    "/account",
    "/api/me",
    "/api/tokens",
    "/api/organization/",
    "/notifications",
    "/api/notifications",
    "/api/notification-preferences",
    "/welcome",  # what to do next after sign-up, per role
)
SPONSOR_ROUTES = {
    ("GET", "/cohorts"),
    ("GET", "/api/cohorts"),
    ("GET", "/api/cohorts/{cohort_id}"),
    ("GET", "/api/home"),  # its home: partners' status at its permitted level
}
PROGRESS = ("/sponsor", "/api/sponsor")  # the cohort's aggregate progress (app/dashboard)


def sponsor_may(method: str, path: str, public: bool) -> bool:
    """Public routes, its own account's, its cohort's member list and progress."""
    if public or (method, path) in SPONSOR_ROUTES or path.startswith(PROGRESS):
        return True
    return path.startswith(SELF_SERVICE) and EXPECTED.get((method, path)) == SIGNED_IN


def filled(path: str, ids: dict[str, object]) -> str:
    """Ids of the world where known; any other path parameter gets a made-up id."""
    try:
        return fill(path, ids)
    except KeyError:
        return re.sub(r"\{[^}]+\}", "1", path)


def test_a_sponsor_is_refused_everywhere_else(browser, world) -> None:
    wrong = []
    for method, path in ROUTES:
        url = filled(path, world.ids)
        browser.logout()
        public = outcome(*call(browser, method, url)) == "allowed"  # as anonymous
        browser.login(world.people["sponsor"])
        allowed = outcome(*call(browser, method, url)) == "allowed"
        if allowed is not sponsor_may(method, path, public):
            wrong.append(f"{method} {path}: {'allowed' if allowed else 'denied'}")
    assert wrong == []


def test_a_sponsor_logs_in_and_finds_its_cohort(browser, session) -> None:
    sponsor = make_sponsor(session)
    cohort = make_cohort(session, sponsor, partner(session, "가공장"), partner(session, "나공장"))
    session.commit()
    form = {"email": sponsor.email, "password": PASSWORD}
    assert browser.post("/login", form).status_code == 303
    home = Page(browser.get("/").text)
    assert "logout" in home.ids
    page = browser.get("/cohorts")
    names = Page(page.text, list_id=f"cohort-{cohort.id}")
    assert page.status_code == 200 and "cohort-progress" in names.ids
    assert names.items == ["가공장", "나공장"]


def test_the_nav_of_a_sponsor_links_its_cohort_and_progress(browser, session) -> None:
    html = browser.login(make_sponsor(session)).get("/cohorts").text
    assert 'href="/cohorts"' in html and 'href="/sponsor"' in html
    assert 'href="/search"' not in html
    assert Page(html).ids >= {"cohort-progress"}
