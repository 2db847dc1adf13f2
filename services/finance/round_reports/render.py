"""The round report as people read it: one self-contained HTML page with two SVG charts.

No external network: the charts are inline SVG drawn here, the only script is inline, and the
fonts are the machine's own (a CJK family first so Chinese text renders). A strict
Content-Security-Policy on the response enforces it.
"""

import csv
import html
import io
from decimal import Decimal

from services.finance.round_reports.schemas import ChallengeReport, ResultLine, RoundReport

BAND_COLOURS = ["#1a9850", "#91cf60", "#fdae61", "#d73027", "#762a83", "#999999"]
MONEY_SERIES = (
    ("committed", "承诺 committed", "#4575b4"),
    ("paid", "已拨付 paid", "#1a9850"),
    ("clawed_back", "追回 clawed back", "#d73027"),
)
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; font-src 'self'"
)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def band_colours(report: RoundReport) -> dict[str, str]:
    return {b: BAND_COLOURS[i % len(BAND_COLOURS)] for i, b in enumerate(report.bands)}


def score_chart(report: RoundReport) -> str:
    """A strip plot: one row per challenge, one dot per application at its total score."""
    colours = band_colours(report)
    left, width, row = 220, 600, 34
    height = 40 + row * max(1, len(report.challenges))
    parts = [
        f'<svg id="score-chart" role="img" viewBox="0 0 {left + width + 20} {height}" '
        f'width="{left + width + 20}" aria-label="评审得分分布 score distribution">'
    ]
    for tick in range(0, 101, 10):
        x = left + width * tick / 100
        parts.append(
            f'<line x1="{x}" y1="20" x2="{x}" y2="{height - 10}" class="grid"/>'
            f'<text x="{x}" y="14" class="tick">{tick}</text>'
        )
    for i, challenge in enumerate(report.challenges):
        y = 40 + i * row
        parts.append(f'<text x="{left - 8}" y="{y + 4}" class="label">{_e(challenge.title)}</text>')
        for r in challenge.results:
            if r.total is None:
                continue
            x = left + width * float(r.total) / 100
            mark = ' stroke="#000" stroke-width="2"' if r.winner else ""
            fill = colours.get(r.band or "", "#999")
            parts.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y}" r="6" fill="{fill}"'
                f'{mark} data-total="{_e(r.total)}" data-band="{_e(r.band)}">'
                f"<title>{_e(r.label)}: {_e(r.total)} ({_e(r.band)})</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def money_chart(report: RoundReport) -> str:
    """Grouped bars per challenge: committed, paid and clawed back."""
    peak = max(
        [Decimal(1)] + [getattr(c.money, s) for c in report.challenges for s, _, _ in MONEY_SERIES]
    )
    group, bar, height, base = 90, 24, 260, 230
    width = 60 + group * max(1, len(report.challenges))
    parts = [
        f'<svg id="money-chart" role="img" viewBox="0 0 {width} {height + 40}" width="{width}" '
        f'aria-label="资金 money committed, paid and clawed back">'
        f'<line x1="40" y1="{base}" x2="{width}" y2="{base}" class="axis"/>'
    ]
    for i, challenge in enumerate(report.challenges):
        x0 = 50 + i * group
        for j, (series, label, colour) in enumerate(MONEY_SERIES):
            amount: Decimal = getattr(challenge.money, series)
            h = float(amount / peak) * (base - 20)
            parts.append(
                f'<rect class="bar" x="{x0 + j * bar}" y="{base - h:.1f}" width="{bar - 2}" '
                f'height="{h:.1f}" fill="{colour}" data-series="{series}" '
                f'data-amount="{amount:.2f}">'
                f"<title>{_e(challenge.title)} · {label}: {amount:,.2f}</title></rect>"
            )
        parts.append(f'<text x="{x0 + bar * 1.5}" y="{base + 16}" class="tick">{i + 1}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _links(result: ResultLine) -> str:
    """The application's files, each a download link (for readers allowed to see them)."""
    return " ".join(f'<a href="{_e(d.download_url)}">{_e(d.kind)}</a>' for d in result.documents)


def _results_table(challenge: ChallengeReport) -> str:
    rows = "".join(
        f"<tr><td>{_e(r.rank or '')}</td><td>{_e(r.label)}</td><td>{_e(r.total or '')}</td>"
        f"<td>{_e(r.band or '')}</td><td>{'✔' if r.winner else ''}</td>"
        f"<td>{_links(r)}</td></tr>"
        for r in challenge.results
    )
    m = challenge.money
    return (
        f"<h3>{_e(challenge.title)}</h3><table><thead><tr><th>名次 rank</th><th>揭榜方 solver</th>"
        f"<th>总分 total</th><th>档次 band</th><th>中榜 winner</th><th>材料 documents</th>"
        f"</tr></thead><tbody>{rows}"
        f"</tbody></table><p class='money'>承诺 committed {m.committed:,.2f} · 已拨付 paid "
        f"{m.paid:,.2f} · 追回 clawed back {m.clawed_back:,.2f} CNY</p>"
    )


def render_html(report: RoundReport) -> str:
    colours = band_colours(report)
    legend = "".join(
        f'<span class="key"><i style="background:{c}"></i>{_e(b)}</span>'
        for b, c in colours.items()
    ) + "".join(
        f'<span class="key"><i style="background:{c}"></i>{_e(label)}</span>'
        for _, label, c in MONEY_SERIES
    )
    tables = "".join(_results_table(c) for c in report.challenges)
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{_e(report.title)} · 揭榜挂帅评审与资金报告</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
       "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; margin-bottom: .5em; }}
svg {{ max-width: 100%; height: auto; display: block; }}
td, th {{ border: 1px solid #ccc; padding: 4px 8px; text-align: left; }}
.grid {{ stroke: #eee; }} .axis {{ stroke: #444; }}
.tick {{ font-size: 10px; text-anchor: middle; fill: #666; }}
.label {{ font-size: 12px; text-anchor: end; }}
.key {{ margin-right: 1em; }} .key i {{ display: inline-block; width: 10px; height: 10px;
       margin-right: 4px; }}
</style></head>
<body data-city="{_e(report.city)}">
<h1>{_e(report.title)}</h1>
<p>城市 city: {_e(report.city_name)} · 规则集 rule set {_e(report.ruleset_version)} ·
   生成时间 generated {_e(report.generated_at.isoformat())}</p>
<p>{legend}</p>
<h2>评审得分分布 Score distribution and bands</h2>
{score_chart(report)}
<h2>资金 Money committed, paid and clawed back</h2>
{money_chart(report)}
<h2>排名 Ranked results</h2>
{tables}
<script>
(function () {{
  var b = document.body;
  b.setAttribute("data-points", document.querySelectorAll("#score-chart .point").length);
  b.setAttribute("data-bars", document.querySelectorAll("#money-chart .bar").length);
  var cjk = document.fonts && document.fonts.check("16px 'Noto Sans CJK SC'", "揭榜挂帅");
  b.setAttribute("data-cjk-font", cjk ? "yes" : "no");
  b.setAttribute("data-rendered", "yes");
}})();
</script>
</body></html>
"""


def render_csv(report: RoundReport) -> str:
    """UTF-8 with a BOM so spreadsheet software opens Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "challenge_id",
            "challenge",
            "rank",
            "application_id",
            "solver",
            "total",
            "band",
            "winner",
            "committed",
            "paid",
            "clawed_back",
        ]
    )
    for c in report.challenges:
        lines: list[ResultLine | None] = list(c.results) or [None]
        for r in lines:
            writer.writerow(
                [
                    c.challenge_id,
                    c.title,
                    r.rank if r else "",
                    r.application_id if r else "",
                    r.label if r else "",
                    r.total if r else "",
                    r.band if r else "",
                    (r.winner if r else ""),
                    f"{c.money.committed:.2f}",
                    f"{c.money.paid:.2f}",
                    f"{c.money.clawed_back:.2f}",
                ]
            )
    return "\ufeff" + buffer.getvalue()
