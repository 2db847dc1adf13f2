"""The shared document rules (common/documents.py) as pure functions: which references count
towards a step's required files, and which are refused outright."""

import uuid

import pytest

from common.documents import DocumentRef, StoredDocument, check, missing, present_kinds
from common.errors import Conflict, Unprocessable
from common.rulesets.schema import RequiredDocument

OWNER, LEAD, OTHER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
REQUIRED = [
    RequiredDocument(kind="acceptance_opinion", clause="URC 二(七)"),
    RequiredDocument(kind="audit_report", clause="URC 二(七)"),
]


def stored(
    kind: str, role: str = "solver", org: uuid.UUID | None = LEAD, **kw: object
) -> StoredDocument:
    return StoredDocument(uuid.uuid4(), kind, role, org, **kw)  # type: ignore[arg-type]


def ref(doc: StoredDocument, kind: str | None = None) -> DocumentRef:
    return DocumentRef(kind=kind or doc.kind, document_id=doc.id)


def test_only_files_of_the_kind_from_a_party_count() -> None:
    mine, foreign = stored("acceptance_opinion"), stored("audit_report", org=OTHER)
    docs = {d.id: d for d in (mine, foreign)}
    present = present_kinds([ref(mine), ref(foreign)], docs, {OWNER, LEAD})
    assert present == {"acceptance_opinion"}
    assert [(v.code, v.clause) for v in missing(REQUIRED, present)] == [
        ("ruleset.required_document", "URC 二(七)")
    ]
    relabelled = present_kinds([ref(mine, "audit_report")], docs, {LEAD})
    assert relabelled == frozenset()


@pytest.mark.parametrize(("bureau", "counts"), [(True, True), (False, False)])
def test_the_bureau_files_review_steps_only(bureau: bool, counts: bool) -> None:
    doc = stored("audit_report", role="bureau", org=None)
    present = present_kinds([ref(doc)], {doc.id: doc}, {LEAD}, bureau=bureau)
    assert ("audit_report" in present) is counts


def test_check_refuses_missing_mislabelled_foreign_and_taken_files() -> None:
    object_id = uuid.uuid4()
    ok = stored("audit_report")
    assert check(ref(ok), ok, "acceptance", object_id, {LEAD}) == ok
    with pytest.raises(Unprocessable, match="No document"):
        check(ref(ok), None, "acceptance", object_id, {LEAD})
    with pytest.raises(Unprocessable) as wrong:
        check(ref(ok, "acceptance_opinion"), ok, "acceptance", object_id, {LEAD})
    assert wrong.value.code == "document.kind_mismatch"
    with pytest.raises(Unprocessable) as foreign:
        check(ref(ok), ok, "acceptance", object_id, {OWNER})
    assert foreign.value.code == "document.not_entitled"
    taken = stored("audit_report", attached_type="application", attached_id=uuid.uuid4())
    with pytest.raises(Conflict):
        check(ref(taken), taken, "acceptance", object_id, {LEAD})
    again = stored("audit_report", attached_type="acceptance", attached_id=object_id)
    assert check(ref(again), again, "acceptance", object_id, {LEAD}) == again  # a retry
