"""The whole 揭榜挂帅 lifecycle of both cities, driven only through the public gateway API.

Every request is one a real user would send: the bureau opens a round, enterprises post
demands, experts vet them, the bureau publishes, solvers answer, panels score, results go on
public notice (公示), the bureau decides, finance pays, the project is accepted and settled.
Tokens come from ``POST /api/v1/auth/dev-token`` and time moves with the ``X-Clock-Now`` header
(dev/test mode only), so collection and publication windows, the publicity period and
acceptance pass in seconds. The mechanics (review stages, panel size, required documents,
window minima, publicity days) are read from the city's rule set as served by the gateway;
the scenario brings only the story's inputs (the DOMAIN.md §5 worked examples). Every run is
unique (fresh organisations, credit codes and titles), so it can run again and again against
the same database — ``make demo``, the lifecycle tests and ``make bench`` all use it.
"""

import asyncio
import random
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from scripts import sample_files

API = "/api/v1"
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# The bureau's own choice of window length where the rule set names no minimum.
DEFAULT_WINDOW_DAYS = 30
# Each run's share of the city's annual subsidy budget (年度预算), well above its plans' caps.
RUN_BUDGET = "50000000.00"
ZERO = Decimal("0.00")


class ScenarioError(RuntimeError):
    """The platform answered a step with something a real user would not expect."""


@dataclass(frozen=True)
class User:
    role: str
    sub: str
    org_id: str | None = None


@dataclass
class CitySummary:
    """What one city's run produced: counts for people, ids and observations for tests.

    ``ids`` names every object by its part in the story (``demand:hz_a``, ``app:priority``);
    ``history`` lists each object's statuses in the order the API reported them;
    ``amounts`` holds money as the API reported it (strings, to the fen).
    """

    city: str
    round_ids: list[str] = field(default_factory=list)
    demands: int = 0
    challenges: int = 0
    applications: int = 0
    winners: int = 0
    subsidy_paid: Decimal = ZERO
    clawbacks: int = 0
    clawed_back: Decimal = ZERO
    project_ids: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    amounts: dict[str, str] = field(default_factory=dict)
    history: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    bands: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Talking to the gateway


def _expect(answer: httpx.Response, status: int) -> Any:
    if answer.status_code != status:
        raise ScenarioError(
            f"{answer.request.method} {answer.request.url.path} → {answer.status_code}"
            f" (wanted {status}): {answer.text[:800]}"
        )
    return answer.json() if answer.content else None


class Gateway:
    """One city's users on the gateway: a token per identity, minted once; the clock pinned."""

    def __init__(self, client: httpx.AsyncClient, city: str) -> None:
        self.client = client
        self.city = city
        self.tag = uuid.uuid4().hex[:6]
        self.rng = random.Random()
        self.tokens: dict[User, str] = {}
        self.rules: dict[str, Any] = {}
        self.summary = CitySummary(city=city)
        self.bureau = User("bureau", f"bureau-{self.tag}-a")
        self.checker = User("bureau", f"bureau-{self.tag}-b")  # four eyes: a second person
        self.auditor = User("auditor", f"auditor-{self.tag}")

    async def token(self, user: User) -> str:
        if user not in self.tokens:
            body = {"sub": user.sub, "role": user.role, "city": self.city}
            if user.org_id:
                body["org_id"] = user.org_id
            answer = await self.client.post(f"{API}/auth/dev-token", json=body)
            self.tokens[user] = _expect(answer, 200)["access_token"]
            if user.org_id and user.role in ("demand_owner", "solver"):
                await self.register_membership(user)
        return self.tokens[user]

    async def register_membership(self, user: User) -> None:
        """The bureau records who acts for which organisation; a token's org_id alone counts
        for nothing."""
        body = {
            "subject": user.sub,
            "person_name": f"{user.role} {user.sub}",
            "role": user.role,
            "org_id": user.org_id,
        }
        await self.call(self.bureau, "POST", "/memberships", json=body, expect=201)

    async def call(
        self,
        user: User,
        method: str,
        path: str,
        *,
        at: datetime | None = None,
        expect: int = 200,
        json: Any = None,
        params: dict[str, Any] | None = None,
        key: str | None = None,
    ) -> Any:
        headers = {"Authorization": f"Bearer {await self.token(user)}"}
        if at is not None:
            headers["X-Clock-Now"] = at.isoformat()
        if key is not None:
            headers["Idempotency-Key"] = key
        answer = await self.client.request(
            method, API + path, json=json, params=params, headers=headers
        )
        return _expect(answer, expect)

    async def files(self, user: User, kinds: list[str]) -> list[dict[str, str]]:
        """Upload one small real PDF per kind as ``user`` (file named in Chinese where the rule
        set gives a name); the platform computes each sha256."""
        names = {
            d["kind"]: d.get("name_zh")
            for step in self.rules.get("documents", {}).values()
            if isinstance(step, list)
            for d in step
            if isinstance(d, dict)
        }
        out = []
        for kind in kinds:
            title = names.get(kind) or kind
            answer = await self.client.post(
                f"{API}/documents",
                data={"kind": kind, "title": title},
                files={"file": (f"{title}.pdf", sample_files.pdf(kind), "application/pdf")},
                headers={"Authorization": f"Bearer {await self.token(user)}"},
            )
            out.append({"kind": kind, "document_id": _expect(answer, 201)["id"]})
        return out

    def name(self, label: str, object_id: str) -> str:
        self.summary.ids[label] = object_id
        return object_id

    def saw(self, label: str, status: str) -> None:
        """Keep each object's transitions: a status read again unchanged is not a new one."""
        seen = self.summary.history[label]
        if not seen or seen[-1] != status:
            seen.append(status)

    def unique(self, text: str) -> str:
        return f"{text} [{self.tag}]"


