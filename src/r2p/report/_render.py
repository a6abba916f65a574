"""Turn the collected numbers into the brief: plain-word sentences, HTML (Jinja2) and PDF (WeasyPrint).

Every number in the HTML is written by ``num(key, value, text)`` as
``<span class="n" data-key="risk.risk_2y" data-value="0.0837…">8.4%</span>``, so tests (and
readers) can check each figure against the data it came from.
"""

from __future__ import annotations

import base64
import math
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

P5_NAMES = {"USA": "United States", "GBR": "United Kingdom", "FRA": "France", "RUS": "Russia", "CHN": "China"}
INSTRUMENT_WORDS = {
    "statement": "a statement of concern", "targeted_sanctions": "targeted sanctions",
    "arms_embargo": "an arms embargo", "icc_referral": "a referral to the International Criminal Court",
    "peace_operation": "a peace-operation mandate", "force_authorization": "an authorisation of force",
}
BLOC_WORDS = {"western": "Western states", "russia_china": "Russia and China",
              "nam_g77": "the Non-Aligned Movement and G77", "regional": "the regional organisation"}
#: Short names of r2p.law authority paths for tables (the full titles are in ``r2p law`` and the numbers).
AUTHORITY_WORDS = {
    "chapter_vi": "Ch. VI (non-coercive)", "chapter_vii_art41": "Ch. VII, art. 41",
    "chapter_vii_art42": "Ch. VII, art. 42", "chapter_viii_art53": "regional action authorised (art. 53)",
    "self_defence_art51": "self-defence (art. 51)", "au_art4h": "AU Constitutive Act art. 4(h)",
    "uniting_for_peace": "GA Uniting for Peace", "host_consent": "host-state consent",
    "ex_post_validation": "ex post Council validation", "claimed_necessity": "claimed necessity (Kosovo)",
    "humanitarian_doctrine": "doctrine of humanitarian intervention",
    "democracies_vote": "vote of a coalition of democracies",
}
CLASS_WORDS = {"statement": "Statement", "targeted_sanctions": "Targeted sanctions",
               "arms_embargo": "Arms embargo", "icc_referral": "ICC referral",
               "peace_operation": "Peace operation",
               "force_authorization": "Force authorisation"}
TOP_WATCH = 30  # EWP's published advice: the top 30 is the group to watch (PROTOCOL.md "top-30 recall")


def _package_dir() -> Path:
    return Path(str(resources.files("r2p.report")))


# ----------------------------------------------------------------------------- number formatting
def pct(p: float | None, digits: int = 1) -> str:
    """Return a probability as a percentage ("8.4%"), or "–" for None."""
    return "–" if p is None else f"{100 * p:.{digits}f}%"


def prob(p: float | None) -> str:
    """Return a probability with two decimals ("0.89"), or "–"."""
    return "–" if p is None else f"{p:.2f}"


def whole(x: float | None) -> str:
    """Return a count rounded to a whole number with thousands separators, or "–"."""
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.0f}"


def num(key: str, value: Any, text: str | None = None) -> Markup:
    """Return a number wrapped in a span carrying its data key and full-precision value."""
    shown = text if text is not None else str(value)
    raw = "" if value is None else repr(value) if isinstance(value, (int, float)) else str(value)
    return Markup('<span class="n" data-key="{}" data-value="{}">{}</span>').format(key, raw, shown)


# ----------------------------------------------------------------------------- plain words
def risk_level(rank: int, n: int) -> str:
    """Return words placing a rank among ``n`` countries."""
    if rank <= 10:
        return "among the ten highest in the world"
    if rank <= TOP_WATCH:
        return f"in the top {TOP_WATCH}, the group the Early Warning Project advises watching"
    return f"outside the top {TOP_WATCH} (rank {rank} of {n})"


def trend_words(change: float | None, prev: float | None) -> str:
    """Return 'rising' / 'falling' / 'about level' for a change in two-year risk (relative 10 %)."""
    if change is None or not prev:
        return "with no earlier forecast to compare"
    rel = change / prev
    if rel >= 0.10:
        return "rising"
    if rel <= -0.10:
        return "falling"
    return "about level"


def driver_value(label: str, value: float) -> str:
    """Return a driver's value in words: yes/no for flags, the count (3 significant digits) for log2 ones."""
    if value in (0.0, 1.0) and "log2" not in label:
        return "yes" if value else "no"
    if "log2" in label:
        count = 2 ** value
        digits = max(0, int(math.floor(math.log10(count))) - 2) if count >= 1 else 0
        return f"about {round(count, -digits):,.0f}"
    return f"{value:.3g}"


def label(feature_label: str) -> str:
    """Return a driver label without its '(log2)' unit note (the value is shown as a count)."""
    return feature_label.replace(" (log2)", "")


def routes(option: dict[str, Any]) -> list[dict[str, Any]]:
    """Group an option's routes outside the Council by authority: name, words, legal, regimes."""
    out: dict[str, dict[str, Any]] = {}
    for x in option["outside"]:
        words = AUTHORITY_WORDS.get(x["authority"], x["authority"].replace("_", " "))
        entry = out.setdefault(x["authority"], {"authority": x["authority"], "legal": x["legal"],
                                                "regimes": [], "words": words})
        if x["regime"] not in entry["regimes"]:
            entry["regimes"].append(x["regime"])
    return list(out.values())


