from tests.builders import PASSWORD, make_manufacturer, make_supplier


def test_register_through_api_returns_a_working_token(client) -> None:
    body = {
        "kind": "manufacturer",
        "organization_name": "김해금속",
        "business_number": "220-81-62517",
        "name": "박대표",
        "email": "park@gimhae.example.kr",
        "password": PASSWORD,
        "consent": True,
    }
    response = client.post("/api/register", json=body)
    assert response.status_code == 201
    token = response.json()["token"]
    me = client.get("/api/me", headers={"authorization": f"Bearer {token}"})
    assert me.json()["role"] == "manufacturer"


def test_api_rejects_wrong_types_and_unknown_fields(client) -> None:
    body = {
        "kind": "manufacturer",
        "organization_name": 123,
        "name": "x",
        "email": "a@b.kr",
        "password": PASSWORD,
        "admin": True,
    }
    response = client.post("/api/register", json=body)
    assert response.status_code == 422
    fields = {tuple(e["loc"])[-1] for e in response.json()["detail"]}
    assert {"organization_name", "admin"} <= fields


def test_token_login_and_revocation(client, session) -> None:
    user = make_supplier(session)
    session.flush()
    response = client.post("/api/tokens/login", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201
    token, token_id = response.json()["token"], response.json()["id"]
    auth = {"authorization": f"Bearer {token}"}
    assert client.get("/api/tokens", headers=auth).status_code == 200
    assert client.delete(f"/api/tokens/{token_id}", headers=auth).status_code == 200
    revoked = client.get("/api/me", headers=auth)
    assert revoked.status_code == 401 and revoked.json()["error"] == "unauthenticated"


def test_token_login_wrong_password_is_401_and_counts_toward_throttle(client, session) -> None:
    user = make_manufacturer(session)
    session.flush()
    for _ in range(5):
        bad = client.post("/api/tokens/login", json={"email": user.email, "password": "nope"})
        assert bad.status_code == 401
    good = client.post("/api/tokens/login", json={"email": user.email, "password": PASSWORD})
    assert good.status_code == 429


def test_other_users_token_cannot_be_revoked(client, session) -> None:
    alice, bob = make_manufacturer(session), make_manufacturer(session, name="다른회사")
    session.flush()
    alice_token = client.post(
        "/api/tokens/login", json={"email": alice.email, "password": PASSWORD}
    ).json()
    bob_token = client.post(
        "/api/tokens/login", json={"email": bob.email, "password": PASSWORD}
    ).json()
    response = client.delete(
        f"/api/tokens/{alice_token['id']}",
        headers={"authorization": f"Bearer {bob_token['token']}"},
    )
    assert response.status_code == 404


def test_api_without_credentials_is_401_json(client) -> None:
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


def test_invitation_through_api(client, session) -> None:
    user = make_manufacturer(session)
    session.flush()
    token = client.post(
        "/api/tokens/login", json={"email": user.email, "password": PASSWORD}
    ).json()["token"]
    auth = {"authorization": f"Bearer {token}"}
    response = client.post(
        "/api/organization/invitations", json={"email": "x@y.example.kr"}, headers=auth
    )
    assert response.status_code == 201
    assert "/invitations/" in response.json()["accept_url"]


def test_nul_characters_are_refused_before_the_database(client) -> None:
    body = {
        "kind": "manufacturer",
        "organization_name": "김해\x00금속",
        "name": "박대표",
        "email": "nul@gimhae.example.kr",
        "password": PASSWORD,
    }
    assert client.post("/api/register", json=body).status_code == 422
