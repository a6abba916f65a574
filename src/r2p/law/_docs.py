"""Render every rule and regime parameter, with its value and source, as Markdown.

``docs/law.md`` holds this output between the markers below; a test keeps it in step with the
data (regenerate with ``python -m r2p.law._docs docs/law.md``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from r2p.law._catalog import (
    authority_paths,
    crimes,
    criteria,
    instruments,
    manifest_failing,
    regimes,
    regional_organisations,
)
from r2p.law._schema import BLOCS

BEGIN = "<!-- BEGIN GENERATED: python -m r2p.law._docs docs/law.md -->"
END = "<!-- END GENERATED -->"


def _row(cells: list[Any]) -> str:
    return "| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |"


def render() -> str:
    """The generated part of docs/law.md (Markdown)."""
    out: list[str] = ["## The response ladder (`instruments.yaml`)", ""]
    out.append(
        _row(
            [
                "rung",
                "instrument",
                "council class",
                "coercive",
                "force",
                "robustness 90 %",
                "troops",
                "lag (weeks)",
                "leak",
                "source",
            ]
        )
    )
    out.append(_row(["---"] * 10))
    for i in instruments():
        out.append(
            _row(
                [
                    i.rung,
                    f"`{i.name}`",
                    i.council_class,
                    "yes" if i.coercive else "",
                    "yes" if i.force else "",
                    f"{i.robustness_90[0]:g}–{i.robustness_90[1]:g}",
                    f"{i.troops:g}",
                    f"{i.lag_weeks:g}",
                    f"{i.leak:g}",
                    i.source,
                ]
            )
        )
    out += ["", "## Authority paths (`authority_paths.yaml`)", ""]
    out.append(
        _row(
            [
                "path",
                "legal",
                "force",
                "needs Council",
                *[f"accept. {b}" for b in BLOCS],
                "coordination",
                "erosion",
                "source",
            ]
        )
    )
    out.append(_row(["---"] * (7 + len(BLOCS))))
    for a in authority_paths():
        out.append(
            _row(
                [
                    f"`{a.name}`",
                    "yes" if a.legal else "no",
                    "yes" if a.confers_force else "no",
                    "yes" if a.requires_council else "no",
                    *[f"{getattr(a.acceptance, b):g}" for b in BLOCS],
                    f"{a.coordination:g}",
                    f"{a.erosion:g}",
                    a.source,
                ]
            )
        )
    out += ["", "## Crimes, “manifestly failing” and criteria (`triggers.yaml`)", ""]
    out.append(_row(["crime", "well defined", "detection factor", "pretext factor", "source"]))
    out.append(_row(["---"] * 5))
    for cr in crimes():
        out.append(
            _row(
                [
                    f"`{cr.name}`",
                    "yes" if cr.well_defined else "no",
                    f"{cr.detection_factor:g}",
                    f"{cr.pretext_factor:g}",
                    cr.source,
                ]
            )
        )
    mf = manifest_failing()
    out += ["", f"**{mf.title}.** {mf.operationalised_as} ({mf.source})", ""]
    out.append(_row(["criterion", "operationalised as", "source"]))
    out.append(_row(["---"] * 3))
    for k in criteria():
        out.append(_row([f"`{k.name}`", k.operationalised_as, k.source]))
    out += ["", "## Regional organisations (`regional_organisations.yaml`)", ""]
    out.append(_row(["organisation", "intervention right", "capacity", "source"]))
    out.append(_row(["---"] * 4))
    for o in regional_organisations():
        out.append(
            _row(
                [
                    f"`{o.name}` ({o.title})",
                    "yes" if o.intervention_right else "no",
                    f"{o.capacity:g}",
                    o.source,
                ]
            )
        )
    out += ["", "## Regimes (`regimes/*.yaml`)", ""]
    for r in regimes().values():
        c = r.council
        out += [f"### `{r.name}` — {r.title}", "", r.summary.strip(), "", f"Source: {r.source}", ""]
        out.append(_row(["parameter", "value"]))
        out.append(_row(["---", "---"]))
        out.append(_row(["detection.lag_factor", f"{r.detection.lag_factor:g}"]))
        out.append(
            _row(
                [
                    "council.deliberation_weeks / first_session_weeks",
                    f"{c.deliberation_weeks:g} / {c.first_session_weeks:g}",
                ]
            )
        )
        out.append(_row(["council.first_step_jump / max_jump", f"{c.first_step_jump} / {c.max_jump}"]))
        out.append(_row(["council.max_instrument", c.max_instrument]))
        out.append(
            _row(["council.restraint", ", ".join(f"{k} {v:g}" for k, v in c.restraint.items()) or "none"])
        )
        out.append(_row(["council.veto_threat_cost", f"{c.veto_threat_cost:g}"]))
        out.append(
            _row(
                [
                    "council.extra_members (slowdown each)",
                    f"{c.extra_members} ({c.slowdown_per_extra_member:g})",
                ]
            )
        )
        out.append(_row(["capacity.deployment_lag_factor", f"{r.capacity.deployment_lag_factor:g}"]))
        out.append(
            _row(
                [
                    "criteria.mode / proportional_max_instrument / min_prospects",
                    f"{r.criteria.mode} / {r.criteria.proportional_max_instrument} / "
                    f"{r.criteria.min_prospects:g}",
                ]
            )
        )
        out.append(_row(["force_outside_council", str(r.force_outside_council).lower()]))
        for p in r.paths:
            out.append(
                _row(
                    [
                        f"path `{p.name}`",
                        f"authority {p.authority}; instruments {', '.join(p.instruments)}; after "
                        f"{p.min_deadlocks} deadlock(s) and {p.min_weeks_manifest:g} weeks manifest; will "
                        f"{p.political_will:g}; decision {p.decision_weeks:g}+{p.extra_decision_weeks:g} "
                        f"weeks; "
                        f"signal {p.signal:g}; capacity "
                        f"{'regional org' if p.capacity is None and p.regional_orgs else p.capacity or 1}; "
                        f"regional orgs {', '.join(p.regional_orgs) or 'any'}; well-defined crime only "
                        f"{str(p.requires_well_defined_crime).lower()}; pretext use {p.pretext_use:g}; "
                        f"ex post "
                        f"validation {p.ex_post_validation:g}",
                    ]
                )
            )
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def write(path: Path) -> None:
    """Replace the generated part of ``path`` (between the markers) with ``render()``."""
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    path.write_text(f"{head}{BEGIN}\n\n{render()}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1]))
