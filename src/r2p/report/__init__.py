"""r2p.report: the policy brief on one country and year — HTML and PDF, with figures.

The brief gathers, through each part's public names, the early-warning risk and its drivers
(``r2p.risk``), the Security Council outlook (``r2p.council``), the response ladder and the legal
authority each rung needs (``r2p.law``), a seeded regime comparison (``r2p.crisis``) and the
nearest historical analogues (``r2p.cases``), and ends with data provenance and the command that
reproduces it.

Public names:
- ``write_brief(country, year, *, regimes=None, formats=("html", "pdf"), out_dir, draws, seed)
  -> BriefResult``: write the brief (and its numbers as JSON) atomically into ``out_dir``.
- ``BriefResult``: ``paths`` (format → file) and ``numbers`` (every number shown).
- ``FORMATS``: the formats a brief can be written in.
"""

from r2p.report._write import FORMATS, BriefResult, write_brief

__all__ = ["FORMATS", "BriefResult", "write_brief"]
