"""The report part's ``r2p demo`` step: one brief on the country ranked first by the latest forecast."""

from __future__ import annotations

from pathlib import Path

DEMO_BASE_YEAR = 2024  # the latest year of the EWP panel; the brief looks at the year after


def write_demo_brief(out: Path, draws: int = 2000, seed: int = 1) -> list[str]:
    """Write the HTML and PDF brief on the top-ranked country of the ``DEMO_BASE_YEAR`` forecast into
    ``out/briefs``; return the lines saying where it is and how to reproduce it."""
    from r2p.report import write_brief
    from r2p.risk import forecast

    top = str(forecast(DEMO_BASE_YEAR).iloc[0]["iso3"])
    result = write_brief(top, DEMO_BASE_YEAR, formats="both", out_dir=out / "briefs", draws=draws, seed=seed)
    pages = result.numbers.get("pdf_pages")
    return [f"policy brief: {result.paths['pdf']} ({pages} pages) and {result.paths['html']}",
            f"  reproduce it: {result.reproduce} --out {out / 'briefs'}"]
