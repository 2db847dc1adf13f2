"""The benchmark's one table: rows of figures, goal checks, and the JSON it is saved as."""

from dataclasses import asdict, dataclass, field
from typing import Any

from scripts.loadgen import Stat

COLUMNS = (
    ("section", 9),
    ("case", 34),
    ("req/s", 8),
    ("p50 ms", 8),
    ("p99 ms", 8),
    ("time ms", 9),
    ("raw SQL ms", 10),
    ("DB ms", 8),
    ("ratio", 6),
    ("SQL/req", 7),
    ("err", 4),
)


@dataclass
class Row:
    section: str
    case: str
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    time_ms: float | None = None
    raw_sql_ms: float | None = None
    db_ms: float | None = None
    ratio: float | None = None
    statements: float | None = None
    errors: int | None = None
    note: str = ""

    @classmethod
    def of(cls, section: str, case: str, stat: Stat, note: str = "") -> "Row":
        return cls(
            section,
            case,
            rps=stat.requests_per_s,
            p50_ms=stat.p50_ms,
            p99_ms=stat.p99_ms,
            statements=stat.statements,
            errors=stat.errors,
            note=note,
        )

    def cells(self) -> list[str]:
        return [
            self.section,
            self.case,
            _num(self.rps, 0 if self.rps is None or self.rps >= 10 else 2),
            _num(self.p50_ms, 2),
            _num(self.p99_ms, 2),
            _num(self.time_ms, 1),
            _num(self.raw_sql_ms, 1),
            _num(self.db_ms, 0),
            _num(self.ratio, 2),
            _num(self.statements, 0),
            "" if self.errors is None else str(self.errors),
        ]


def _num(value: float | None, places: int) -> str:
    return "" if value is None else f"{value:,.{places}f}"


@dataclass
class Report:
    started: str
    cores: int
    seconds: float = 0.0
    rows: list[Row] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print("  " + " | ".join(c for c in row.cells() if c), row.note, flush=True)
        return row

    def goal(self, text: str, met: bool) -> None:
        self.goals.append(f"{'met ' if met else 'MISSED'} {text}")

    def table(self) -> str:
        head = " | ".join(name.ljust(width) for name, width in COLUMNS)
        lines = [head, "-|-".join("-" * width for _, width in COLUMNS)]
        for row in self.rows:
            cells = [
                c.ljust(w) if i < 2 else c.rjust(w)
                for i, (c, (_, w)) in enumerate(zip(row.cells(), COLUMNS, strict=True))
            ]
            lines.append(" | ".join(cells) + (f"  {row.note}" if row.note else ""))
        lines += ["", *(f"goal: {g}" for g in self.goals), *(f"note: {n}" for n in self.notes)]
        lines.append(f"{self.cores} cores, {self.seconds} s in all, started {self.started}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
