"""``r2p demo``: the main job on embedded defaults, run by ``make demo``.

Each step is one line in ``STEPS``; parts that land add theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from r2p._cli_util import console


def _build_warehouse(out: Path) -> list[str]:
    from r2p.data import build_warehouse

    report = build_warehouse()
    return [f"warehouse: {report.path} ({len(report.rows)} tables)"]


def _risk_ranking(out: Path) -> list[str]:
    from r2p.risk._demo import write_ranking

    return write_ranking(out)


def _brief(out: Path) -> list[str]:
    from r2p.report._demo import write_demo_brief

    return write_demo_brief(out)


def _dashboard_hint(out: Path) -> list[str]:
    return ["dashboard: run `.venv/bin/r2p serve` (or `r2p serve` in the venv) and open http://127.0.0.1:8000/"]


STEPS: list[tuple[str, Callable[[Path], list[str]]]] = [
    ("build the warehouse", _build_warehouse),
    ("rank countries by mass-killing risk (base year 2024)", _risk_ranking),
    ("write the policy brief on the top-risk country (data through 2024)", _brief),
    ("how to open the dashboard", _dashboard_hint),
]


def run_demo(out: Path) -> list[str]:
    """Run every demo step writing into ``out``; return the lines saying what was produced where."""
    out.mkdir(parents=True, exist_ok=True)
    produced: list[str] = []
    for title, step in STEPS:
        console.print(f"[bold]→ {title}[/]")
        produced.extend(step(out))
    return produced
