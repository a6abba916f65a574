"""The risk part's ``r2p demo`` step: the base-year-2024 ranking page."""

from __future__ import annotations

from pathlib import Path

from r2p._cli_util import atomic_write_text


def write_ranking(out: Path, base_year: int = 2024, top: int = 30, model: str | None = None) -> list[str]:
    """Write ``risk-ranking-<base_year>.html`` (top ``top`` countries and their drivers) into ``out``;
    return the line saying where it is."""
    from r2p.risk._protocol import forecast, resolve_model
    from r2p.risk._report import ranking_html

    name = resolve_model(model)
    frame = forecast(base_year, name)
    path = out / f"risk-ranking-{base_year}.html"
    atomic_write_text(path, ranking_html(frame, top=top, model=name))
    return [f"risk ranking: {path} (top {top} of {len(frame)} countries, model {name})"]
