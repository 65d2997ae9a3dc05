"""Schemathesis over every JSON operation, as each role: no server error, and every response
matches the OpenAPI document (status codes, content types, bodies)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks

from app.accounts import service as accounts
from app.main import create_app
from app.models import Role
from tests.builders import make_manufacturer, make_need, make_staff, make_supplier

schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app())
CHECKS = [
    checks.response_schema_conformance,
    checks.status_code_conformance,
    checks.content_type_conformance,
]


def tokens(session) -> dict[str, str]:
    owner = make_manufacturer(session)
    make_need(session, owner)
    people = {
        "manufacturer": owner,
        "supplier": make_supplier(session),
        "coordinator": make_staff(session),
        "admin": make_staff(session, Role.admin),
    }
    return {
        role: accounts.create_api_token(session, user, "fuzz")[1] for role, user in people.items()
    }


@pytest.fixture
def auth_headers(session) -> dict[str, dict[str, str]]:
    found = tokens(session)
    session.commit()
    return {role: {"authorization": f"Bearer {token}"} for role, token in found.items()}


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_schema(case, client, auth_headers) -> None:
    for headers in auth_headers.values():
        kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
        kwargs.pop("cookies", None)
        if isinstance(kwargs.get("data"), bytes | str):
            kwargs["content"] = kwargs.pop("data")
        if kwargs.get("files"):  # generated non-binary "files" (numbers...) sent as their text
            kwargs["files"] = [(k, _as_file(v)) for k, v in _items(kwargs["files"])]
        request = client.build_request(**kwargs)
        request.read()  # multipart (file) bodies stream; the checks read the request back
        response = client.send(request)
        assert response.status_code < 500, response.text
        case.validate_response(response, checks=CHECKS)


def _items(files):  # type: ignore[no-untyped-def]
    return files.items() if isinstance(files, dict) else files


def _as_file(value):  # type: ignore[no-untyped-def]
    if isinstance(value, tuple):  # (filename, content, ...)
        return (value[0], _as_file(value[1]), *value[2:])
    if isinstance(value, bytes | str) or hasattr(value, "read"):
        return value
    return str(value).encode()