def strength(contribution: float) -> str:
    """Return how strongly a driver pulls (|log-odds| ≥ 0.5 strongly, ≥ 0.2 moderately, else slightly)."""
    a = abs(contribution)
    word = "strongly" if a >= 0.5 else "moderately" if a >= 0.2 else "slightly"
    return f"{word} {'raises' if contribution > 0 else 'lowers'}"


def likely_vote(row: dict[str, Any]) -> str:
    """Return the most likely vote of a member on a draft: 'yes', 'abstain' or 'veto'/'no'."""
    best = max(("yes", row["p_yes"]), ("abstain", row["p_abstain"]), ("no", row["p_no"]), key=lambda t: t[1])
    return "veto" if best[0] == "no" and row["p_veto"] > 0 else best[0]


# ----------------------------------------------------------------------------- view model
def view(numbers: dict[str, Any], reproduce: str) -> dict[str, Any]:
    """Return the template's context: the numbers plus derived, labelled pieces (no new numbers)."""
    from r2p.report._figures import regimes_svg, risk_trend_svg

    c, sim = numbers["council"], numbers["simulation"]
    titles = {r["name"]: r["title"] for r in numbers["regimes"]}
    votes: dict[str, dict[str, dict[str, Any]]] = {}
    for v in c["p5_votes"]:
        votes.setdefault(v["instrument"], {})[v["member"]] = {**v, "likely": likely_vote(v)}
    drafts = {d["instrument"]: d for d in c["drafts"]}
    force = drafts.get("force_authorization")
    vetoer = None
    if force is not None and "force_authorization" in votes:
        vetoer = max(votes["force_authorization"].values(), key=lambda v: v["p_veto"])
    table = sim["table"]
    by_regime = {row["regime"]: row for row in table}
    fewest = min(table, key=lambda r: r["deaths_civilian_mean"]) if table else None
    baseline = by_regime.get("status_quo", table[0] if table else None)
    lowest_nam = min(table, key=lambda r: r["legitimacy_nam_g77_mean"] if r["legitimacy_nam_g77_mean"]
                     is not None else 2.0) if table else None

    def svg_uri(svg: str) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()

    return {
        "n": numbers, "reproduce": reproduce, "titles": titles, "votes": votes, "drafts": drafts,
        "force": force, "vetoer": vetoer, "fewest": fewest, "baseline": baseline, "lowest_nam": lowest_nam,
        "risk_figure": svg_uri(risk_trend_svg(numbers["risk"], numbers["country"]["name"])),
        "regime_figure": svg_uri(regimes_svg(table, titles)),
        "weights": numbers["analogue_weights"], "instrument_words": INSTRUMENT_WORDS, "p5_names": P5_NAMES,
        "bloc_words": BLOC_WORDS,
    }


@lru_cache(maxsize=1)
def _env() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(str(_package_dir() / "templates")),
                      autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(num=num, pct=pct, prob=prob, whole=whole, risk_level=risk_level,
                       trend_words=trend_words, driver_value=driver_value, strength=strength, routes=routes,
                       label=label, authority_words=AUTHORITY_WORDS, class_words=CLASS_WORDS)
    return env


def _css(for_pdf: bool) -> str:
    css = (_package_dir() / "templates" / "brief.css").read_text(encoding="utf-8")
    if not for_pdf:
        return css
    fonts = _package_dir() / "fonts"
    faces = []
    for family, file, weight, style in (("R2P Serif", "DejaVuSerif.ttf", "normal", "normal"),
                                        ("R2P Serif", "DejaVuSerif-Bold.ttf", "bold", "normal"),
                                        ("R2P Serif", "DejaVuSerif-Italic.ttf", "normal", "italic"),
                                        ("R2P Mono", "DejaVuSansMono.ttf", "normal", "normal")):
        faces.append(f'@font-face {{ font-family: "{family}"; src: url("{(fonts / file).as_uri()}"); '
                     f"font-weight: {weight}; font-style: {style}; }}")
    return "\n".join(faces) + "\n" + css


def render_html(numbers: dict[str, Any], reproduce: str, *, for_pdf: bool = False) -> str:
    """Return the brief as a self-contained HTML page (figures inline; PDF variant loads bundled fonts)."""
    ctx = view(numbers, reproduce)
    return str(_env().get_template("brief.html.j2").render(css=Markup(_css(for_pdf)), for_pdf=for_pdf, **ctx))


def render_pdf(numbers: dict[str, Any], reproduce: str) -> tuple[bytes, int]:
    """Return the brief as PDF bytes and its page count (WeasyPrint, bundled DejaVu fonts only)."""
    from weasyprint import HTML

    html = render_html(numbers, reproduce, for_pdf=True)
    document = HTML(string=html, base_url=str(_package_dir())).render()
    return document.write_pdf(), len(document.pages)


__all__ = ["escape", "num", "pct", "prob", "render_html", "render_pdf", "view", "whole"]
