"""Summary and description of every operation whose route does not document itself.

A route's own ``summary=``/docstring wins; this catalogue fills the rest in the merged document
so every operation in ``/docs`` says what it does, who may call it and what it refuses. `make
test` lints the merged document (Spectral ``operation-description``), so a new route without a
docstring and without an entry here fails there.
"""

from typing import Any

DOCS: dict[str, tuple[str, str]] = {
    "applications_list": (
        "List applications",
        "Solvers see their own organisation's; the bureau all of its city; the challenge's "
        "owner after review; assigned experts those they score. Keyset pages (`limit`, "
        "`cursor`).",
    ),
    "applications_get": ("Read one application", "Same visibility as the list; 404 otherwise."),
    "applications_update": (
        "Edit a draft application",
        "Solver of the lead organisation, while the application is a draft; only the fields "
        "sent change (null where a field is required is refused).",
    ),
    "applications_submit": (
        "Submit an application",
        "Eligibility is checked against the city's rule set at submission (lead organisation, "
        "PI, budget, documents, deadline); a violation is 422 with `code` and `clause`.",
    ),
    "applications_withdraw": (
        "Withdraw an application",
        "The lead solver withdraws before results are decided; the application stays on "
        "record as withdrawn.",
    ),
    "documents_upload": (
        "Upload a file (PDF, OFD, DOCX, XLSX, JPEG, PNG; recognised by content)",
        "Multipart `file` with its `kind` (one the city's rule set names); streamed, stored by "
        "its sha256, refused above the size limit (413) or when the content is not an accepted "
        "format (415). The upload is then named by id in a demand, application, decision, "
        "change or acceptance.",
    ),
    "documents_get": (
        "Read a document's metadata",
        "Kind, name, size, sha256, uploader and what it is filed under. The uploader, the "
        "parties of the object it is filed under, the bureau, and auditors where the step "
        "allows; 404 otherwise.",
    ),
    "documents_attach": (
        "File a document under a review object",
        "Service calls only (review's outbox, after its commit); idempotent. A file belongs "
        "to one object: filing it under another is 409.",
    ),
    "documents_content": (
        "Download the file",
        "Same readers as the metadata. ETag is the sha256 (304 on If-None-Match), Range and "
        "If-Range give 206, Content-Disposition carries the original (Chinese) name.",
    ),
    "auth_dev_token": (
        "Mint a token for development",
        "Dev mode only (404 in production, where tokens come from the identity provider). "
        "Rate-limited per client address.",
    ),
    "challenges_list": (
        "List published challenges",
        "The published list (榜单) of a city. Keyset pages (`limit`, `cursor`).",
    ),
    "challenges_get": ("Read one challenge", "A published challenge of the caller's city."),
    "applications_create": (
        "Answer a challenge (揭榜)",
        "Solver, for their own organisation as lead, while the challenge is open for answers. "
        "Creates a draft; submit it to have it checked and counted.",
    ),
    "challenges_results_public": (
        "Make a challenge's results visible to its parties",
        "Called by the review service when publicity opens, so owner and solvers may read the "
        "results (service token only).",
    ),
    "cities_list": (
        "List the cities served",
        "Every city with a loaded rule set, its version and time zone.",
    ),
    "cities_read_ruleset": (
        "Read one city's rule set",
        "The loaded rule set in full; every rule names the clause of the policy text it "
        "comes from and whether it is hard or soft.",
    ),
    "clawbacks_list": (
        "List claw-backs",
        "Bureau and auditors: amounts to be paid back after a settlement or a failed "
        "project, with what was repaid and what is outstanding.",
    ),
    "decisions_decide": (
        "Decide on a winner (立项)",
        "Bureau, after the publicity period ended with no open objection (and, where the "
        "city requires it, the joint review). Approval creates the project and its funding "
        "plan; the amounts come from the platform's own records.",
    ),
    "decisions_read_terms": (
        "Read an agreement-terms change",
        "Bureau: the proposed amounts, who proposed them and whether a second bureau user "
        "approved or rejected the change.",
    ),
    "demands_create": (
        "Post a technology demand",
        "Demand owner, for their own organisation, during the round's collection window. "
        "Creates a draft.",
    ),
    "demands_list": (
        "List demands",
        "Owners see their own organisation's, the bureau all of its city, assigned experts "
        "those they vet. Keyset pages (`limit`, `cursor`).",
    ),
    "demands_get": ("Read one demand", "Same visibility as the list; 404 otherwise."),
    "demands_update": (
        "Edit a draft demand",
        "Owner, while the demand is a draft; only the fields sent change.",
    ),
    "demands_publish": (
        "Publish a demand as a challenge",
        "Bureau, after the demand passed vetting and within the publication window; answers "
        "the challenge now on the public list.",
    ),
    "demands_submit": (
        "Submit a demand for vetting",
        "Owner. The rule set's checks run (field, category, amounts, windows); a violation is "
        "422 with `code` and `clause`. The body is optional.",
    ),
    "disbursements_list": ("List disbursements", "Bureau and auditors, newest last, in pages."),
    "disbursements_read": ("Read one disbursement", "Bureau and auditors."),
    "experts_register": ("Register an expert", "Bureau: adds an expert to the city's pool."),
    "experts_list": ("List experts", "Bureau: the city's pool, in pages."),
    "experts_get": ("Read one expert", "Bureau, or the expert themself."),
    "experts_assignments": (
        "An expert's assignments",
        "The panels and vettings an expert is assigned to (bureau, or the expert).",
    ),
    "auth_read_me": ("Who am I", "The verified claims of the caller's token."),
    "objections_file": (
        "File an objection (异议)",
        "Anyone with a token, during a challenge's publicity period; the period and how to "
        "object are on the public notice.",
    ),
    "objections_get": ("Read one objection", "The filer, the publisher and the bureau."),
    "objections_answer": (
        "Answer an objection",
        "The publisher (the demand owner) answers within the period the rule set gives.",
    ),
    "objections_resolve": (
        "Resolve an objection",
        "Bureau: upheld or dismissed; an upheld objection reopens only the scores it names.",
    ),
    "organizations_create": (
        "Register an organisation",
        "Bureau (or a person for the organisation they act for): unified social credit code "
        "(checked), kind, county, last year's revenue and R&D spend.",
    ),
    "organizations_list": ("List organisations", "Bureau: the city's organisations, in pages."),
    "organizations_get": ("Read one organisation", "Bureau, or a member of the organisation."),
    "organizations_update": (
        "Update an organisation",
        "Bureau: the facts later checks rely on (county, revenue, affiliations); audited.",
    ),
    "panels_form": (
        "Form a review panel",
        "Bureau: a panel for one stage of a round's challenges; size and conflict-of-interest "
        "rules come from the rule set.",
    ),
    "panels_get": (
        "Read a panel",
        "Bureau sees every score; an expert member only their own.",
    ),
    "panels_close": (
        "Close a panel",
        "Bureau, once every member scored every application: stage scores are computed and "
        "fixed; results follow when a challenge's last panel closes.",
    ),
    "panels_put_score": (
        "Score an application",
        "Expert member without a conflict: a score 0–100 (string, two places at most) and a "
        "comment; replaceable until the panel closes.",
    ),
    "projects_get": ("Read a project", "Bureau, the project's owner and solver."),
    "projects_record_acceptance": (
        "Record the acceptance (验收)",
        "Bureau: outcome and the audited amounts; finance is told after the local commit.",
    ),
    "projects_request_change": (
        "Request a change to a project",
        "Owner or solver: extension, terms or team change; the bureau decides.",
    ),
    "projects_decide_change": (
        "Decide on a change",
        "Bureau: approve or refuse a requested change (a second bureau user where the rule set "
        "asks for four eyes).",
    ),
    "projects_retry_deliveries": (
        "Retry the project's pending calls to finance",
        "Bureau: sends again what the outbox has not delivered yet (idempotent on the other side).",
    ),
    "reports_round": (
        "Round report",
        "Bureau and auditors: ranked results and money (committed, paid, clawed back) per "
        "challenge, as JSON, CSV or a self-contained HTML page with charts.",
    ),
    "results_choose_winner": (
        "Choose the winner (owner's choice)",
        "Where the city lets the owner choose among qualified answers (Urumqi).",
    ),
    "results_start_horse_race": (
        "Start a horse race (赛马)",
        "Bureau: racing solvers with their consent, within the rule set's limit (a soft limit "
        "needs `override_reason`).",
    ),
    "results_open_publicity": (
        "Open publicity (公示)",
        "Bureau: results become public and a publicity notice opens for the rule set's number "
        "of days; objections may be filed until it ends.",
    ),
    "procedure_get_meeting": (
        "Read a decision meeting",
        "Bureau: the decision meeting (决策会议) of a round, the proposals it decided and when.",
    ),
    "procedure_get_proposal": (
        "Read a proposal",
        "Bureau: the project proposal (立项建议) for an application, as the procedure made it.",
    ),
    "procedure_get_quota": (
        "Read a year's quota",
        "Bureau: the city's project quota for a year and how much of it is used.",
    ),
    "rounds_open": (
        "Open a collection round",
        "Bureau: title, open industry fields, collection and publication windows (minimum "
        "lengths from the rule set).",
    ),
    "rounds_list": ("List rounds", "Every signed-in user of the city, in pages."),
    "rounds_get": ("Read one round", "Every signed-in user of the city."),
    "vettings_file": (
        "File a vetting (论证)",
        "Assigned expert (or bureau): innovativeness, necessity, feasibility and a verdict.",
    ),
    "vettings_assign_experts": (
        "Assign vetting experts to a demand",
        "Bureau: the experts who will vet one demand; answers the assignments made.",
    ),
}


def document(paths: dict[str, Any], methods: set[str]) -> None:
    """Fill summary and description of operations that lack a description."""
    for item in paths.values():
        for method, operation in item.items():
            if method not in methods or operation.get("description"):
                continue
            entry = DOCS.get(operation.get("operationId", ""))
            if entry:
                operation["summary"], operation["description"] = entry