def credit_code(rng: random.Random) -> str:
    """A fresh, valid 统一社会信用代码 (GB 32100-2015 check digit)."""
    body = "91" + "".join(rng.choice("0123456789") for _ in range(6))
    body += "".join(rng.choice(CREDIT_CHARS) for _ in range(9))
    weights = [pow(3, i, 31) for i in range(17)]
    remainder = sum(CREDIT_CHARS.index(c) * w for c, w in zip(body, weights, strict=True)) % 31
    return body + CREDIT_CHARS[(31 - remainder) % 31]


# --------------------------------------------------------------------------------------------
# Time: every step's moment, from the rule set's windows and publicity period


def _days(limit: dict[str, Any] | None) -> int:
    return int(limit["value"]) if limit else DEFAULT_WINDOW_DAYS


@dataclass(frozen=True)
class Timeline:
    """Collection opens today at 09:00 in the city's time zone; the rest follows from it."""

    opens: datetime
    collection_days: int
    publication_days: int
    publicity_days: int

    @classmethod
    def of(cls, rules: dict[str, Any]) -> "Timeline":
        today = datetime.now(ZoneInfo(rules["timezone"]))
        publicity = rules["review"].get("publicity_days") or {"value": 0}
        return cls(
            opens=today.replace(hour=9, minute=0, second=0, microsecond=0),
            collection_days=_days(rules["rounds"].get("collection_min_days")),
            publication_days=_days(rules["rounds"].get("publication_min_days")),
            publicity_days=int(publicity["value"]),
        )

    @property
    def collection_closes(self) -> datetime:
        return self.opens + timedelta(days=self.collection_days)

    @property
    def publication_opens(self) -> datetime:
        return self.collection_closes + timedelta(days=1)

    @property
    def publication_closes(self) -> datetime:
        return self.publication_opens + timedelta(days=self.publication_days)

    @property
    def in_collection(self) -> datetime:
        return self.opens + timedelta(days=1)

    @property
    def in_publication(self) -> datetime:
        return self.publication_opens + timedelta(days=1)

    @property
    def review(self) -> datetime:
        return self.publication_closes + timedelta(days=1)

    @property
    def during_publicity(self) -> datetime:
        return self.review + timedelta(hours=2)

    @property
    def after_publicity(self) -> datetime:
        return self.review + timedelta(days=self.publicity_days + 1)

    @property
    def acceptance(self) -> datetime:
        return self.after_publicity + timedelta(days=365)


# --------------------------------------------------------------------------------------------
# Lifecycle steps, in order


async def appropriate_budget(gw: Gateway, t: Timeline) -> None:
    """The bureau records the subsidy budget of the year the story approves in and a second
    bureau user confirms it (four eyes); when the year has its appropriation already (other
    runs against the same database) this run adds an increase, waiting while another run's
    appropriation awaits its confirmation."""
    body = {
        "year": t.after_publicity.year,
        "amount": RUN_BUDGET,
        "reason": "市级科技计划 揭榜挂帅 年度财政补助预算",
        "reference": f"budget-{gw.tag}",
    }
    headers = {"Authorization": f"Bearer {await gw.token(gw.bureau)}"}
    for _ in range(100):
        answer = await gw.client.post(f"{API}/budgets", json=body, headers=headers)
        code = answer.json().get("code") if answer.status_code == 409 else None
        if code == "budget.already_appropriated":
            body["kind"] = "increase"
        elif code == "budget.not_appropriated":
            await asyncio.sleep(0.1)
        else:
            break
    entry = _expect(answer, 201)
    gw.saw("budget", entry["status"])
    confirmed = await gw.call(gw.checker, "POST", f"/budgets/entries/{entry['id']}/confirm")
    gw.saw("budget", confirmed["status"])


async def register_org(
    gw: Gateway, label: str, kind: str = "enterprise", county: str | None = None
) -> str:
    """The bureau registers an organisation (revenue 10 M, R&D 0.5 M last year)."""
    body = {
        "name": gw.unique(label),
        "credit_code": credit_code(gw.rng),
        "kind": kind,
        "county": county,
        "revenue_last_year": "10000000.00",
        "rd_spend_last_year": "500000.00",
    }
    org = await gw.call(gw.bureau, "POST", "/organizations", json=body, expect=201)
    return gw.name(f"org:{label}", org["id"])


