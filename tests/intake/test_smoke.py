"""The whole intake lifecycle once, through the in-process gateway."""

from tests.intake.conftest import IN_PUBLICATION, Flow, clock


async def test_lifecycle_from_round_to_submitted_application(flow: Flow) -> None:
    challenge = await flow.challenge()
    lead = await flow.org()
    member = await flow.org(kind="university")
    created = await flow.application(
        challenge["id"],
        lead["id"],
        member_org_ids=[member["id"]],
        pi={"name": "Li Ming", "employed_by_lead": True},
        plan="A plan",
        total_budget="2000000.00",
        requested_subsidy="500000.00",
        documents=await flow.documents(
            lead["id"],
            "application_form",
            "consortium_plan",
            "consortium_agreement",
            "credit_commitment",
        ),
    )
    assert created.status_code == 201, created.text
    submitted = await flow.api.post(
        f"/api/v1/applications/{created.json()['id']}/submit",
        headers={**flow.solver(lead["id"]), **clock(IN_PUBLICATION)},
    )
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"
