"""The access matrix: every route x every persona, against records of one organisation.

Each persona is classed as *allowed* (anything but 401/403/404 or a redirect to the login
page) or *denied*. EXPECTED below is the policy, reviewed by hand: a new route fails this
test until it is added there. Owners act last, so their successful writes cannot hide
what the others were refused. Writes are sent with an empty body, so a persona that passes
the role check may meet a 422 before the service checks ownership: ownership of writes is
tested with valid bodies in each feature's own tests.
"""

import re
from dataclasses import dataclass

import pytest
from fastapi.routing import APIRoute

from app.accounts import service as accounts
from app.main import ROUTERS
from app.models import Membership, Role
from tests.builders import (
    make_case_study,
    make_engagement,
    make_manufacturer,
    make_need,
    make_staff,
    make_supplier,
)

PERSONAS = (
    "anonymous",
    "other_manufacturer",
    "other_supplier",
    "applicant",
    "coordinator",
    "admin",
    "supplier",
    "manufacturer",
)
ROUTES = sorted(
    {
        (method, route.path)
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods - {"HEAD"}
    },
    key=lambda r: (r[1], r[0]),
)


@dataclass
class World:
    people: dict[str, object]
    ids: dict[str, object]


@pytest.fixture
def world(session, tmp_path) -> World:
    owner = make_manufacturer(session)
    supplier = make_supplier(session, "소유공급사")
    people = {
        "manufacturer": owner,
        "supplier": supplier,
        "other_manufacturer": make_manufacturer(session, name="남의공장"),
        "other_supplier": make_supplier(session, "남의공급사"),
        "applicant": make_supplier(session, "신청공급사", membership=Membership.applied),
        "coordinator": make_staff(session),
        "admin": make_staff(session, Role.admin),
    }
    need = make_need(session, owner)
    people["sponsor"], cohort = sponsor_with_cohort(session, owner)  # tested in tests/cohorts
    token = accounts.create_api_token(session, owner, "t")[0]
    invitation, secret = accounts.invite(session, owner, "invitee@mfr.example.kr")
    ids = {
        "need": need.id,
        "manufacturer_org": owner.organization_id,
        "supplier_org": supplier.organization_id,
        "case": make_case_study(session, supplier).id,
        "user": owner.id,
        "token": token.id,
        "secret": secret,
        "invitation": invitation.id,
        "cohort": cohort.id,
    }
    ids |= engagement_ids(session, owner, supplier)
    ids |= notification_ids(session, supplier)
    ids |= round_ids(session, need, supplier)
    ids |= file_ids(session, owner, need, tmp_path)
    session.commit()
    return World(people, ids)