async def open_round(gw: Gateway, t: Timeline, title: str, fields: list[str]) -> str:
    body = {
        "title": gw.unique(title),
        "fields_open": fields,
        "collection_opens_at": t.opens.isoformat(),
        "collection_closes_at": t.collection_closes.isoformat(),
        "publication_opens_at": t.publication_opens.isoformat(),
        "publication_closes_at": t.publication_closes.isoformat(),
    }
    round_ = await gw.call(gw.bureau, "POST", "/rounds", json=body, expect=201, at=t.opens)
    gw.summary.round_ids.append(round_["id"])
    return gw.name("round", round_["id"])


async def post_demand(
    gw: Gateway, t: Timeline, label: str, owner: User, round_id: str, body: dict[str, Any]
) -> str:
    """The owner drafts a demand (需求) with the files its city requires (the responsibility
    letter, the evaluation opinion) and submits it within the collection window."""
    kinds = [
        d["kind"]
        for d in gw.rules.get("documents", {}).get("demand", [])
        if d.get("categories") is None or body["category"] in d["categories"]
    ]
    files = await gw.files(owner, kinds)
    demand = await gw.call(
        owner,
        "POST",
        "/demands",
        json={"round_id": round_id, **body, "title": gw.unique(body["title"]), "documents": files},
        expect=201,
        at=t.in_collection,
    )
    gw.saw(f"demand:{label}", demand["status"])
    submitted = await gw.call(owner, "POST", f"/demands/{demand['id']}/submit", at=t.in_collection)
    gw.saw(f"demand:{label}", submitted["status"])
    gw.summary.demands += 1
    return gw.name(f"demand:{label}", demand["id"])


async def register_experts(gw: Gateway, label: str, n: int, fields: list[str]) -> list[str]:
    ids = []
    for i in range(n):
        body = {
            "name": gw.unique(f"{label} {i + 1}"),
            "org_id": str(uuid.uuid4()),
            "fields": fields,
        }
        ids.append((await gw.call(gw.bureau, "POST", "/experts", json=body, expect=201))["id"])
    return ids


async def vet_and_publish(gw: Gateway, t: Timeline, label: str, experts: list[str]) -> str:
    """Assigned experts vet the demand (遴选), then the bureau publishes it (发榜)."""
    demand_id = gw.summary.ids[f"demand:{label}"]
    needed = experts[: gw.rules["vetting"]["min_passed_vettings"]]
    await gw.call(
        gw.bureau,
        "POST",
        "/vettings/assignments",
        json={"demand_id": demand_id, "expert_ids": needed},
        expect=201,
    )
    for expert in needed:
        verdict = {
            "demand_id": demand_id,
            "verdict": "pass",
            "criteria": {
                c: {"score": "85", "note": "clear, measurable, feasible"}
                for c in gw.rules["vetting"]["criteria"]
            },
        }
        await gw.call(User("expert", expert), "POST", "/vettings", json=verdict, expect=201)
    challenge = await gw.call(
        gw.bureau, "POST", f"/demands/{demand_id}/publish", expect=201, at=t.in_publication
    )
    gw.saw(f"demand:{label}", (await gw.call(gw.bureau, "GET", f"/demands/{demand_id}"))["status"])
    gw.summary.challenges += 1
    return gw.name(f"challenge:{label}", challenge["id"])


async def documents(gw: Gateway, solver: User, category: str) -> list[dict[str, str]]:
    """The files the rule set asks of this category, uploaded by the applying solver."""
    kinds = list(gw.rules["applications"]["required_documents"])
    for cat in gw.rules["categories"]:
        if cat["code"] == category:
            kinds += [k for k in cat.get("required_documents", []) if k not in kinds]
    return await gw.files(solver, kinds)


async def apply(
    gw: Gateway, t: Timeline, label: str, solver: User, challenge: str, body: dict[str, Any]
) -> str:
    """A solver answers the challenge (揭榜) and submits before the deadline."""
    app = await gw.call(
        solver,
        "POST",
        f"/challenges/{gw.summary.ids[f'challenge:{challenge}']}/applications",
        json={"pi": {"name": f"PI of {label}", "employed_by_lead": True}, **body},
        expect=201,
        at=t.in_publication,
    )
    gw.saw(f"app:{label}", app["status"])
    submitted = await gw.call(
        solver, "POST", f"/applications/{app['id']}/submit", at=t.in_publication
    )
    gw.saw(f"app:{label}", submitted["status"])
    gw.summary.applications += 1
    return gw.name(f"app:{label}", app["id"])


