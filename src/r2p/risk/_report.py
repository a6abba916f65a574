"""HTML and PNG output of the risk part: the ranking page, the reliability plot, the recall table."""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from r2p._cli_util import atomic_write_bytes, atomic_write_text

_CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{padding:4px 8px;border-bottom:1px solid #ddd;
text-align:left;vertical-align:top}th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.up{color:#b00}.down{color:#070}caption{text-align:left;font-weight:bold;margin:.5em 0}p.note{color:#555}"""


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title>"
            f"<style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>\n")


def _value_text(value: float) -> str:
    if value in (0.0, 1.0):
        return "yes" if value else "no"
    return f"{value:.3g}"


def ranking_html(frame: pd.DataFrame, *, top: int = 30, model: str = "") -> str:
    """Return a standalone HTML page ranking the ``top`` countries of a ``forecast`` frame."""
    year = int(frame["base_year"].iloc[0])
    rows = []
    for r in frame.head(top).itertuples(index=False):
        change = "" if pd.isna(r.change) else f"{100 * r.change:+.1f}"
        cls = "" if pd.isna(r.change) else ("up" if r.change > 0 else "down")
        drivers = "<br>".join(
            f"{html.escape(label)}: {_value_text(value)} <small>({contrib:+.2f})</small>"
            for _, label, value, contrib in r.drivers_detail[:3])
        rows.append(f"<tr><td class=num>{r.rank}</td><td>{html.escape(str(r.country))}</td><td>{r.iso3}</td>"
                    f"<td class=num>{100 * r.risk_2y:.1f}%</td><td class=num>{100 * r.risk_1y:.1f}%</td>"
                    f"<td class='num {cls}'>{change}</td><td>{drivers}</td></tr>")
    body = (f"<p>Risk of a new state-led mass-killing onset in {year + 1}–{year + 2}, from {year} data"
            f"{' (model ' + html.escape(model) + ')' if model else ''}. "
            f"Top {top} of {len(frame)} countries.</p>"
            "<table><tr><th>rank</th><th>country</th><th>ISO3</th><th>2-year risk</th><th>1-year risk</th>"
            "<th>change (points)</th><th>top drivers (value; log-odds vs. cross-country mean)</th></tr>"
            + "".join(rows) + "</table>"
            "<p class=note>Drivers are each predictor's contribution to the country's log-odds "
            "relative to the "
            "average country that year; positive values raise risk. Labels follow the EWP codebook.</p>")
    return _page(f"Mass-killing risk ranking, base year {year}", body)


def reliability_png(y: np.ndarray, series: dict[str, np.ndarray], *, title: str, bins: int = 10) -> bytes:
    """Return a PNG reliability diagram: for each named forecast series, the mean forecast vs. the
    observed onset rate in ``bins`` quantile bins (probabilities 0–1)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 5), dpi=110)
    top = 0.0
    for (label, p), colour in zip(series.items(), ("#b22", "#226", "#282"), strict=False):
        groups = np.array_split(np.argsort(p), bins)
        mean_p = np.array([p[g].mean() for g in groups])
        obs = np.array([y[g].mean() for g in groups])
        top = max(top, float(mean_p.max()), float(obs.max()))
        ax.plot(mean_p, obs, "o-", color=colour, label=label)
    ax.plot([0, top * 1.1], [0, top * 1.1], color="#999", lw=1, label="perfect calibration")
    ax.set_xlabel("forecast probability")
    ax.set_ylabel("observed onset rate (quantile bins)")
    ax.set_title(title, fontsize=10)
    ax.legend(loc="upper left", fontsize=8)
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else ""


def write_report(result: Any, out_dir: Path) -> list[Path]:
    """Write ``reliability.png``, ``recall_by_year.html`` and ``index.html`` for a ``BacktestResult``
    into ``out_dir`` (created if missing); return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    table, m = result.table, result.metrics
    scored = table.dropna(subset=["risk_prev"])
    from r2p.risk._metrics import annualise

    risk = scored["risk_prev"].to_numpy(float)
    png = reliability_png(scored["mk_onset"].to_numpy(float),
                          {"two-year risk_prev (as EWP score it)": risk,
                           "annualised risk_prev": annualise(risk)},
                          title=f"{result.model}: risk_prev vs. onset, {int(scored['year'].min())}–"
                                f"{int(scored['year'].max())}")
    paths = [out_dir / "reliability.png", out_dir / "recall_by_year.html", out_dir / "index.html"]
    atomic_write_bytes(paths[0], png)
    rows = "".join(
        f"<tr><td>{r['year']}</td><td class=num>{r['onsets']}</td><td class=num>{r['top10']}</td>"
        f"<td class=num>{r['top20']}</td><td class=num>{r['top30']}</td>"
        f"<td class=num>{_share(r['top30'], r['onsets'])}</td></tr>"
        for r in m["by_year"])
    recall = ("<table><tr><th>onset year</th><th>onsets</th><th>in top 10</th><th>in top 20</th>"
              f"<th>in top 30</th><th>recall@30</th></tr>{rows}"
              f"<tr><th>all</th><th class=num>{m['n_onsets']}</th><th class=num>{m['top10']}</th>"
              f"<th class=num>{m['top20']}</th><th class=num>{m['top30']}</th>"
              f"<th class=num>{m['recall_top30']:.0%}</th></tr></table>")
    atomic_write_text(paths[1], _page(f"Onsets caught by year — {result.model}", recall))
    summary = (f"<p>Model <b>{html.escape(result.model)}</b>, fully-out-of-sample backtest, onset years "
               f"{int(scored['year'].min())}–{int(scored['year'].max())}, {m['n_rows']} country-years, "
               f"{m['n_onsets']} onsets. Scores of risk_prev "
               "(the forecast from the previous year's data).</p>"
               f"<table><tr><th>AUC</th><th>Brier</th><th>log loss</th><th>top 10</th><th>top 20</th>"
               f"<th>top 30</th></tr><tr><td class=num>{m['auc']:.3f}</td><td class=num>{m['brier']:.5f}</td>"
               f"<td class=num>{m['log_loss']:.4f}</td><td class=num>{m['top10']}</td>"
               f"<td class=num>{m['top20']}</td><td class=num>{m['top30']}</td></tr></table>"
               "<h2>Reliability</h2><img src=\"reliability.png\" alt=\"reliability diagram\">"
               f"<h2>Recall by year</h2>{recall}")
    atomic_write_text(paths[2], _page(f"Early-warning backtest report — {result.model}", summary))
    return paths
