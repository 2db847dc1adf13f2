"""Exports for auditors. CSV starts with a UTF-8 byte-order mark so spreadsheet software reads
the Chinese headers correctly; amounts stay two-place strings, never floats."""

import csv
import io
from collections.abc import Sequence

from services.finance.disbursements.schemas import DisbursementRead

BOM = "\ufeff"
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "拨付编号 id"),
    ("project_id", "项目编号 project_id"),
    ("tranche_seq", "批次 tranche_seq"),
    ("amount", "金额(元) amount_cny"),
    ("status", "状态 status"),
    ("requested_by", "申请人 requested_by"),
    ("approved_by", "复核人 approved_by"),
    ("created_at", "申请时间 created_at"),
    ("paid_at", "拨付时间 paid_at"),
    ("transaction_id", "记账凭证 transaction_id"),
    ("note", "备注 note"),
)


def _cell(value: object) -> str:
    """Neutralise formula injection: a cell a spreadsheet would evaluate is quoted as text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def disbursements_csv(rows: Sequence[DisbursementRead]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header for _, header in COLUMNS])
    for row in rows:
        data = row.model_dump(mode="json")
        writer.writerow([_cell(data[name]) for name, _ in COLUMNS])
    return BOM + buffer.getvalue()