async def review_stage(
    gw: Gateway,
    t: Timeline,
    stage: str,
    challenges: list[str],
    experts: list[str],
    scores: dict[str, list[str]],
) -> str:
    """A panel scores every application of its challenges, each expert alone; then it closes.

    ``scores``: application label → one score per expert, in the experts' order.
    """
    body = {
        "round_id": gw.summary.ids["round"],
        "stage": stage,
        "challenge_ids": [gw.summary.ids[f"challenge:{c}"] for c in challenges],
        "expert_ids": experts,
    }
    panel = await gw.call(gw.bureau, "POST", "/panels", json=body, expect=201, at=t.review)
    gw.saw(f"panel:{stage}", panel["status"])
    for label, values in scores.items():
        app_id = gw.summary.ids[f"app:{label}"]
        for expert, value in zip(experts, values, strict=True):
            await gw.call(
                User("expert", expert),
                "PUT",
                f"/panels/{panel['id']}/scores/{app_id}",
                json={"score": value, "comment": f"{stage}: scored against the core indicators"},
                expect=204,
                at=t.review,
            )
    closed = await gw.call(gw.bureau, "POST", f"/panels/{panel['id']}/close", at=t.review)
    gw.saw(f"panel:{stage}", closed["status"])
    return gw.name(f"panel:{stage}", panel["id"])


async def read_results(gw: Gateway, challenge: str, label: str = "results") -> dict[str, Any]:
    cid = gw.summary.ids[f"challenge:{challenge}"]
    results: dict[str, Any] = await gw.call(
        gw.bureau, "GET", "/results", params={"challenge_id": cid}
    )
    gw.saw(f"{label}:{challenge}", results["status"])
    labels = {v: k.removeprefix("app:") for k, v in gw.summary.ids.items() if k.startswith("app:")}
    for item in results["items"]:
        gw.summary.bands[labels[item["application_id"]]] = item["band"]
    return results


async def start_horse_race(gw: Gateway, challenge: str, racers: list[str]) -> None:
    """The owner cannot pick one partner: with each solver's consent they race (赛马制)."""
    consents = [
        {"application_id": gw.summary.ids[f"app:{r}"], "consent": True, "by": f"legal rep of {r}"}
        for r in racers
    ]
    cid = gw.summary.ids[f"challenge:{challenge}"]
    await gw.call(gw.bureau, "POST", f"/results/{cid}/horse-race", json={"consents": consents})


async def owner_chooses(gw: Gateway, owner: User, challenge: str, app: str) -> None:
    cid = gw.summary.ids[f"challenge:{challenge}"]
    choice = {"application_id": gw.summary.ids[f"app:{app}"]}
    await gw.call(owner, "POST", f"/results/{cid}/choice", json=choice)


async def open_publicity(gw: Gateway, t: Timeline, challenge: str) -> list[str]:
    """Results go on public notice (公示); returns the winning application labels."""
    cid = gw.summary.ids[f"challenge:{challenge}"]
    await gw.call(gw.bureau, "POST", f"/results/{cid}/publicity", at=t.review)
    results = await read_results(gw, challenge)
    labels = {v: k.removeprefix("app:") for k, v in gw.summary.ids.items() if k.startswith("app:")}
    winners = [labels[r["application_id"]] for r in results["items"] if r["winner"]]
    gw.summary.winners += len(winners)
    return winners


async def propose(gw: Gateway, t: Timeline, challenge: str, app: str) -> None:
    """The divisions' joint review (处室联审) of a winner: conditions on current facts, the
    year's quota (set once), the annual budget, the credit check."""
    year = t.review.year
    if "quota" not in gw.summary.ids:
        await gw.call(gw.bureau, "PUT", f"/quotas/{year}", json={"projects": 20}, at=t.review)
        gw.name("quota", str(year))
    body = {
        "challenge_id": gw.summary.ids[f"challenge:{challenge}"],
        "application_id": gw.summary.ids[f"app:{app}"],
        "credit": {
            "source": "信用中国",
            "checked_on": t.review.date().isoformat(),
            "result": "pass",
            "reference": f"credit-{gw.tag}-{app}",
        },
    }
    proposal = await gw.call(gw.bureau, "POST", "/proposals", json=body, expect=201, at=t.review)
    gw.saw(f"proposal:{app}", proposal["status"])
    if proposal["status"] != "joint_review_passed":
        raise ScenarioError(f"joint review of {app}: {proposal['checks']}")


async def hold_meeting(gw: Gateway, t: Timeline, apps: list[str]) -> str:
    """The director meeting (局长办公会议) approves the proposals collectively (拟立项)."""
    body = {
        "held_on": t.review.date().isoformat(),
        "attendees": ["局长", "分管副局长", "计划处处长", "财务处处长"],
        "minutes": "集体审议创新联合体组建情况和项目揭榜建议，同意列入拟立项项目",
        "decisions": [
            {"application_id": gw.summary.ids[f"app:{a}"], "outcome": "approve"} for a in apps
        ],
    }
    meeting = await gw.call(
        gw.bureau, "POST", "/decision-meetings", json=body, expect=201, at=t.review
    )
    for app in apps:
        proposal = await gw.call(gw.bureau, "GET", f"/proposals/{gw.summary.ids[f'app:{app}']}")
        gw.saw(f"proposal:{app}", proposal["status"])
    return gw.name("meeting", meeting["id"])


