"""``/ledger``: the append-only ledger for auditors and the bureau, its verification and
signed checkpoints."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from common.db import SessionDep, SnapshotSessionDep
from common.deps import FinanceReader, StaffUser
from common.errors import NotFound, Unprocessable, problem_responses
from common.pagination import PageParams, page_params
from common.schemas import Page
from services.finance.ledger import repository as repo
from services.finance.ledger import verification
from services.finance.ledger.dependencies import LedgerFilter
from services.finance.ledger.models import LedgerCheckpoint
from services.finance.ledger.schemas import (
    BalanceRead,
    CheckpointRead,
    LedgerEntryRead,
    VerifyRead,
)
from services.finance.ledger.signing import Signer, signer

router = APIRouter(prefix="/ledger", tags=["ledger"])
READ_PROBLEMS = problem_responses(400, 401, 403)
HASH = r"^[0-9a-f]{64}$"


def _signer(request: Request) -> Signer | None:
    return signer(request.app.state.settings)


SignerDep = Annotated[Signer | None, Depends(_signer)]


@router.get("/entries", response_model=Page[LedgerEntryRead], responses=READ_PROBLEMS)
async def list_entries(
    session: SessionDep,
    filters: LedgerFilter,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[LedgerEntryRead]:
    """Ledger lines in booking order, filtered by project, account and date range."""
    rows, cursor = await repo.list_entries(session, filters, params)
    return Page(items=[LedgerEntryRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/balances", response_model=Page[BalanceRead], responses=READ_PROBLEMS)
async def balances(session: SessionDep, filters: LedgerFilter) -> Page[BalanceRead]:
    """Per account: total debits, total credits and the balance, summed by the database.
    Every account of the filter in one page (``next_cursor`` is null): a list like the others."""
    rows = await repo.balances(session, filters)
    return Page(
        items=[
            BalanceRead(account=a, debits=d, credits=c, balance=b, entries=n)
            for a, d, c, b, n in rows
        ]
    )


@router.get("/verify", response_model=VerifyRead, responses=problem_responses(401, 403, 422))
async def verify(
    session: SnapshotSessionDep,
    user: FinanceReader,
    signer: SignerDep,
    full: bool = False,
    anchor_seq: Annotated[int | None, Query(ge=1)] = None,
    anchor_hash: Annotated[str | None, Query(pattern=HASH)] = None,
) -> VerifyRead:
    """Recompute the city's hash chain in one snapshot and report the first broken link.

    By default only the lines after the latest signed checkpoint; ``full`` from the first
    line; ``anchor_seq`` + ``anchor_hash`` (an exported checkpoint) recomputes every line up
    to it and checks the chain still leads to the signed hash."""
    if (anchor_seq is None) != (anchor_hash is None):
        raise Unprocessable(
            "anchor_seq and anchor_hash go together", code="ledger.anchor_incomplete"
        )
    anchor = (
        verification.Anchor(anchor_seq, anchor_hash)
        if anchor_seq is not None and anchor_hash is not None
        else None
    )
    return await verification.verify(session, user.city, signer, full=full, anchor=anchor)


def _export(checkpoint: LedgerCheckpoint, signer: Signer | None) -> CheckpointRead:
    return CheckpointRead(
        city=checkpoint.city,
        seq=checkpoint.seq,
        hash=checkpoint.hash,
        signed_at=checkpoint.signed_at,
        key_id=checkpoint.key_id,
        signature=checkpoint.signature,
        public_key=signer.public_pem if signer else "",
    )


@router.post(
    "/checkpoints",
    response_model=CheckpointRead,
    status_code=201,
    responses=problem_responses(401, 403, 409, 503),
)
async def make_checkpoint(
    session: SessionDep, user: StaffUser, signer: SignerDep
) -> CheckpointRead:
    """Sign the city's chain head (after verifying the lines since the last checkpoint).
    Finance also does this by itself every ``ledger_checkpoint_interval_seconds``."""
    return _export(await verification.checkpoint(session, user.city, signer), signer)


@router.get(
    "/checkpoints/latest",
    response_model=CheckpointRead,
    responses=problem_responses(401, 403, 404),
)
async def latest_checkpoint(
    session: SessionDep, user: FinanceReader, signer: SignerDep
) -> CheckpointRead:
    """The latest signed checkpoint with the public key, for auditors to keep."""
    found = await repo.latest_checkpoint(session, user.city)
    if found is None:
        raise NotFound("No checkpoint has been signed yet", code="ledger.no_checkpoint")
    return _export(found, signer)
