"""Review's steps that need files: checked with intake (kind, uploader, not filed elsewhere,
required kinds with their clauses), filed in intake through the outbox, listed on the project."""

from tests.documents import refs
from tests.review.conftest import AFTER_PUBLICITY, REVIEW_TIME, Lifecycle, ok
from tests.review.test_flow_huzhou import approved_winner
from tests.review.test_flow_urumqi import _consents, _reviewed

ACCEPTANCE = {"outcome": "passed", "audited_total_investment": "20000000.00", "opinion": "通过"}


async def test_acceptance_needs_its_files_from_a_party(hz: Lifecycle) -> None:
    s, pid = await approved_winner(hz)
    url = f"/api/v1/projects/{pid}/acceptance"
    bare = await hz.api.post(url, headers=hz.bureau, json=ACCEPTANCE)
    assert bare.status_code == 422, bare.text
    assert [(e["code"], e["clause"]) for e in bare.json()["errors"]] == [
        ("ruleset.required_document", "HZ 三(八)"),
        ("ruleset.required_document", "HZ 三(六)"),
    ]
    stranger = hz.as_("solver", await hz.org())
    foreign = await refs(hz.api, stranger, "audit_report")
    opinion = await hz.files("acceptance_opinion")
    refused = await hz.api.post(
        url, headers=hz.bureau, json={**ACCEPTANCE, "documents": opinion + foreign}
    )
    assert refused.status_code == 422 and refused.json()["code"] == "document.not_entitled"
    mislabelled = [{"kind": "audit_report", "document_id": opinion[0]["document_id"]}]
    wrong = await hz.api.post(
        url, headers=hz.bureau, json={**ACCEPTANCE, "documents": opinion + mislabelled}
    )
    assert wrong.status_code == 422 and wrong.json()["code"] == "document.kind_mismatch"
    application = ok(await hz.api.get(f"/api/v1/applications/{s['apps'][1]}", headers=hz.bureau))
    filed = application["documents"][0]
    reused = [{"kind": filed["kind"], "document_id": filed["document_id"]}]
    taken = await hz.api.post(
        url, headers=hz.bureau, json={**ACCEPTANCE, "documents": opinion + reused}
    )
    assert taken.status_code in (409, 422)  # filed under the application (and not a report)
    solver = hz.as_("solver", s["leads"][1])
    report = await refs(hz.api, solver, "audit_report")  # the solver's accounting firm's report
    project = ok(
        await hz.api.post(
            url, headers=hz.bureau, json={**ACCEPTANCE, "documents": opinion + report}
        )
    )
    assert project["status"] == "accepted"
    assert {(d["object_type"], d["kind"]) for d in project["documents"]} == {
        ("acceptance", "acceptance_opinion"),
        ("acceptance", "audit_report"),
    }
    for doc in project["documents"]:
        assert doc["download_url"] == f"/api/v1/documents/{doc['document_id']}/content"
        meta = ok(await hz.api.get(f"/api/v1/documents/{doc['document_id']}", headers=hz.bureau))
        assert (meta["attached_type"], meta["attached_id"]) == ("acceptance", pid)


async def test_member_change_needs_the_new_consortium_plan_and_agreement(hz: Lifecycle) -> None:
    s, pid = await approved_winner(hz)
    solver = hz.as_("solver", s["leads"][1])
    change = {"kind": "member_change", "member_org_ids": [await hz.org(kind="university")]}
    url = f"/api/v1/projects/{pid}/changes"
    bare = await hz.api.post(url, headers=solver, json=change)
    assert bare.status_code == 422 and bare.json()["clause"] == "HZ 三(七)"
    files = await refs(hz.api, solver, "consortium_plan", "consortium_agreement")
    created = ok(await hz.api.post(url, headers=solver, json={**change, "documents": files}), 201)
    project = ok(await hz.api.get(f"/api/v1/projects/{pid}", headers=hz.bureau))
    assert {d["document_id"] for d in project["documents"]} == {f["document_id"] for f in files}
    assert {d["object_id"] for d in project["documents"]} == {created["id"]}
    # The owner reads the change's files as a party of the project.
    owner = hz.as_("demand_owner", s["owner"])
    content = await hz.api.get(project["documents"][0]["download_url"], headers=owner)
    assert content.status_code == 200 and content.content.startswith(b"%PDF-")


async def test_a_signed_agreement_is_a_stored_file(urc: Lifecycle) -> None:
    """URC 二(五): approving with a signed agreement needs the agreement's file."""
    s = await _reviewed(urc, n_apps=1)
    cid = s["challenge"]["id"]
    race = {"consents": _consents(s["apps"])}
    ok(await urc.api.post(f"/api/v1/results/{cid}/horse-race", headers=urc.bureau, json=race))
    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/publicity", headers={**urc.bureau, **REVIEW_TIME}
        )
    )
    body = {
        "challenge_id": cid,
        "application_id": s["apps"][0],
        "outcome": "approve",
        "agreement_signed_at": "2025-05-01T10:00:00+08:00",
    }
    after = {**urc.bureau, **AFTER_PUBLICITY}
    bare = await urc.api.post("/api/v1/decisions", headers=after, json=body)
    assert bare.status_code == 422, bare.text
    assert (bare.json()["code"], bare.json()["clause"]) == (
        "ruleset.required_document",
        "URC 二(五)",
    )
    agreement = await urc.files("agreement")
    decision = ok(
        await urc.api.post(
            "/api/v1/decisions", headers=after, json={**body, "documents": agreement}
        ),
        201,
    )
    assert [d["document_id"] for d in decision["documents"]] == [agreement[0]["document_id"]]
    project = ok(
        await urc.api.get(f"/api/v1/projects/{decision['project_id']}", headers=urc.bureau)
    )
    assert [(d["object_type"], d["object_id"]) for d in project["documents"]] == [
        ("decision", decision["id"])
    ]