async def sign_contract(gw: Gateway, t: Timeline, label: str) -> None:
    """The project contract (项目合同书), signed after 立项 (HZ 三(五))."""
    body = {"signed_on": t.after_publicity.date().isoformat()}
    pid = gw.summary.project_ids[label]
    await gw.call(gw.bureau, "POST", f"/projects/{pid}/contract", json=body, at=t.after_publicity)
    gw.saw(f"contract:{label}", "signed")


async def start_project(gw: Gateway, t: Timeline, label: str, owner: User) -> None:
    """The owner signs the responsibility letter and names the project manager (URC 三(四))."""
    body = {
        "letter_signed_on": t.after_publicity.date().isoformat(),
        "letter": {"kind": "owner_responsibility_letter", "title": "业主责任书"},
        "project_manager": {"name": "Wang Li", "experience": "12 years running R&D projects"},
    }
    pid = gw.summary.project_ids[label]
    await gw.call(owner, "POST", f"/projects/{pid}/owner-duties", json=body, at=t.after_publicity)
    gw.saw(f"owner_duties:{label}", "signed")


def acceptance_body(gw: Gateway, body: dict[str, Any]) -> dict[str, Any]:
    """Who accepted and the audit firm, where the rule set asks for them (URC 二(七))."""
    spec = gw.rules["projects"].get("acceptance")
    if not spec:
        return body
    return {
        **body,
        "accepted_by": {"kind": spec["by"][-1], "name": "新疆科技评估中心"},
        "audit_report": {"firm_name": "天山会计师事务所", "report_no": f"审字{gw.tag}"},
    }


async def object_and_dismiss(
    gw: Gateway, t: Timeline, challenge: str, objector: User, owner: User, app: str
) -> None:
    """An objection (异议) during publicity: the publisher answers, the bureau dismisses it."""
    body = {
        "challenge_id": gw.summary.ids[f"challenge:{challenge}"],
        "application_id": gw.summary.ids[f"app:{app}"],
        "text": "The winner's defense score seems high for its pilot data",
    }
    objection = await gw.call(
        objector, "POST", "/objections", json=body, expect=201, at=t.during_publicity
    )
    gw.name("objection", objection["id"])
    gw.saw("objection", objection["status"])
    answered = await gw.call(
        owner,
        "POST",
        f"/objections/{objection['id']}/answer",
        json={"answer": "The pilot data were checked on site by the panel"},
        at=t.during_publicity,
    )
    gw.saw("objection", answered["status"])
    resolved = await gw.call(
        gw.bureau,
        "POST",
        f"/objections/{objection['id']}/resolve",
        json={"outcome": "dismissed", "reason": "Scores and records checked; no error found"},
        at=t.during_publicity,
    )
    gw.saw("objection", resolved["status"])


async def approve(
    gw: Gateway, t: Timeline, label: str, challenge: str, app: str, **terms: Any
) -> str:
    """The bureau approves the winner after publicity (立项); review creates the project and
    finance its funding plan."""
    body = {
        "challenge_id": gw.summary.ids[f"challenge:{challenge}"],
        "application_id": gw.summary.ids[f"app:{app}"],
        "outcome": "approve",
        **terms,
    }
    if terms.get("agreement_signed_at"):  # the signed agreement is a stored file
        kinds = [d["kind"] for d in gw.rules.get("documents", {}).get("decision", [])]
        body["documents"] = await gw.files(gw.bureau, kinds)
    decision = await gw.call(
        gw.bureau, "POST", "/decisions", json=body, expect=201, at=t.after_publicity
    )
    gw.saw(f"decision:{label}", decision["outcome"])
    project = await gw.call(gw.bureau, "GET", f"/projects/{decision['project_id']}")
    gw.saw(f"project:{label}", project["status"])
    gw.summary.project_ids[label] = project["id"]
    await observe_funding(gw, label)
    return gw.name(f"project:{label}", project["id"])


async def observe_funding(gw: Gateway, label: str) -> dict[str, Any]:
    pid = gw.summary.project_ids[label]
    plan: dict[str, Any] = await gw.call(gw.auditor, "GET", f"/funding/{pid}")
    gw.summary.amounts[f"{label}:subsidy_cap"] = plan["subsidy_cap"]
    gw.summary.amounts[f"{label}:paid"] = plan["paid"]
    gw.saw(f"funding:{label}", plan["status"])
    for tranche in plan["tranches"]:
        gw.summary.amounts[f"{label}:t{tranche['seq']}"] = tranche["amount"]
        gw.saw(f"tranche:{label}:{tranche['seq']}", tranche["status"])
    return plan


