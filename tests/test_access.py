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
def world(session) -> World:
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
    token = accounts.create_api_token(session, owner, "t")[0]
    _, secret = accounts.invite(session, owner, "invitee@mfr.example.kr")
    ids = {
        "need": need.id,
        "manufacturer_org": owner.organization_id,
        "supplier_org": supplier.organization_id,
        "case": make_case_study(session, supplier).id,
        "user": owner.id,
        "token": token.id,
        "secret": secret,
    }
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
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("GET", "/"): EVERYONE,
    ("GET", "/account"): SIGNED_IN,
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
    ("GET", "/api/coordinator/audit"): STAFF,
    ("GET", "/api/coordinator/organizations"): STAFF,
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
    ("PUT", "/api/needs/{need_id}"): {"other_manufacturer", "manufacturer"},
    ("POST", "/api/needs/{need_id}/close"): {"manufacturer"},
    ("POST", "/api/needs/{need_id}/publish"): {"manufacturer"},
    ("GET", "/api/needs/{need_id}/suggestions"): STAFF | {"manufacturer"},
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
    ("GET", "/coordinator/audit"): STAFF,
    ("GET", "/coordinator/organizations"): STAFF,
    ("GET", "/coordinator/organizations/{org_id}"): STAFF,
    ("GET", "/coordinator/suppliers/{org_id}/membership"): STAFF,
    ("POST", "/coordinator/suppliers/{org_id}/membership"): STAFF,
    ("GET", "/healthz"): EVERYONE,
    ("GET", "/invitations/{secret}"): EVERYONE,
    ("POST", "/invitations/{secret}"): EVERYONE,
    ("POST", "/lang"): EVERYONE,
    ("GET", "/login"): EVERYONE,
    ("POST", "/login"): EVERYONE,
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
}
