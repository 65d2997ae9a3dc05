"""The sealed-bid rule on every surface: every GET route (pages and API) as every persona,
plus the audit filters, the exports, search and the notifications and e-mails written, while
two bids carrying distinctive markers are still before their need's deadline.

A bidder may read its own bid; nobody else reads any of it: not staff (the audit log), not the
need's owner, not the other bidder. After the deadline the same stored audit entries read in
full: the rule is applied when the log is read, not when it is written.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import Bid, Need, Notification, OutboxMessage, utcnow
from tests.bids.conftest import bid_body, make_bid, pass_deadline
from tests.test_access import PERSONAS, ROUTES, fill, world  # noqa: F401 (a fixture)

# Each bidder's price split and texts are unique numbers and words, in every way they print.
PRICES = {
    "supplier": (7_654_321, 5_740_740),
    "other_supplier": (6_543_219, 4_907_414),
}
EXTRA_GETS = (
    "/api/coordinator/audit?action=bid.submitted",
    "/api/coordinator/audit?action=bid.edited",
    "/coordinator/audit?action=bid.submitted",
    "/coordinator/audit?action=bid.edited",
    "/search?q=MARKSUPPLIER",
    "/api/match?q=MARKSUPPLIER",
    "/needs?q=MARKSUPPLIER",
    "/api/needs?q=MARKSUPPLIER",
    *(
        f"/coordinator/dashboard.csv?table={t}"
        for t in ("funnel", "sector", "region", "sf_level", "stages", "concentration")
    ),
    "/coordinator/dashboard.csv?table=suppliers",
    "/coordinator/dashboard.csv?table=outcomes",
    "/programme.csv?table=outcomes",
    "/sponsor.csv?table=outcomes",
)


def markers(persona: str) -> list[str]:
    tag = persona.upper().replace("_", "")
    total, subsidy = PRICES[persona]
    copay = total - subsidy
    texts = [f"MARK{tag}APPROACH", f"MARK{tag}TEAM", f"MARK{tag}FILE", f"MARK{tag}OLD"]
    numbers = [str(n) for n in (total, subsidy, copay)]
    numbers += [f"{n:,}" for n in (total, subsidy, copay)]
    numbers += [f"{n * 10_000:,}" for n in (total, subsidy, copay)]
    return texts + numbers


def sealed_bid(session, user, need, persona: str):
    tag = persona.upper().replace("_", "")
    total, subsidy = PRICES[persona]
    old = {"approach": f"MARK{tag}OLD", "price_total": total - 1}
    make_bid(session, user, need, **bid_body(**old, price_subsidy=0, price_copay=total - 1))
    bid = session.scalar(select(Bid).where(Bid.supplier_org_id == user.organization_id))
    fields = {
        "approach": f"MARK{tag}APPROACH",
        "team": f"MARK{tag}TEAM",
        "attachments": [f"MARK{tag}FILE.pdf"],
        "price_total": total,
        "price_subsidy": subsidy,
        "price_copay": total - subsidy,
        "version": bid.version,
    }
    return make_bid(session, user, need, **fields)  # an edit: the audit holds before and after


@pytest.fixture
def sealed_world(session, world):  # noqa: F811
    need = session.get_one(Need, world.ids["need"])
    need.deadline_at = utcnow() + timedelta(days=7)
    for persona in PRICES:
        sealed_bid(session, world.people[persona], need, persona)
    session.commit()
    return world, need


def leaks(text: str, reader: str) -> list[str]:
    """The markers in `text` that `reader` must not see (its own bid's are allowed)."""
    return [m for persona in PRICES if persona != reader for m in markers(persona) if m in text]


def get(browser, path: str):
    if path.startswith("/api"):
        return browser.api("GET", path, follow_redirects=False)
    return browser.get(path)


def test_no_route_shows_a_sealed_bid_to_anyone_but_its_bidder(browser, session, sealed_world):
    market, _ = sealed_world
    paths = [fill(p, market.ids) for m, p in ROUTES if m == "GET"] + list(EXTRA_GETS)
    found = []
    for persona in (*PERSONAS, "sponsor"):
        browser.logout()
        if persona != "anonymous":
            browser.login(market.people[persona])
        for path in paths:
            response = get(browser, path)
            assert response.status_code < 500, (persona, path)
            found += [(persona, path, m) for m in leaks(response.text, persona)]
    assert found == []


def test_notifications_and_emails_carry_no_bid_content(session, sealed_world):
    texts = [str(n.params) for n in session.scalars(select(Notification))]
    texts += [f"{m.subject} {m.body}" for m in session.scalars(select(OutboxMessage))]
    assert [t for t in texts if leaks(t, "nobody")] == []


def test_audit_names_no_bidder_to_staff_before_the_deadline(browser, sealed_world):
    market, _ = sealed_world
    browser.login(market.people["coordinator"])
    items = browser.api("GET", "/api/coordinator/audit?action=bid.submitted").json()["items"]
    assert len(items) == 2
    assert all(i["sealed"] and i["actor_id"] is None and i["actor_name"] is None for i in items)
    assert all(i["before"] is None and i["after"] == {"status": "submitted"} for i in items)


def test_the_same_entries_read_in_full_after_the_deadline(browser, session, sealed_world):
    market, need = sealed_world
    pass_deadline(session, need)
    browser.login(market.people["coordinator"])
    edited = browser.api("GET", "/api/coordinator/audit?action=bid.edited").json()["items"]
    assert {i["after"]["approach"] for i in edited} == {
        "MARKSUPPLIERAPPROACH",
        "MARKOTHERSUPPLIERAPPROACH",
    }
    assert {i["before"]["approach"] for i in edited} == {"MARKSUPPLIEROLD", "MARKOTHERSUPPLIEROLD"}
    assert not any(i["sealed"] for i in edited) and all(i["actor_name"] for i in edited)
    page = browser.get("/coordinator/audit?action=bid.edited")
    assert "MARKSUPPLIERAPPROACH" in page.text