async def pay_tranche(gw: Gateway, t: Timeline, label: str, seq: int, at: datetime) -> None:
    """One bureau user requests the payment; above the four-eyes threshold another releases it."""
    body = {"project_id": gw.summary.project_ids[label], "tranche_seq": seq}
    paid = await gw.call(
        gw.bureau,
        "POST",
        "/disbursements",
        json=body,
        expect=201,
        at=at,
        key=f"pay-{gw.tag}-{label}-{seq}",
    )
    gw.saw(f"disbursement:{label}:{seq}", paid["status"])
    if paid["status"] == "pending_approval":
        paid = await gw.call(gw.checker, "POST", f"/disbursements/{paid['id']}/approve", at=at)
        gw.saw(f"disbursement:{label}:{seq}", paid["status"])
    gw.summary.amounts[f"{label}:disbursed:{seq}"] = paid["amount"]
    await observe_funding(gw, label)


async def accept(gw: Gateway, t: Timeline, label: str, acceptance: dict[str, Any]) -> None:
    """Joint acceptance (验收) with the special audit's figures, recorded by the bureau."""
    pid = gw.summary.project_ids[label]
    kinds = [d["kind"] for d in gw.rules.get("documents", {}).get("acceptance", [])]
    body = {**acceptance, "documents": await gw.files(gw.bureau, kinds)}
    project = await gw.call(
        gw.bureau,
        "POST",
        f"/projects/{pid}/acceptance",
        json=acceptance_body(gw, body),
        at=t.acceptance,
    )
    gw.saw(f"project:{label}", project["status"])
    await observe_funding(gw, label)


async def settle(gw: Gateway, t: Timeline, label: str) -> dict[str, Any]:
    """Recompute the subsidy from the audit and the outcome; pay the rest or claw back."""
    body = {"project_id": gw.summary.project_ids[label]}
    settled: dict[str, Any] = await gw.call(
        gw.bureau,
        "POST",
        "/settlements",
        json=body,
        expect=201,
        at=t.acceptance,
        key=f"settle-{gw.tag}-{label}",
    )
    gw.summary.amounts[f"{label}:recomputed"] = settled["recomputed_subsidy"]
    gw.summary.amounts[f"{label}:remaining"] = settled["remaining"]
    if settled["clawback"]:
        gw.name(f"clawback:{label}", settled["clawback"]["id"])
        gw.saw(f"clawback:{label}", settled["clawback"]["status"])
        gw.summary.amounts[f"{label}:clawback"] = settled["clawback"]["amount"]
    await observe_funding(gw, label)
    return settled


async def repay(gw: Gateway, t: Timeline, label: str) -> None:
    """The solver pays the claw-back back in full; the bureau records it."""
    clawback_id = gw.summary.ids[f"clawback:{label}"]
    amount = gw.summary.amounts[f"{label}:clawback"]
    repaid = await gw.call(
        gw.bureau,
        "POST",
        f"/clawbacks/{clawback_id}/repayments",
        json={"amount": amount, "note": "repaid to the city's account"},
        expect=201,
        at=t.acceptance + timedelta(days=30),
        key=f"repay-{gw.tag}-{label}",
    )
    gw.saw(f"clawback:{label}", repaid["clawback"]["status"])


async def tally_money(gw: Gateway) -> None:
    """Subsidy paid and clawed back, as finance reports it for this run's projects."""
    for label, pid in gw.summary.project_ids.items():
        plan = await observe_funding(gw, label)
        gw.summary.subsidy_paid += Decimal(plan["paid"])
        page = await gw.call(gw.auditor, "GET", "/clawbacks", params={"project_id": pid})
        for clawback in page["items"]:
            gw.summary.clawbacks += 1
            gw.summary.clawed_back += Decimal(clawback["amount"])


# --------------------------------------------------------------------------------------------
# The two cities' stories


def demand_body(
    title: str, field_code: str, total: str, bounty: str, **over: Any
) -> dict[str, Any]:
    return {
        "category": "tech_breakthrough",
        "field": field_code,
        "title": title,
        "problem": f"{title}: the current process cannot reach the target at scale",
        "core_indicators": [
            {"name": "yield", "target": ">= 95", "unit": "%"},
            {"name": "unit cost reduction", "target": ">= 30", "unit": "%"},
        ],
        "due_months": 24,
        "expected_results": "A pilot line running at the targets, with test reports",
        "end_users": "Manufacturers of the region",
        "total_investment": total,
        "bounty_amount": bounty,
        "project_manager": {"name": "Wang Li", "phone": "+86 991 555 0100"},
        **over,
    }


def scores_around(total: int, n: int) -> list[str]:
    """n expert scores whose mean is ``total``: a little spread, as real panels give."""
    spread = [0] * n
    if n >= 3:
        spread[0], spread[1] = -1, 1
    return [str(total + s) for s in spread]


