"""Who may read a document is who may read the object it is filed under; everyone else 404.

An application's plan: its solver, the owner once results are public, the panel's experts
(a conflicted expert is never on the panel), the bureau. The acceptance opinion and audit
report: the project's owner and solver, the bureau, and auditors. Another city: nobody.
"""

from typing import Any

import httpx

from tests.review.conftest import Lifecycle, ok
from tests.review.test_flow_huzhou import approved_winner

ACCEPTANCE = {"outcome": "passed", "audited_total_investment": "20000000.00", "opinion": "通过"}
# owner, solver, other solver, assigned expert, conflicted expert, bureau, auditor, other city
MATRIX = {
    "application": [200, 200, 404, 200, 404, 200, 404, 404],
    "acceptance": [200, 200, 404, 404, 404, 200, 200, 404],
    "unattached": [404, 200, 404, 404, 404, 200, 404, 404],
}


async def world(hz: Lifecycle) -> dict[str, Any]:
    s, pid = await approved_winner(hz)
    winner, lead = s["apps"][1], s["leads"][1]
    application = ok(await hz.api.get(f"/api/v1/applications/{winner}", headers=hz.bureau))
    files = await hz.files("acceptance_opinion", "audit_report")
    ok(
        await hz.api.post(
            f"/api/v1/projects/{pid}/acceptance",
            headers=hz.bureau,
            json={**ACCEPTANCE, "documents": files},
        )
    )
    solver = hz.as_("solver", lead)
    draft = await hz.api.post(
        "/api/v1/documents",
        headers=solver,
        data={"kind": "other", "title": "草稿"},
        files={"file": ("草稿.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
    )
    # An expert of the lead's own organisation: conflicted, so review never seats it.
    [conflicted] = await hz.experts(1, org_id=lead)
    callers = [
        hz.as_("demand_owner", s["owner"]),
        solver,
        hz.as_("solver", s["leads"][0]),
        hz.expert(s["experts"][0]),
        hz.expert(conflicted),
        hz.bureau,
        hz.as_("auditor"),
        hz.auth("bureau", city="urumqi"),
    ]
    return {
        "callers": callers,
        "application": application["documents"][0]["document_id"],
        "acceptance": files[1]["document_id"],
        "unattached": draft.json()["id"],
    }


async def test_access_matrix(api: httpx.AsyncClient, auth: Any) -> None:
    hz = Lifecycle(api, auth)
    w = await world(hz)
    seen: dict[str, list[int]] = {}
    for target in MATRIX:
        doc = w[target]
        for headers in w["callers"]:
            meta = await hz.api.get(f"/api/v1/documents/{doc}", headers=headers)
            content = await hz.api.get(f"/api/v1/documents/{doc}/content", headers=headers)
            assert meta.status_code == content.status_code, (meta.text, content.text)
            seen.setdefault(target, []).append(meta.status_code)
    assert seen == MATRIX
