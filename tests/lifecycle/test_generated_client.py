"""A provincial platform's view: a Python client generated from ``openapi/gateway.json`` with
openapi-python-client at test time drives Urumqi's whole lifecycle through the real gateway.

Nothing here reads our code's models: requests are the generated models, answers are parsed by
the generated client, and the generator must report no problem with the spec (a clash or an
unsupported schema is fixed in the services, never in the output).
"""

import importlib
import io
import pkgutil
import random
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scripts import sample_files
from scripts.scenario import Timeline, credit_code, scores_around
from tests.memberships import register_live

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "jiebang_client"
CITY = "urumqi"


@pytest.fixture(scope="module")
def jc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """Generate the client into a temporary folder and import it from there."""
    out = tmp_path_factory.mktemp("generated")
    config = out / "config.yaml"
    config.write_text("post_hooks: []\n")  # no formatter run on the output; nothing else
    done = subprocess.run(
        [
            *(sys.executable, "-m", "openapi_python_client", "generate"),
            *("--path", str(ROOT / "openapi" / "gateway.json")),
            *("--output-path", str(out / PACKAGE), "--meta", "none", "--config", str(config)),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert "warning" not in report.lower() and "unable" not in report.lower(), report
    sys.path.insert(0, str(out))
    try:
        package = importlib.import_module(PACKAGE)
        for module in pkgutil.walk_packages(package.__path__, f"{PACKAGE}."):
            importlib.import_module(module.name)  # every generated module imports
        yield package
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


class Integrator:
    """The generated client, as an integrator uses it: one authenticated client per user."""

    def __init__(self, jc: ModuleType, base_url: str) -> None:
        self.jc = jc
        self.m = importlib.import_module(f"{PACKAGE}.models")
        self.types = importlib.import_module(f"{PACKAGE}.types")
        self.base_url = base_url
        self.anonymous = jc.Client(base_url=base_url, timeout=60)
        self.tokens: dict[tuple[str, str], str] = {}

    def op(self, tag: str, name: str) -> Any:
        """The generated module of operation ``name`` (e.g. ``demands_create``) under ``tag``."""
        return importlib.import_module(f"{PACKAGE}.api.{tag}.{name}")

    def user(
        self, role: str, sub: str, org_id: str | None = None, at: datetime | None = None
    ) -> Any:
        if (role, sub) not in self.tokens:
            body = self.m.DevTokenRequest(
                sub=sub,
                role=self.m.Role(role),
                city=CITY,
                org_id=uuid.UUID(org_id) if org_id else None,
            )
            dev_token = self.op("auth", "auth_dev_token")
            self.tokens[role, sub] = ok(
                dev_token.sync_detailed(client=self.anonymous, body=body)
            ).access_token
            if org_id:  # the bureau's membership record, not the token, says who acts for it
                register_live(CITY, sub, role, org_id)
        client = self.jc.AuthenticatedClient(
            base_url=self.base_url, token=self.tokens[role, sub], timeout=60
        )
        return client.with_headers({"X-Clock-Now": at.isoformat()}) if at else client

    def call(self, tag: str, name: str, status: int = 200, **kwargs: Any) -> Any:
        return ok(self.op(tag, name).sync_detailed(**kwargs), status)

    def files(self, client: Any, *kinds: str) -> list[Any]:
        """Upload one small PDF per kind with the generated multipart body; the references."""
        refs = []
        for kind in kinds:
            payload = io.BytesIO(sample_files.pdf(kind))
            body = self.m.DocumentsUploadBody(
                file=self.types.File(payload=payload, file_name=f"{kind}.pdf"),
                kind=kind,
                title=kind,
            )
            doc = self.call("documents", "documents_upload", 201, client=client, body=body)
            refs.append(self.m.DocumentRef(kind=kind, document_id=doc.id))
        return refs


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.parsed


def test_generated_client_drives_urumqi_end_to_end(jc: ModuleType, live: Any) -> None:
    it, m = Integrator(jc, live.gateway_url), importlib.import_module(f"{PACKAGE}.models")
    tag = uuid.uuid4().hex[:6]
    bureau = it.user("bureau", f"bureau-{tag}")
    rules = it.call("cities", "cities_read_ruleset", client=bureau, city=CITY)
    t = Timeline(
        opens=datetime.now(ZoneInfo(rules.timezone)).replace(hour=9, minute=0, second=0),
        collection_days=rules.rounds.collection_min_days.value,
        publication_days=rules.rounds.publication_min_days.value,
        publicity_days=rules.review.publicity_days.value,
    )

    def org(name: str, kind: str) -> str:
        body = m.OrganizationCreate(
            name=f"{name} {tag}",
            credit_code=credit_code(random.Random()),
            kind=m.OrganizationCreateKind(kind),
            revenue_last_year="10000000.00",
            rd_spend_last_year="500000.00",
        )
        return str(
            it.call("organizations", "organizations_create", 201, client=bureau, body=body).id
        )

    owner_org, solver_org = org("Owner", "enterprise"), org("Solver", "institute")

    # the annual subsidy budget (年度预算) of the approval year: one bureau user records it, a
    # second confirms it; an increase when the live database's year has its appropriation
    def budget_entry(kind: str) -> Any:
        body = m.BudgetEntryCreate(
            year=t.after_publicity.year,
            kind=m.BudgetEntryCreateKind(kind),
            amount="50000000.00",
            reason=f"年度预算 {tag}",
        )
        return it.op("budgets", "budgets_record_entry").sync_detailed(client=bureau, body=body)

    entry = budget_entry("appropriation")
    entry = ok(entry if entry.status_code != 409 else budget_entry("increase"), 201)
    confirmed = it.call(
        "budgets",
        "budgets_confirm_entry",
        client=it.user("bureau", f"checker-{tag}"),
        entry_id=entry.id,
    )
    assert confirmed.status == "confirmed"

    def owner(at: datetime | None = None) -> Any:
        return it.user("demand_owner", f"owner-{tag}", owner_org, at)

    def solver(at: datetime | None = None) -> Any:
        return it.user("solver", f"solver-{tag}", solver_org, at)

    # round, demand, vetting, publication
    round_ = it.call(
        "rounds",
        "rounds_open",
        201,
        client=it.user("bureau", f"bureau-{tag}", at=t.opens),
        body=m.RoundCreate(
            title=f"generated-client round {tag}",
            fields_open=["equipment_manufacturing"],
            collection_opens_at=t.opens,
            collection_closes_at=t.collection_closes,
            publication_opens_at=t.publication_opens,
            publication_closes_at=t.publication_closes,
        ),
    )
    demand = it.call(
        "demands",
        "demands_create",
        201,
        client=owner(t.in_collection),
        body=m.DemandCreate(
            round_id=round_.id,
            category=m.DemandCreateCategory.TECH_BREAKTHROUGH,
            title=f"Gearbox for deep wells {tag}",
            field="equipment_manufacturing",
            problem="Gearboxes fail under high torque",
            core_indicators=[
                m.CoreIndicator(name="mean time between failures", target=">= 5000", unit="h")
            ],
            due_months=24,
            expected_results="A field-tested gearbox",
            end_users="Drilling contractors",
            total_investment="12000000.00",
            bounty_amount="8000000.00",
            project_manager=m.ProjectManager(name="Wang Li"),
            documents=it.files(
                owner(), *[d.kind for d in rules.documents.demand if d.categories is None]
            ),
        ),
    )
    assert demand.status == "draft"
    submitted = it.call(
        "demands",
        "demands_submit",
        client=owner(t.in_collection),
        demand_id=demand.id,
        # no body: it is optional, and one schema (not anyOf null) so nothing UNSET is sent
    )
    assert submitted.status == "submitted"

    def expert(i: int) -> str:
        body = m.ExpertCreate(
            name=f"Expert {i} {tag}", org_id=uuid.uuid4(), fields=["equipment_manufacturing"]
        )
        return str(it.call("experts", "experts_register", 201, client=bureau, body=body).id)

    vetter = expert(0)
    it.call(
        "vettings",
        "vettings_assign_experts",
        201,
        client=bureau,
        body=m.AssignmentCreate(demand_id=demand.id, expert_ids=[uuid.UUID(vetter)]),
    )
    criteria = m.VettingCreateCriteria()
    for name in rules.vetting.criteria:
        criteria[name] = m.CriterionAssessment(score="85", note="sound")
    vetting = it.call(
        "vettings",
        "vettings_file",
        201,
        client=it.user("expert", vetter),
        body=m.VettingCreate(
            demand_id=demand.id, criteria=criteria, verdict=m.VettingCreateVerdict.PASS
        ),
    )
    assert vetting.verdict == "pass"
    challenge = it.call(
        "demands",
        "demands_publish",
        201,
        client=it.user("bureau", f"bureau-{tag}", at=t.in_publication),
        demand_id=demand.id,
    )

    # application, panel, scores, owner's choice, publicity, decision
    kinds = [
        k for c in rules.categories if c.code == "tech_breakthrough" for k in c.required_documents
    ]
    documents = it.files(solver(), *kinds)
    application = it.call(
        "applications",
        "applications_create",
        201,
        client=solver(t.in_publication),
        challenge_id=challenge.id,
        body=m.ApplicationCreate(
            lead_org_id=uuid.UUID(solver_org),
            pi=m.Pi(name="Li Ming", employed_by_lead=True),
            plan="Hardened gears and a new lubrication loop",
            total_budget="8000000.00",
            documents=documents,
        ),
    )
    assert (
        it.call(
            "applications",
            "applications_submit",
            client=solver(t.in_publication),
            application_id=application.id,
        ).status
        == "submitted"
    )

    stage = rules.review.stages[0].code
    reviewer = it.user("bureau", f"bureau-{tag}", at=t.review)  # the window has closed
    experts = [expert(i) for i in range(1, rules.review.panel.min_size.value + 1)]
    panel = it.call(
        "panels",
        "panels_form",
        201,
        client=reviewer,
        body=m.PanelCreate(
            round_id=round_.id,
            stage=stage,
            challenge_ids=[challenge.id],
            expert_ids=[uuid.UUID(e) for e in experts],
        ),
    )
    for e, score in zip(experts, scores_around(82, len(experts)), strict=True):
        it.call(
            "panels",
            "panels_put_score",
            204,
            client=it.user("expert", e),
            panel_id=panel.id,
            application_id=application.id,
            body=m.ScoreWrite(score=score, comment="meets the indicators"),
        )
    assert it.call("panels", "panels_close", client=reviewer, panel_id=panel.id).status == "closed"
    it.call(
        "results",
        "results_choose_winner",
        client=owner(),
        challenge_id=challenge.id,
        body=m.ChoiceCreate(application_id=application.id),
    )
    public = it.call(
        "results",
        "results_open_publicity",
        client=it.user("bureau", f"bureau-{tag}", at=t.review),
        challenge_id=challenge.id,
    )
    assert public.status == "public"
    [result] = public.items
    assert (result.total, result.band, result.winner) == ("82.00", "qualified", True)
    after = it.user("bureau", f"bureau-{tag}", at=t.after_publicity)
    decision = it.call(
        "decisions",
        "decisions_decide",
        201,
        client=after,
        body=m.DecisionCreate(
            challenge_id=challenge.id,
            application_id=application.id,
            outcome=m.DecisionCreateOutcome.APPROVE,
            agreement_signed_at=t.after_publicity - timedelta(days=1),
            documents=it.files(after, *[d.kind for d in rules.documents.decision]),
        ),
    )
    assert decision.outcome == "approved"
    project_id = decision.project_id

    # money: 40 % of 8,000,000 in two tranches, four eyes, acceptance and settlement
    auditor = it.user("auditor", f"auditor-{tag}")
    plan = it.call("funding", "funding_read_plan", client=auditor, project_id=project_id)
    assert plan.subsidy_cap == "3200000.00"
    assert [(tr.seq, tr.amount, tr.status) for tr in plan.tranches] == [
        (1, "1600000.00", "due"),
        (2, "1600000.00", "planned"),
    ]

    def pay(seq: int) -> Any:
        requested = it.call(
            "disbursements",
            "disbursements_disburse",
            201,
            client=after,
            body=m.DisbursementCreate(project_id=project_id, tranche_seq=seq),
            idempotency_key=f"gen-{tag}-{seq}",
        )
        assert requested.status == "pending_approval"
        checker = it.user("bureau", f"checker-{tag}", at=t.after_publicity)
        return it.call(
            "disbursements", "disbursements_approve", client=checker, disbursement_id=requested.id
        )

    assert pay(1).status == "paid"
    duties = it.call(
        "projects",
        "projects_record_owner_duties",
        client=owner(),
        project_id=project_id,
        body=m.OwnerDutiesCreate(
            letter_signed_on=t.after_publicity.date(),
            project_manager=m.ProjectManagerNamed(name="Wang Li"),
        ),
    )
    assert duties.owner_duties["project_manager"]["name"] == "Wang Li"  # URC 三(四)
    project = it.call(
        "projects",
        "projects_record_acceptance",
        client=it.user("bureau", f"bureau-{tag}", at=t.acceptance),
        project_id=project_id,
        body=m.ProjectAcceptanceCreate(
            outcome=m.ProjectAcceptanceCreateOutcome.PASSED,
            audited_total_investment="12000000.00",
            audited_bounty_paid="8000000.00",
            opinion="通过验收",
            accepted_by=m.AcceptedBy(kind=m.AcceptedByKind.THIRD_PARTY, name="新疆科技评估中心"),
            audit_report=m.AuditReport(firm_name="天山会计师事务所"),
            documents=it.files(after, *[d.kind for d in rules.documents.acceptance]),
        ),
    )
    assert project.status == "accepted"
    settled = it.call(
        "settlements",
        "settlements_settle",
        201,
        client=it.user("bureau", f"bureau-{tag}", at=t.acceptance),
        body=m.SettlementCreate(project_id=project_id),
        idempotency_key=f"gen-{tag}-settle",
    )
    assert (settled.recomputed_subsidy, settled.remaining) == ("3200000.00", "1600000.00")
    assert settled.clawback is None
    assert pay(2).amount == "1600000.00"
    final = it.call("funding", "funding_read_plan", client=auditor, project_id=project_id)
    assert (final.paid, final.outstanding, final.status) == ("3200000.00", "0.00", "settled")
    balances = it.call("ledger", "ledger_balances", client=auditor, project_id=project_id)
    assert {b.account.split(":")[-1]: b.balance for b in balances.items} == {
        "subsidy_budget": "-3200000.00",
        "solver_paid": "3200000.00",
    }
    assert it.call("ledger", "ledger_verify", client=auditor).ok is True