async def _huzhou(gw: Gateway, t: Timeline) -> None:
    """Consortium applications, two-stage panels of five, every band and a relaxed county, an
    objection dismissed, the §5 worked example at 80 %, and one failed project clawed back."""
    round_id = await open_round(
        gw, t, "湖州市揭榜挂帅 2025 first round", ["biomedicine", "new_materials"]
    )
    owner_a = User("demand_owner", f"owner-a-{gw.tag}", await register_org(gw, "Owner A"))
    owner_b = User("demand_owner", f"owner-b-{gw.tag}", await register_org(gw, "Owner B"))
    await post_demand(
        gw,
        t,
        "antibody",
        owner_a,
        round_id,
        demand_body("Antibody purification resin", "biomedicine", "20000000.00", "8000000.00"),
    )
    await post_demand(
        gw,
        t,
        "composite",
        owner_b,
        round_id,
        demand_body("Bamboo-fibre composite panels", "new_materials", "20000000.00", "8000000.00"),
    )
    vetters = await register_experts(gw, "Vetting expert", 2, ["biomedicine", "new_materials"])
    for label in ("antibody", "composite"):
        await vet_and_publish(gw, t, label, vetters)

    entrants = {
        "priority": ("antibody", None, 92),
        "recommended": ("antibody", None, 87),
        "optional": ("antibody", None, 82),
        "eliminated": ("antibody", None, 70),
        "county": ("antibody", "anji", 77),
        "composite": ("composite", None, 88),
    }
    for label, (challenge, county, _) in entrants.items():
        lead = await register_org(gw, f"Lead {label}", county=county)
        member = await register_org(gw, f"University {label}", kind="university")
        solver = User("solver", f"solver-{label}-{gw.tag}", lead)
        docs = await documents(gw, solver, "tech_breakthrough")
        body = {
            "lead_org_id": lead,
            "member_org_ids": [member],
            "plan": f"Consortium plan of {label}",
            "total_budget": "20000000.00",
            "requested_subsidy": "6000000.00",
            "other_municipal_application": False,
            "documents": docs,
        }
        await apply(gw, t, label, solver, challenge, body)

    size = gw.rules["review"]["panel"]["min_size"]["value"]
    for stage in gw.rules["review"]["stages"]:
        experts = await register_experts(gw, f"{stage['code']} expert", size, ["biomedicine"])
        scores = {label: scores_around(total, size) for label, (_, _, total) in entrants.items()}
        await review_stage(gw, t, stage["code"], ["antibody", "composite"], experts, scores)

    for challenge in ("antibody", "composite"):
        await read_results(gw, challenge)
    # HZ 三(四)4–5, 三(五): joint review, the director meeting, then publicity of 拟立项.
    for challenge, winner in (("antibody", "priority"), ("composite", "composite")):
        await propose(gw, t, challenge, winner)
    await hold_meeting(gw, t, ["priority", "composite"])
    winners = await open_publicity(gw, t, "antibody") + await open_publicity(gw, t, "composite")
    objector = User(
        "solver", f"solver-recommended-{gw.tag}", gw.summary.ids["org:Lead recommended"]
    )
    await object_and_dismiss(gw, t, "antibody", objector, owner_a, winners[0])

    await approve(gw, t, "worked_example", "antibody", winners[0])
    await approve(gw, t, "failed", "composite", winners[1])
    for label in ("worked_example", "failed"):
        await sign_contract(gw, t, label)
        await pay_tranche(gw, t, label, 1, at=t.after_publicity)

    pid = gw.summary.project_ids["worked_example"]
    solver = User("solver", f"solver-priority-{gw.tag}", gw.summary.ids["org:Lead priority"])
    change = await gw.call(
        solver,
        "POST",
        f"/projects/{pid}/changes",
        expect=201,
        json={"kind": "extension", "months": 6, "reason": "Pilot line equipment delivered late"},
    )
    decided = await gw.call(
        gw.bureau,
        "POST",
        f"/projects/{pid}/changes/{change['id']}/decision",
        json={"approve": True, "reason": "Delay documented"},
    )
    gw.saw("change:extension", change["status"])
    gw.saw("change:extension", decided["status"])

    await accept(
        gw,
        t,
        "worked_example",
        {
            "outcome": "shortfall",
            "audited_total_investment": "16000000.00",
            "opinion": "核心指标未完全达到：收率 93%（目标 95%）",
        },
    )
    await settle(gw, t, "worked_example")
    await pay_tranche(gw, t, "worked_example", 2, at=t.acceptance)

    await accept(
        gw,
        t,
        "failed",
        {
            "outcome": "failed",
            "audited_total_investment": "12000000.00",
            "unused_amount": "600000.00",
            "noncompliant_amount": "150000.00",
            "opinion": "验收不通过：中试未完成",
        },
    )
    await settle(gw, t, "failed")
    await repay(gw, t, "failed")


