"""Every role against every review endpoint: a role outside the endpoint's list gets 403; a role
inside it gets past the role check (to 404/409/422 on these unknown objects, never 401/403)."""

import uuid
from typing import Any

import httpx
import pytest

from common.auth import Role

X = "9e526ecf-5242-4bd6-a352-0f3ae5015b5d"  # fixed: xdist workers must collect the same ids
ALL = set(Role)
B, S, E, OWN = Role.bureau, Role.service, Role.expert, Role.demand_owner
WRITERS = ALL - {Role.provincial}  # the provincial role only reads (results, projects)
ENDPOINTS: list[tuple[str, str, set[Role]]] = [
    ("POST", "/api/v1/experts", {B}),
    ("GET", "/api/v1/experts", {B, S}),
    ("GET", f"/api/v1/experts/{X}", {B, S, E}),
    ("GET", f"/api/v1/experts/{X}/assignments", {B, S, E}),
    ("POST", "/api/v1/vettings/assignments", {B}),
    ("POST", "/api/v1/vettings", {B, E}),
    ("GET", f"/api/v1/vettings?demand_id={X}", {B, S, E, OWN}),
    ("POST", "/api/v1/panels", {B}),
    ("GET", f"/api/v1/panels/{X}", {B, S, E}),
    ("PUT", f"/api/v1/panels/{X}/scores/{X}", {E}),
    ("POST", f"/api/v1/panels/{X}/close", {B}),
    ("GET", f"/api/v1/results?challenge_id={X}", ALL),
    ("POST", f"/api/v1/results/{X}/choice", {B, OWN}),
    ("POST", f"/api/v1/results/{X}/horse-race", {B}),
    ("POST", f"/api/v1/results/{X}/publicity", {B}),
    ("POST", "/api/v1/objections", WRITERS - {Role.auditor}),  # the auditor is read-only
    ("GET", f"/api/v1/objections/{X}", WRITERS),
    ("POST", f"/api/v1/objections/{X}/answer", {OWN}),
    ("POST", f"/api/v1/objections/{X}/resolve", {B}),
    ("POST", "/api/v1/decisions", {B}),
    ("GET", f"/api/v1/projects/{X}", ALL),
    ("POST", f"/api/v1/projects/{X}/changes", WRITERS),
    ("POST", f"/api/v1/projects/{X}/changes/{X}/decision", {B}),
    ("POST", f"/api/v1/projects/{X}/acceptance", {B}),
    ("POST", f"/api/v1/projects/{X}/deliveries/retry", WRITERS),
]


@pytest.mark.parametrize("role", sorted(Role))
@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    ENDPOINTS,
    ids=[f"{m} {p.split('/api/v1/')[1]}" for m, p, _ in ENDPOINTS],
)
async def test_role_matrix(
    api: httpx.AsyncClient, auth: Any, role: Role, method: str, path: str, allowed: set[Role]
) -> None:
    headers = auth(role, org_id=uuid.uuid4(), sub=str(uuid.uuid4()))
    body = None if method == "GET" else {}
    response = await api.request(method, path, json=body, headers=headers)
    assert response.status_code != 500, response.text
    if role in allowed:
        assert response.status_code not in (401, 403), (role, response.text)
    else:
        assert response.status_code == 403, (role, response.text)


@pytest.mark.parametrize(("method", "path", "_"), ENDPOINTS)
async def test_no_token_is_401(api: httpx.AsyncClient, method: str, path: str, _: Any) -> None:
    response = await api.request(method, path, json=None if method == "GET" else {})
    assert response.status_code == 401
