"""A transparent, rule-based classifier of a Council text into the response ladder.

``classify_instrument(text)`` returns the *most robust* instrument whose rule
fires (a resolution that sets up a mission and an arms embargo is a peace
operation), or ``statement`` when none does. Rules are regular expressions on
lower-cased text, listed in ``RULES`` from the strongest instrument down, each
with the phrases that veto it (``NEGATIONS``: "threatens sanctions" is not a
sanction, "ban only, no enforcement" is not an authorisation of force).

Its accuracy is measured on ``instrument_sample.yaml``: Council events from the
case library with a recorded vote, labelled by hand (see ``docs/council.md``).
The shipped draft-vote record carries only agenda items and topic labels, from
which the classifier can rarely tell the instrument; that limit is measured
too, and is why the vote model treats robustness as a prior.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from r2p.council._priors import INSTRUMENTS

#: Rules from the most robust instrument down: instrument → patterns (any match fires).
RULES: dict[str, tuple[str, ...]] = {
    "force_authorization": (
        r"all necessary (means|measures)",
        r"authori[sz]\w* .{0,80}(multinational|force to|forces|operation|enforce|air power|military)",
        r"use of force|air ?strikes?|air power",
        r"halt and inspect|enforcement of the flight ban|enforce the embargo",
        r"\b(unitaf|ifor|sfor|kfor|turquoise|artemis)\b",
    ),
    "peace_operation": (
        r"peace[- ]?keep\w*|peace operation|observer mission|protection force",
        r"\b(unamir|unprofor|untac|unosom|unomil|unamsil|unmis|unamid|unmiss|monuc|monusco|minusca|minusma"
        r"|minurcat|unmil|unoci|binuca|unficyp|unifil|unmik)\b",
        r"\bmission\b|\btroops\b|police component|personnel|deploy\w*|\bmandate\b",
    ),
    "icc_referral": (
        r"international criminal court|\bicc\b|rome statute",
        r"tribunal|\bicty\b|\bictr\b|irmct|residual mechanism|prosecut",
    ),
    "arms_embargo": (
        r"arms embargo|embargo on (arms|weapons)|oil and arms|arms and (related )?materiel",
        r"\bembargo\b",
    ),
    "targeted_sanctions": (
        r"sanction|asset freezes?|freez\w+ (of )?(assets|funds)|travel ban|designat\w+",
        r"panel of experts|sanctions committee|controls on|passage of goods",
    ),
}

#: Phrases that stop an instrument's rule from firing in the sentence they appear in.
NEGATIONS: dict[str, tuple[str, ...]] = {
    "force_authorization": (r"no enforcement", r"ban only", r"not chapter vii", r"authori[sz]es no force",
                            r"authori[sz]es it to use"),
    "targeted_sanctions": (r"threaten\w* (further )?(measures|sanctions)",),
}


@dataclass(frozen=True)
class Classification:
    """The instrument chosen and the rule (instrument, pattern) that fired, or None for the default."""

    instrument: str
    rule: str | None


def classify_instrument(text: str) -> str:
    """Return the most robust instrument (one of ``INSTRUMENTS``) the text describes; ``statement``
    if no rule fires."""
    return explain_instrument(text).instrument


def explain_instrument(text: str) -> Classification:
    """Return the ``Classification`` of ``text`` with the pattern that decided it."""
    low = " ".join(str(text or "").lower().split())
    for instrument in INSTRUMENTS[::-1]:
        if instrument == "statement":
            break
        negs = NEGATIONS.get(instrument, ())
        if any(re.search(n, low) for n in negs):
            # a negation removes the instrument only if no pattern fires outside it
            stripped = low
            for n in negs:
                stripped = re.sub(n + r".{0,60}", " ", stripped)
            text_used = stripped
        else:
            text_used = low
        for pattern in RULES[instrument]:
            if re.search(pattern, text_used):
                return Classification(instrument, pattern)
    return Classification("statement", None)


@dataclass(frozen=True)
class LabelledEvent:
    """One hand-labelled Council event: its id (case#event), date, text, and the true instrument."""

    id: str
    date: str
    resolution: int | None
    text: str
    label: str


@lru_cache(maxsize=1)
def labelled_sample() -> tuple[LabelledEvent, ...]:
    """Return the hand-labelled sample (``instrument_sample.yaml``) joined to the case-library text.

    Each event's text is its ``legal_basis`` and ``description`` from the case library
    (warehouse table ``case_documents``); the label is ours, given in the YAML file.
    """
    from r2p.data import read_table

    path = resources.files("r2p.council").joinpath("instrument_sample.yaml")
    spec = yaml.safe_load(path.read_text("utf-8"))
    docs = {r.id: yaml.safe_load(r.yaml_text) for r in read_table("case_documents").itertuples(index=False)}
    out = []
    for item in spec["events"]:
        case_id, idx = item["id"].split("#")
        ev = docs[case_id]["events"][int(idx)]
        text = f"{ev.get('legal_basis', '')}. {ev.get('description', '')}"
        m = re.search(r"resolution (\d{2,4})|UNSCR (\d{2,4})", text)
        res = int(m.group(1) or m.group(2)) if m else None
        out.append(LabelledEvent(item["id"], str(ev["date"]), res, text, item["label"]))
    return tuple(out)


def sample_accuracy() -> dict[str, float]:
    """Return the classifier's accuracy on the hand-labelled sample: exact, within one rung, and n.

    Also scores the classifier on the text the draft-vote record holds for the same
    resolutions (agenda item + topic), where a resolution could be matched.
    """
    import pandas as pd

    from r2p.council._priors import RUNG
    from r2p.council._records import load_votes

    sample = labelled_sample()
    pred = [classify_instrument(e.text) for e in sample]
    exact = sum(p == e.label for p, e in zip(pred, sample, strict=True))
    near = sum(abs(RUNG[p] - RUNG[e.label]) <= 1 for p, e in zip(pred, sample, strict=True))
    votes = load_votes().drop_duplicates("draft_id")
    cols = (votes["resolution_no"], votes["agenda_item"], votes["topic"])
    by_res = {int(r): f"{a}. {t}" for r, a, t in zip(*cols,
                                                      strict=True) if not pd.isna(r)}
    matched = [(e, by_res[e.resolution]) for e in sample if e.resolution in by_res]
    rec_exact = sum(classify_instrument(t) == e.label for e, t in matched)
    majority = max(INSTRUMENTS, key=lambda i: sum(e.label == i for e in sample))
    return {
        "n": float(len(sample)), "accuracy": exact / len(sample), "within_one_rung": near / len(sample),
        "majority_class_accuracy": sum(e.label == majority for e in sample) / len(sample),
        "n_matched_to_record": float(len(matched)),
        "record_text_accuracy": rec_exact / len(matched) if matched else float("nan"),
    }