async def _urumqi(gw: Gateway, t: Timeline) -> None:
    """Demands across fields, an achievement transfer with its evaluation opinion, a horse race
    of three solvers with consent, and the 40 % subsidy paid and settled."""
    fields = ["equipment_manufacturing", "biomedicine", "new_energy"]
    round_id = await open_round(gw, t, "乌鲁木齐市重点领域揭榜挂帅 2025", fields)
    owners = {}
    for label in ("drill", "vaccine", "storage"):
        org = await register_org(gw, f"Owner {label}")
        owners[label] = User("demand_owner", f"owner-{label}-{gw.tag}", org)
    await post_demand(
        gw,
        t,
        "drill",
        owners["drill"],
        round_id,
        demand_body(
            "Deep-well drilling gearbox", "equipment_manufacturing", "12000000.00", "8000000.00"
        ),
    )
    await post_demand(
        gw,
        t,
        "vaccine",
        owners["vaccine"],
        round_id,
        demand_body(
            "Livestock vaccine scale-up",
            "biomedicine",
            "6000000.00",
            "3000000.00",
            category="achievement_transfer",
            evaluation_opinion={
                "issuer_kind": "university_tech_transfer_office",
                "issuer_name": "新疆大学技术转移中心",
                "summary": "成果成熟度高，建议转化",
            },
        ),
    )
    await post_demand(
        gw,
        t,
        "storage",
        owners["storage"],
        round_id,
        demand_body("Cold-climate battery storage", "new_energy", "9000000.00", "5000000.00"),
    )
    vetters = await register_experts(gw, "Vetting expert", 2, fields)
    for label in ("drill", "vaccine", "storage"):
        await vet_and_publish(gw, t, label, vetters)

    entrants = {
        "racer_1": ("drill", 84),
        "racer_2": ("drill", 81),
        "racer_3": ("drill", 78),
        "transfer": ("vaccine", 86),
    }
    for label, (challenge, _) in entrants.items():
        lead = await register_org(gw, f"Solver {label}", kind="institute")
        category = "achievement_transfer" if challenge == "vaccine" else "tech_breakthrough"
        solver = User("solver", f"solver-{label}-{gw.tag}", lead)
        body = {
            "lead_org_id": lead,
            "plan": f"Feasibility plan of {label}",
            "total_budget": "8000000.00",
            "documents": await documents(gw, solver, category),
        }
        await apply(gw, t, label, solver, challenge, body)

    size = gw.rules["review"]["panel"]["min_size"]["value"]
    for stage in gw.rules["review"]["stages"]:
        experts = await register_experts(gw, f"{stage['code']} expert", size, fields)
        scores = {label: scores_around(total, size) for label, (_, total) in entrants.items()}
        await review_stage(gw, t, stage["code"], ["drill", "vaccine"], experts, scores)

    for challenge in ("drill", "vaccine"):
        await read_results(gw, challenge)
    await start_horse_race(gw, "drill", ["racer_1", "racer_2", "racer_3"])
    await owner_chooses(gw, owners["vaccine"], "vaccine", "transfer")
    racers = await open_publicity(gw, t, "drill")
    chosen = await open_publicity(gw, t, "vaccine")

    signed = (t.after_publicity - timedelta(days=1)).isoformat()
    for racer in racers:
        await approve(gw, t, racer, "drill", racer, agreement_signed_at=signed)
    await approve(gw, t, "transfer", "vaccine", chosen[0], agreement_signed_at=signed)
    for racer in racers:
        await start_project(gw, t, racer, owners["drill"])
    await start_project(gw, t, "transfer", owners["vaccine"])
    for label in gw.summary.project_ids:
        await pay_tranche(gw, t, label, 1, at=t.after_publicity)

    await accept(
        gw,
        t,
        "racer_1",
        {
            "outcome": "passed",
            "audited_total_investment": "12000000.00",
            "audited_bounty_paid": "8000000.00",
            "opinion": "通过验收：各项核心指标均已达到",
        },
    )
    await settle(gw, t, "racer_1")
    await pay_tranche(gw, t, "racer_1", 2, at=t.acceptance)


STORIES: dict[str, Callable[[Gateway, Timeline], Awaitable[None]]] = {
    "huzhou": _huzhou,
    "urumqi": _urumqi,
}


async def run_city(client: httpx.AsyncClient, city: str) -> CitySummary:
    """One realistic round of ``city`` from opening to settlement, through ``client``'s gateway."""
    gw = Gateway(client, city)
    staff = await gw.token(gw.bureau)
    answer = await client.get(
        f"{API}/cities/{city}/ruleset", headers={"Authorization": f"Bearer {staff}"}
    )
    gw.rules = _expect(answer, 200)
    timeline = Timeline.of(gw.rules)
    await appropriate_budget(gw, timeline)
    if city in STORIES:
        await STORIES[city](gw, timeline)
    else:  # any other city's file gets a story derived from its rules
        from scripts.any_city import story

        await story(gw, timeline)
    await tally_money(gw)
    return gw.summary


async def run_all(gateway_url: str) -> list[CitySummary]:
    """Every city the gateway serves: the two shipped stories, and one derived from the rule
    set for any other city's file."""
    async with httpx.AsyncClient(base_url=gateway_url, timeout=120) as client:
        staff = await Gateway(client, next(iter(STORIES))).token(User("bureau", "demo-lister"))
        listed = await client.get(f"{API}/cities", headers={"Authorization": f"Bearer {staff}"})
        served = _expect(listed, 200)
        cities = [c["city"] for c in (served["items"] if isinstance(served, dict) else served)]
        ordered = [c for c in STORIES if c in cities] + [c for c in cities if c not in STORIES]
        return [await run_city(client, city) for city in ordered]