def fill(path: str, ids: dict[str, object]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[0]
        if name == "org_id":
            kind = (
                "manufacturer_org"
                if "manufacturer" in path or "organizations" in path
                else "supplier_org"
            )
            return str(ids[kind])
        key = {
            "need_id": "need",
            "case_id": "case",
            "study_id": "case",
            "user_id": "user",
            "token_id": "token",
            "secret": "secret",
            "invitation_id": "invitation",
            "engagement_id": "engagement",
            "milestone_id": "milestone",
            "result_id": "result",
            "payment_id": "payment",
            "notification_id": "notification",
            "search_id": "search",
            "cohort_id": "cohort",
            "round_id": "round",
            "pair_id": "pair",
            "conflict_id": "conflict",
            "attachment_id": "attachment",
            "bid_id": "bid",
            "question_id": "bid",  # names no question either: the world asks none
        }[name]
        return str(ids[key])

    return re.sub(r"\{([^}]+)\}", value, path)


def outcome(status: int, location: str) -> str:
    assert status < 500
    denied = status in (401, 403, 404) or (status in (302, 303) and location.startswith("/login"))
    return "denied" if denied else "allowed"


def call(browser, method: str, path: str) -> tuple[int, str]:
    if path.startswith("/api"):
        body = None if method in ("GET", "DELETE") else {}
        response = browser.api(method, path, json=body, follow_redirects=False)
    elif method == "GET":
        response = browser.get(path)
    else:
        response = browser.post(path, {})
    return response.status_code, response.headers.get("location", "")


def allowed_personas(browser, world: World, method: str, path: str) -> set[str]:
    allowed = set()
    for persona in PERSONAS:
        browser.logout()
        if persona != "anonymous":
            browser.login(world.people[persona])
        status, location = call(browser, method, fill(path, world.ids))
        if outcome(status, location) == "allowed":
            allowed.add(persona)
    return allowed


def test_every_route_is_in_the_policy() -> None:
    assert sorted(set(ROUTES) - set(EXPECTED)) == []
    assert sorted(set(EXPECTED) - set(ROUTES)) == []


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_route_access(browser, world, method: str, path: str) -> None:
    assert allowed_personas(browser, world, method, path) == EXPECTED[(method, path)]


EVERYONE = set(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
STAFF = {"coordinator", "admin"}
SUPPLIERS = {"supplier", "other_supplier", "applicant"}
MANUFACTURERS = {"manufacturer", "other_manufacturer"}
EXPORTS = {
    "needs": STAFF | {"manufacturer", "other_manufacturer"},
    "suppliers": STAFF,
    "bids": SIGNED_IN,
    "engagements": SIGNED_IN,
    "kpi_results": SIGNED_IN,
    "payments": SIGNED_IN,
    "audit": STAFF,
}
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("GET", "/"): EVERYONE,
    ("GET", "/account"): SIGNED_IN,
    ("GET", "/welcome"): SIGNED_IN,
    ("POST", "/account/invitations"): SIGNED_IN,
    ("POST", "/account/tokens"): SIGNED_IN,
    ("POST", "/account/tokens/{token_id}/revoke"): {"manufacturer"},
    ("GET", "/admin"): {"admin"},
    ("GET", "/admin/users"): {"admin"},
    ("GET", "/admin/users/new"): {"admin"},
    ("POST", "/admin/users/new"): {"admin"},
    ("POST", "/admin/users/{user_id}"): {"admin"},
    ("GET", "/api/admin/users"): {"admin"},
    ("POST", "/api/admin/users"): {"admin"},
    ("PATCH", "/api/admin/users/{user_id}"): {"admin"},
    ("GET", "/api/coordinator/applications"): STAFF,
    ("GET", "/api/coordinator/checks"): STAFF,
    ("POST", "/api/coordinator/checks/{need_id}/approve"): STAFF,
    ("POST", "/api/coordinator/checks/{need_id}/return"): STAFF,
    ("GET", "/api/coordinator/reviews"): STAFF,
    ("POST", "/api/profile/reapply"): {
        "other_supplier",
        "applicant",
        "supplier",
    },  # 409 unless rejected/expired
    ("GET", "/api/coordinator/audit"): STAFF,
    ("GET", "/api/coordinator/organizations"): STAFF,
    ("GET", "/api/coordinator/organizations/choices"): STAFF,
    ("GET", "/api/coordinator/organizations/{org_id}"): STAFF,
    ("POST", "/api/coordinator/suppliers/{org_id}/membership"): STAFF,
    ("GET", "/api/manufacturers/{org_id}"): STAFF | {"manufacturer"},
    ("GET", "/api/match"): SIGNED_IN,
    ("GET", "/api/me"): SIGNED_IN,
    ("PATCH", "/api/me"): SIGNED_IN,
    ("GET", "/api/needs"): STAFF
    | {"other_manufacturer", "other_supplier", "supplier", "manufacturer"},
    ("POST", "/api/needs"): {"other_manufacturer", "manufacturer"},
    ("GET", "/api/needs/{need_id}"): STAFF | {"other_supplier", "supplier", "manufacturer"},
    ("GET", "/api/needs/{need_id}/amendments"): STAFF
    | {"other_supplier", "supplier", "manufacturer"},
    ("PUT", "/api/needs/{need_id}"): {"other_manufacturer", "manufacturer"},
    ("POST", "/api/needs/{need_id}/close"): {"manufacturer"},
    ("POST", "/api/needs/{need_id}/publish"): {"manufacturer"},
    ("GET", "/api/needs/{need_id}/suggestions"): STAFF | {"manufacturer"},
    ("GET", "/api/needs/{need_id}/suggestions/left-out"): STAFF | {"manufacturer"},
    ("POST", "/api/organization/invitations"): SIGNED_IN,
    ("GET", "/api/organization/users"): SIGNED_IN,
    ("GET", "/api/profile"): {
        "other_manufacturer",
        "other_supplier",
        "applicant",
        "supplier",
        "manufacturer",
    },
    ("PUT", "/api/profile"): {
        "other_manufacturer",
        "other_supplier",
        "applicant",
        "supplier",
        "manufacturer",
    },
    ("POST", "/api/profile/case-studies"): {"other_supplier", "applicant", "supplier"},
    ("DELETE", "/api/profile/case-studies/{case_id}"): {"supplier"},
    ("PUT", "/api/profile/case-studies/{case_id}"): {"other_supplier", "applicant", "supplier"},
    ("GET", "/api/recommendations"): {"other_supplier", "supplier"},
    ("POST", "/api/register"): EVERYONE,
    ("GET", "/api/suppliers"): STAFF | {"other_manufacturer", "manufacturer"},
    ("GET", "/api/suppliers/{org_id}"): SIGNED_IN,
    ("GET", "/api/tokens"): SIGNED_IN,
    ("POST", "/api/tokens"): SIGNED_IN,
    ("POST", "/api/tokens/login"): EVERYONE,
    ("DELETE", "/api/tokens/{token_id}"): {"manufacturer"},
    ("GET", "/coordinator"): STAFF,
    ("GET", "/coordinator/applications"): STAFF,
    ("GET", "/coordinator/checks"): STAFF,
    ("POST", "/coordinator/checks/{need_id}/approve"): STAFF,
    ("POST", "/coordinator/checks/{need_id}/return"): STAFF,
    ("GET", "/coordinator/reviews"): STAFF,
    ("POST", "/profile/reapply"): {
        "other_supplier",
        "applicant",
        "supplier",
    },  # 409 unless rejected/expired
    ("GET", "/coordinator/audit"): STAFF,
    ("GET", "/coordinator/audit.csv"): STAFF,
    ("GET", "/coordinator/organizations"): STAFF,
    ("GET", "/coordinator/organizations/{org_id}"): STAFF,
    ("GET", "/coordinator/suppliers/{org_id}/membership"): STAFF,
    ("POST", "/coordinator/suppliers/{org_id}/membership"): STAFF,
    ("GET", "/healthz"): EVERYONE,
    ("GET", "/favicon.ico"): EVERYONE,
    ("GET", "/invitations/{secret}"): EVERYONE,
    ("POST", "/invitations/{secret}"): EVERYONE,
    ("POST", "/lang"): EVERYONE,
    ("GET", "/login"): EVERYONE,
    ("POST", "/login"): EVERYONE,
    # The second login step needs the cookie of a right password (tests/accounts/test_totp.py);
    # its form validates first, so an empty one is a 422 for anyone.
    ("GET", "/login/code"): set(),
    ("POST", "/login/code"): EVERYONE,
    ("GET", "/privacy"): EVERYONE,
    ("GET", "/password/forgot"): EVERYONE,
    ("POST", "/password/forgot"): EVERYONE,
    ("POST", "/api/password/forgot"): EVERYONE,
    ("POST", "/api/password/reset"): EVERYONE,
    ("POST", "/api/verify"): EVERYONE,
    # A reset or verification link's secret is its only credential: with another (here the
    # invitation's) nobody gets in; tests/accounts/test_recovery.py follows real links.
    ("GET", "/reset/{secret}"): set(),
    ("POST", "/reset/{secret}"): EVERYONE,  # the form is validated first: a 422
    ("GET", "/verify/{secret}"): set(),
    ("POST", "/verify/{secret}"): set(),
    ("POST", "/account/verification"): SIGNED_IN,
    ("POST", "/account/password"): SIGNED_IN,
    ("POST", "/account/withdraw"): SIGNED_IN,
    ("POST", "/api/me/verification"): SIGNED_IN,
    ("POST", "/api/me/password"): SIGNED_IN,
    ("POST", "/api/me/withdraw"): SIGNED_IN,
    ("GET", "/account/two-step"): STAFF,
    ("POST", "/account/two-step/start"): STAFF,
    ("POST", "/account/two-step/confirm"): STAFF,
    ("POST", "/account/two-step/disable"): STAFF,
    ("POST", "/api/me/totp"): STAFF,
    ("POST", "/api/me/totp/confirm"): STAFF,
    ("POST", "/api/me/totp/disable"): STAFF,
    ("POST", "/admin/users/{user_id}/reset-access"): {"admin"},
    ("GET", "/admin/invitations"): {"admin"},
    ("POST", "/admin/invitations/{invitation_id}/resend"): {"admin"},
    ("POST", "/api/admin/users/{user_id}/reset-access"): {"admin"},
    ("GET", "/api/admin/invitations"): {"admin"},
    ("POST", "/api/admin/invitations/{invitation_id}/resend"): {"admin"},
    ("POST", "/logout"): EVERYONE,
    ("GET", "/manufacturers/{org_id}"): STAFF | {"manufacturer"},
    ("GET", "/needs"): STAFF | {"other_manufacturer", "other_supplier", "supplier", "manufacturer"},
    ("GET", "/needs/mine"): {"other_manufacturer", "manufacturer"},
    ("GET", "/needs/new"): {"other_manufacturer", "manufacturer"},
    ("POST", "/needs/new"): {"other_manufacturer", "manufacturer"},
    ("GET", "/needs/{need_id:int}"): STAFF | {"other_supplier", "supplier", "manufacturer"},
    ("POST", "/needs/{need_id:int}/close"): {"manufacturer"},
    ("GET", "/needs/{need_id:int}/edit"): {"manufacturer"},
    ("POST", "/needs/{need_id:int}/edit"): {"manufacturer"},
    ("POST", "/needs/{need_id:int}/publish"): {"manufacturer"},
    ("GET", "/needs/{need_id}/suggestions"): STAFF | {"manufacturer"},
    ("GET", "/profile"): {
        "other_manufacturer",
        "other_supplier",
        "applicant",
        "supplier",
        "manufacturer",
    },
    ("POST", "/profile/case-studies"): {"other_supplier", "applicant", "supplier"},
    ("GET", "/profile/case-studies/new"): {"other_supplier", "applicant", "supplier"},
    ("POST", "/profile/case-studies/{case_id}/delete"): {"supplier"},
    ("GET", "/profile/case-studies/{case_id}/edit"): {"supplier"},
    ("POST", "/profile/case-studies/{case_id}/edit"): {"supplier"},
    ("GET", "/profile/edit"): {
        "other_manufacturer",
        "other_supplier",
        "applicant",
        "supplier",
        "manufacturer",
    },
    ("POST", "/profile/edit"): {
        "other_manufacturer",
        "other_supplier",
        "applicant",
        "supplier",
        "manufacturer",
    },
    ("GET", "/recommendations"): {"other_supplier", "supplier"},
    ("GET", "/register"): EVERYONE,
    ("POST", "/register"): EVERYONE,
    ("GET", "/search"): SIGNED_IN,
    ("GET", "/suppliers"): STAFF | {"other_manufacturer", "manufacturer"},
    ("GET", "/suppliers/{org_id}"): SIGNED_IN,
    # bids (sealed bidding); bid-only routes are empty here: the world holds no bid
    ("GET", "/api/bids"): {"applicant", "other_supplier", "supplier"},
    ("GET", "/api/needs/{need_id}/bid"): set(),
    ("PUT", "/api/needs/{need_id}/bid"): {"applicant", "other_supplier", "supplier"},
    ("GET", "/api/needs/{need_id}/bid/versions"): set(),
    ("POST", "/api/needs/{need_id}/bid/withdraw"): set(),
    ("POST", "/api/needs/{need_id}/bid/confirm"): set(),
    ("GET", "/api/needs/{need_id}/bids"): STAFF | {"manufacturer"},
    ("GET", "/bids"): {"applicant", "other_supplier", "supplier"},
    ("GET", "/needs/{need_id:int}/bid"): {"other_supplier", "supplier"},
    ("POST", "/needs/{need_id:int}/bid"): {"other_supplier", "supplier"},
    ("POST", "/needs/{need_id:int}/bid/withdraw"): set(),
    ("POST", "/needs/{need_id:int}/bid/confirm"): set(),
    ("GET", "/needs/{need_id:int}/bids"): STAFF | {"manufacturer"},
    # engagements: the world holds one engagement of "manufacturer" with "supplier"
    ("GET", "/engagements"): SIGNED_IN,
    ("GET", "/engagements/board"): STAFF,
    ("GET", "/engagements/{engagement_id:int}"): STAFF | {"supplier", "manufacturer"},
    ("POST", "/engagements/{engagement_id:int}/move"): STAFF,
    ("POST", "/engagements/{engagement_id:int}/plan"): STAFF | {"supplier", "manufacturer"},
    ("POST", "/engagements/{engagement_id:int}/milestones"): STAFF | {"supplier", "manufacturer"},
    ("POST", "/engagements/{engagement_id:int}/milestones/{milestone_id:int}/deliver"): {
        "supplier"
    },
    ("POST", "/engagements/{engagement_id:int}/milestones/{milestone_id:int}/accept"): {
        "manufacturer"
    },
    ("POST", "/engagements/{engagement_id:int}/notes"): STAFF | {"supplier", "manufacturer"},
    ("POST", "/engagements/{engagement_id:int}/results"): STAFF | {"supplier", "manufacturer"},
    ("POST", "/engagements/{engagement_id:int}/results/{result_id:int}/verify"): STAFF,
    ("POST", "/engagements/{engagement_id:int}/results/{result_id:int}/reject"): STAFF,
    ("POST", "/engagements/{engagement_id:int}/review"): STAFF | {"supplier", "manufacturer"},
    ("GET", "/api/engagements"): SIGNED_IN,
    # agreements and payments (on the world's engagement): parties confirm, coordinators
    # amend and record tranches; empty bodies are a 422 for whoever passes the role check
    ("GET", "/engagements/{engagement_id:int}/agreement"): STAFF | {"supplier", "manufacturer"},
    ("POST", "/engagements/{engagement_id:int}/agreement/confirm"): STAFF
    | {"supplier", "manufacturer"},
    ("POST", "/engagements/{engagement_id:int}/agreement/amend"): STAFF,
    ("POST", "/engagements/{engagement_id:int}/agreement/files"): STAFF
    | {"supplier", "manufacturer"},
    ("POST", "/engagements/{engagement_id:int}/payments"): STAFF,
    ("POST", "/engagements/{engagement_id:int}/payments/{payment_id:int}/files"): STAFF,
    ("GET", "/api/engagements/{engagement_id}/agreement"): STAFF | {"supplier", "manufacturer"},
    ("POST", "/api/engagements/{engagement_id}/agreement/confirm"): SIGNED_IN,
    ("POST", "/api/engagements/{engagement_id}/agreement/amend"): STAFF,
    ("POST", "/api/engagements/{engagement_id}/agreement/files"): SIGNED_IN,
    ("POST", "/api/engagements/{engagement_id}/payments"): STAFF,
    ("POST", "/api/engagements/{engagement_id}/payments/{payment_id}/files"): STAFF,
    ("GET", "/api/engagements/board"): STAFF,
    ("GET", "/api/engagements/{engagement_id}"): STAFF | {"supplier", "manufacturer"},
    ("GET", "/api/engagements/{engagement_id}/report.pdf"): STAFF | {"supplier", "manufacturer"},
    ("GET", "/engagements/{engagement_id}/report.pdf"): STAFF | {"supplier", "manufacturer"},
    ("GET", "/coordinator/report.pdf"): STAFF,
    ("GET", "/coordinator/import"): STAFF,
    ("POST", "/coordinator/import"): STAFF,
    ("GET", "/api/dashboard/report.pdf"): STAFF,
    ("POST", "/api/engagements/{engagement_id}/moves"): SIGNED_IN,
    ("POST", "/api/engagements/{engagement_id}/plan"): SIGNED_IN,
    ("POST", "/api/engagements/{engagement_id}/milestones"): SIGNED_IN,
    ("POST", "/api/engagements/{engagement_id}/milestones/{milestone_id}/deliver"): {"supplier"},
    ("POST", "/api/engagements/{engagement_id}/milestones/{milestone_id}/accept"): {"manufacturer"},
    ("POST", "/api/engagements/{engagement_id}/notes"): SIGNED_IN,
    ("POST", "/api/engagements/{engagement_id}/results"): SIGNED_IN,
    ("POST", "/api/engagements/{engagement_id}/results/{result_id}/verify"): STAFF,
    ("POST", "/api/engagements/{engagement_id}/results/{result_id}/reject"): STAFF,
    ("POST", "/api/engagements/{engagement_id}/review"): SIGNED_IN,
    ("GET", "/api/bid-invitations"): {"applicant", "other_supplier", "supplier"},
    ("POST", "/api/needs/{need_id}/invitation/seen"): set(),
    ("POST", "/api/needs/{need_id}/invitations"): STAFF | {"manufacturer", "other_manufacturer"},
    ("GET", "/api/needs/{need_id}/questions"): STAFF
    | {"manufacturer", "other_supplier", "supplier"},
    ("POST", "/api/needs/{need_id}/questions"): {"applicant", "other_supplier", "supplier"},
    ("POST", "/api/needs/{need_id}/questions/answer"): {"manufacturer", "other_manufacturer"},
    ("GET", "/bids/invitations"): {"applicant", "other_supplier", "supplier"},
    ("POST", "/needs/{need_id:int}/invitation/open"): set(),
    ("POST", "/needs/{need_id:int}/invitations"): STAFF | {"manufacturer"},
    ("GET", "/needs/{need_id:int}/invite"): STAFF | {"manufacturer"},
    ("GET", "/needs/{need_id:int}/questions"): STAFF
    | {"manufacturer", "other_supplier", "supplier"},
    ("POST", "/needs/{need_id:int}/questions"): {"other_supplier", "supplier"},
    ("POST", "/needs/{need_id:int}/questions/answer"): {"manufacturer"},
    ("GET", "/api/awards"): STAFF,
    ("GET", "/api/needs/{need_id}/award"): set(),
    ("POST", "/api/needs/{need_id}/award"): {"manufacturer", "other_manufacturer"},
    ("POST", "/api/needs/{need_id}/award/approve"): STAFF,
    ("POST", "/api/needs/{need_id}/award/reject"): STAFF,
    # files: the world holds one (not confidential) drawing on the need, and no bid; uploads
    # sent without a file are a 422 for whoever passes the role check
    ("POST", "/api/needs/{need_id}/files"): MANUFACTURERS,
    ("GET", "/api/needs/{need_id}/files"): STAFF | {"other_supplier", "supplier", "manufacturer"},
    ("POST", "/api/needs/{need_id}/bid/files"): SUPPLIERS,
    ("GET", "/api/bids/{bid_id}/files"): set(),
    ("POST", "/api/engagements/{engagement_id}/results/{result_id}/files"): SUPPLIERS
    | MANUFACTURERS,
    ("GET", "/api/engagements/{engagement_id}/results/{result_id}/files"): STAFF
    | {"supplier", "manufacturer"},
    ("GET", "/api/files/{attachment_id}"): STAFF | {"other_supplier", "supplier", "manufacturer"},
    ("DELETE", "/api/files/{attachment_id}"): {"manufacturer"},
    ("POST", "/needs/{need_id:int}/files"): {"manufacturer"},
    ("POST", "/needs/{need_id:int}/files/{attachment_id:int}/remove"): {"manufacturer"},
    ("POST", "/needs/{need_id:int}/bid/files"): set(),
    ("POST", "/engagements/{engagement_id:int}/results/{result_id:int}/files"): {
        "supplier",
        "manufacturer",
    },
    ("GET", "/files/{attachment_id:int}"): STAFF | {"other_supplier", "supplier", "manufacturer"},
    ("POST", "/api/needs/{need_id}/questions/{question_id}/files"): MANUFACTURERS,
    ("GET", "/api/needs/{need_id}/questions/files"): STAFF
    | {"manufacturer", "other_supplier", "supplier"},
    ("POST", "/needs/{need_id:int}/questions/{question_id:int}/files"): set(),
    ("POST", "/api/engagements/{engagement_id}/milestones/{milestone_id}/files"): SUPPLIERS,
    ("GET", "/api/engagements/{engagement_id}/milestones/{milestone_id}/files"): STAFF
    | {"supplier", "manufacturer"},
    ("POST", "/engagements/{engagement_id:int}/milestones/{milestone_id:int}/files"): {"supplier"},
    # a supplier's application documents: its own users and staff read them (org_id names
    # the world's admitted supplier); every supplier attaches to its own, from its profile
    ("POST", "/api/suppliers/{org_id}/application/files"): SUPPLIERS,
    ("GET", "/api/suppliers/{org_id}/application/files"): STAFF | {"supplier"},
    ("POST", "/profile/application/files"): {"applicant", "other_supplier", "supplier"},
    # the world's attachment is a need's file: no supplier removes it (404); the applicant
    # removing its own is tests/files/test_work_files.py
    ("POST", "/profile/application/files/{attachment_id:int}/remove"): set(),
    ("POST", "/api/needs/{need_id}/bids/{org_id}/shortlist"): {"manufacturer"},
    ("GET", "/api/needs/{need_id}/proposals"): STAFF | {"manufacturer"},
    ("POST", "/api/needs/{need_id}/proposals"): STAFF,
    ("POST", "/api/needs/{need_id}/proposals/{org_id}/accept"): set(),
    ("POST", "/api/needs/{need_id}/proposals/{org_id}/decline"): set(),
    ("GET", "/awards"): STAFF,
    ("POST", "/needs/{need_id:int}/award"): {"manufacturer"},
    ("POST", "/needs/{need_id:int}/award/approve"): STAFF,
    ("POST", "/needs/{need_id:int}/award/reject"): STAFF,
    ("POST", "/needs/{need_id:int}/bids/{org_id:int}/shortlist"): {"manufacturer"},
    ("POST", "/needs/{need_id:int}/proposals"): STAFF,
    ("POST", "/needs/{need_id:int}/proposals/{org_id:int}/accept"): set(),
    ("POST", "/needs/{need_id:int}/proposals/{org_id:int}/decline"): set(),
    # readiness routing: a need's track (coordinators override)
    ("GET", "/api/needs/{need_id}/track"): STAFF | {"manufacturer"},
    ("PUT", "/api/needs/{need_id}/track"): STAFF,
    ("GET", "/coordinator/needs/{need_id}/track"): STAFF,
    ("POST", "/coordinator/needs/{need_id}/track"): STAFF,
    # cohorts: the world holds one, of a sponsor (not a persona here: see tests/cohorts)
    ("GET", "/api/cohorts"): STAFF,
    ("POST", "/api/cohorts"): STAFF,
    ("GET", "/api/cohorts/{cohort_id}"): STAFF,
    ("PUT", "/api/cohorts/{cohort_id}"): STAFF,
    ("DELETE", "/api/cohorts/{cohort_id}"): STAFF,
    ("POST", "/api/cohorts/{cohort_id}/members"): STAFF,
    ("POST", "/api/cohorts/{cohort_id}/members/remove"): STAFF,
    ("POST", "/api/cohorts/{cohort_id}/invitations"): STAFF,
    ("GET", "/coordinator/cohorts"): STAFF,
    ("GET", "/coordinator/cohorts/new"): STAFF,
    ("POST", "/coordinator/cohorts/new"): STAFF,
    ("GET", "/coordinator/cohorts/{cohort_id}"): STAFF,
    ("POST", "/coordinator/cohorts/{cohort_id}"): STAFF,
    ("POST", "/coordinator/cohorts/{cohort_id}/members"): STAFF,
    ("POST", "/coordinator/cohorts/{cohort_id}/members/remove"): STAFF,
    ("POST", "/coordinator/cohorts/{cohort_id}/invitations"): STAFF,
    ("POST", "/coordinator/cohorts/{cohort_id}/delete"): STAFF,
    ("GET", "/cohorts"): set(),
    # notifications: the world's "supplier" owns one notification and one saved search
    ("GET", "/notifications"): SIGNED_IN,
    ("POST", "/notifications/read-all"): SIGNED_IN,
    ("POST", "/notifications/{notification_id:int}/open"): {"supplier"},
    ("POST", "/notifications/{notification_id:int}/read"): {"supplier"},
    ("GET", "/account/notifications"): SIGNED_IN,
    ("POST", "/account/notifications"): SIGNED_IN,
    ("GET", "/saved-searches"): {"other_supplier", "supplier"},
    ("POST", "/saved-searches"): {"other_supplier", "supplier"},
    ("POST", "/saved-searches/{search_id:int}/delete"): {"supplier"},
    ("GET", "/saved-searches/{search_id:int}/preview"): {"supplier"},
    ("GET", "/api/notifications"): SIGNED_IN,
    ("GET", "/api/notifications/unread-count"): SIGNED_IN,
    ("POST", "/api/notifications/read-all"): SIGNED_IN,
    ("POST", "/api/notifications/{notification_id}/read"): {"supplier"},
    ("GET", "/api/notification-preferences"): SIGNED_IN,
    ("PUT", "/api/notification-preferences"): SIGNED_IN,
    ("GET", "/api/saved-searches"): {"other_supplier", "supplier"},
    ("POST", "/api/saved-searches"): {"applicant", "other_supplier", "supplier"},
    ("GET", "/api/saved-searches/{search_id}"): {"supplier"},
    ("GET", "/api/saved-searches/{search_id}/preview"): {"supplier"},
    ("PUT", "/api/saved-searches/{search_id}"): {"applicant", "other_supplier", "supplier"},
    ("DELETE", "/api/saved-searches/{search_id}"): {"supplier"},
    # exports (tests/exports): roles here; each persona's rows are its own (an outsider's
    # export is allowed and empty), and a sealed bid is in none (tests/test_sealed_everywhere)
    **{
        (method, path.format(kind=kind)): who
        for kind, who in EXPORTS.items()
        for method, path in (
            ("GET", "/api/exports/{kind}"),
            ("GET", "/exports/{kind}.csv"),
            ("GET", "/exports/{kind}.jsonl"),
        )
    },
    # programme dashboard: no persona sponsors a cohort here, so the sponsor's routes are
    # refused to all (tests/dashboard checks a sponsor's own access)
    ("GET", "/coordinator/dashboard"): STAFF,
    ("GET", "/coordinator/dashboard.csv"): STAFF,
    ("GET", "/programme"): EVERYONE,
    ("GET", "/programme.csv"): EVERYONE,
    ("GET", "/sponsor"): set(),
    ("GET", "/sponsor.csv"): set(),
    ("GET", "/api/dashboard"): STAFF,
    ("GET", "/api/dashboard/public"): EVERYONE,
    ("GET", "/api/home"): SIGNED_IN,
    ("GET", "/api/sponsor/dashboard"): set(),
    # assignment rounds and conflicts of interest: the world holds a draft round with one pair
    ("GET", "/api/conflicts"): STAFF,
    ("POST", "/api/conflicts"): STAFF,
    ("POST", "/api/conflicts/{conflict_id}/remove"): STAFF,
    ("GET", "/api/rounds"): STAFF,
    ("POST", "/api/rounds"): STAFF,
    ("GET", "/api/rounds/open-needs"): STAFF,
    ("GET", "/api/rounds/{round_id}"): STAFF,
    ("POST", "/api/rounds/{round_id}/solve"): STAFF,
    ("POST", "/api/rounds/{round_id}/pairs"): STAFF,
    ("POST", "/api/rounds/{round_id}/pairs/{pair_id}/remove"): STAFF,
    ("POST", "/api/rounds/{round_id}/pairs/{pair_id}/force"): STAFF,
    ("POST", "/api/rounds/{round_id}/release"): STAFF,
    ("POST", "/api/rounds/{round_id}/withdraw"): STAFF,
    ("GET", "/coordinator/conflicts"): STAFF,
    ("POST", "/coordinator/conflicts"): STAFF,
    ("POST", "/coordinator/conflicts/{conflict_id}/remove"): STAFF,
    ("GET", "/coordinator/rounds"): STAFF,
    ("POST", "/coordinator/rounds"): STAFF,
    ("GET", "/coordinator/rounds/new"): STAFF,
    ("GET", "/coordinator/rounds/{round_id}"): STAFF,
    ("POST", "/coordinator/rounds/{round_id}/solve"): STAFF,
    ("POST", "/coordinator/rounds/{round_id}/pairs"): STAFF,
    ("POST", "/coordinator/rounds/{round_id}/pairs/{pair_id}/remove"): STAFF,
    ("POST", "/coordinator/rounds/{round_id}/pairs/{pair_id}/force"): STAFF,
    ("POST", "/coordinator/rounds/{round_id}/release"): STAFF,
    ("POST", "/coordinator/rounds/{round_id}/withdraw"): STAFF,
}


def sponsor_with_cohort(session, manufacturer):
    """A sponsor user and its cohort, holding the owning manufacturer."""
    from tests.cohorts.helpers import make_cohort, make_sponsor

    sponsor = make_sponsor(session)
    return sponsor, make_cohort(session, sponsor, manufacturer)


def notification_ids(session, supplier) -> dict[str, object]:
    """A notification and a saved search of "supplier" (nobody else reaches them)."""
    from app.models import Notification, SavedSearch

    notification = Notification(user_id=supplier.id, kind="invited", params={"title": "t"})
    search = SavedSearch(
        organization_id=supplier.organization_id, user_id=supplier.id, name="비전", query="비전"
    )
    session.add_all([notification, search])
    session.flush()
    return {"notification": notification.id, "search": search.id}


def round_ids(session, need, supplier) -> dict[str, object]:
    """A draft round over the need with one shortlist pair, and a conflict of interest."""
    from app.models import ConflictKind, ConflictOfInterest, Round, RoundNeed, RoundPair

    pair = RoundPair(need_id=need.id, supplier_org_id=supplier.organization_id, score=0.5)
    round_ = Round(name="라운드", needs=[RoundNeed(need_id=need.id)], pairs=[pair])
    conflict = ConflictOfInterest(
        supplier_org_id=supplier.organization_id,
        manufacturer_org_id=need.organization_id,
        kind=ConflictKind.declared,
        reason="이해관계",
    )
    session.add_all([round_, conflict])
    session.flush()
    return {"round": round_.id, "pair": pair.id, "conflict": conflict.id}


def engagement_ids(session, manufacturer, supplier) -> dict[str, object]:
    """An engagement with one milestone, one recorded (unverified) result and, on its
    confirmed agreement, one payment tranche."""
    from datetime import date

    from app.models import KpiResult, Milestone, Payment, PaymentKind, ResultPhase, Stage

    engagement = make_engagement(session, manufacturer, supplier)
    milestone = Milestone(stage=Stage.consulting, title="현장 진단 보고서")
    engagement.milestones.append(milestone)
    result = KpiResult(phase=ResultPhase.demonstration, value=1.2, evidence="측정")
    engagement.kpis[0].results.append(result)
    session.flush()
    payment = Payment(
        engagement_id=engagement.id,
        milestone_id=milestone.id,
        kind=PaymentKind.subsidy,
        amount=0,
        paid_on=date(2026, 3, 2),
        reference="AIV-1",
    )
    session.add(payment)
    session.flush()
    ids = {"engagement": engagement.id, "milestone": milestone.id, "result": result.id}
    return ids | {"payment": payment.id}


def file_ids(session, owner, need, tmp_path) -> dict[str, object]:
    """A drawing on the need, its bytes in the app's own storage (the app's data folder is
    this test's tmp_path); "bid" names no bid (the world holds none)."""
    import io

    from app.config import UPLOAD_TYPES
    from app.files import service as files
    from app.files.storage import LocalStorage

    uploads = files.Uploads(LocalStorage(tmp_path / "files"), 1 << 20, UPLOAD_TYPES)
    target = files.need_target(session, owner, need.id)
    row = files.attach(session, uploads, owner, target, "도면.pdf", io.BytesIO(b"%PDF-1.4 x"))
    return {"attachment": row.id, "bid": 99_999}
