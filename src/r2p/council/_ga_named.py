"""General Assembly roll calls that *name* a state, and how each member votes on them.

A permanent member that votes with a state on the GA resolutions about it, against the
Assembly's majority (Russia and China on "Situation of human rights in Myanmar", the United
States on the Israel–Palestine resolutions), is shielding that state; its veto of a Council
draft about the same state should be likelier than its overall GA affinity suggests.

Two parts:

* :func:`named_states` — a transparent matcher of a roll call's text (``short`` + ``descr``) to
  the ISO3 codes of the states it names. Names: every crosswalk name and alias that is not a
  country code (ISO2 "in", "as" and ISO3 "can" are English words). Phrases
  (``SUBJECT_PHRASES``, overriding a name spelt the same): GA shorthand, and places mapped to
  the state answerable for them, as ``_targets`` maps Council topics (the occupied Golan,
  Jerusalem and the Palestinian territories → ISR, Crimea → RUS, Kosovo → SRB, …). All are
  matched on whole words, case- and punctuation-insensitively, the longest first, so
  "Democratic People's Republic of Korea" is PRK and not also KOR, and "Guinea-Bissau" is GNB
  and not GIN.
* :func:`ga_shield` — for a member m, a named state t and a date, the exponentially decayed
  (half-life ``NAMED_HALF_LIFE_YEARS``) mean, over the roll calls naming t dated strictly
  before that date, of ``|v̄ − v_t| − |v_m − v_t|``: how much closer m's vote is to t's own vote
  than the Assembly's mean vote is (votes yes 1, abstain 0.5, no 0). t's own vote orients each
  roll call, so a resolution t sponsors counts the other way from one condemning t. Roll calls
  on which t or m did not vote are skipped. One pseudo roll call with value 0 shrinks thin
  records towards 0. The GA data end in January 2020; later dates use the value at the end of
  the data (no further decay) and are flagged ``carried_forward``.

**Not used by the vote or veto model.** ``ga_shield`` was tried as a veto-model feature and
rejected on the 1999–2010 validation backtest (better log loss, worse Brier); the numbers are in
docs/council.md ("Tried and rejected"). The module is kept, with its tests, for later experiments.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from r2p.council._alignment import ga_scores
from r2p.council._cache import memoised
from r2p.data import read_table

#: Decay of a member's stance on the roll calls naming a state: the better of 2 and 5 years by
#: log loss on the 1999–2010 validation backtest (docs/council.md).
NAMED_HALF_LIFE_YEARS = 2.0

#: Phrases that name a state without its name: GA shorthand, and places whose resolutions are
#: about the occupying or administering state (as ``_targets.TOPIC_TARGETS`` maps them).
#: They override a name, so "Kosovo" is SRB, not XKX ("occupied Syrian Golan" is ISR alone:
#: "Syrian" is not a name).
SUBJECT_PHRASES: dict[str, str] = {
    "golan": "ISR", "israeli": "ISR", "jerusalem": "ISR",
    "palestine": "ISR", "palestinian": "ISR", "palestinians": "ISR", "unrwa": "ISR",
    "occupied territories": "ISR", "occupied arab territories": "ISR",
    "crimea": "RUS", "sevastopol": "RUS",
    "kosovo": "SRB", "darfur": "SDN", "western sahara": "MAR",
    "abkhazia": "GEO", "south ossetia": "GEO", "tskhinvali": "GEO",
    "democratic congo": "COD", "dprk": "PRK",
}

def normalise_text(text: str) -> str:
    """Return ``text`` folded for matching: ASCII lower case, apostrophes dropped ("people's",
    the mis-encoded "People?Ã†s" and "people s" all become "peoples"), other punctuation as
    single spaces."""
    s = re.sub(r"\?(?:[^\x00-\x7f]+\s?)?(?=[A-Za-z])", "", str(text))  # an apostrophe lost to encoding
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    s = re.sub(r"\b([a-z]+) s\b", r"\1s", s)  # "people s" (apostrophe lost) → "peoples"
    return " ".join(s.split())


def _aliases() -> dict[str, str]:
    """Return normalised alias → ISO3: the crosswalk names (without ISO's leading or trailing
    "the"), then ``SUBJECT_PHRASES`` on top."""
    tab = read_table("country_aliases")
    cw = read_table("countries")
    codes = {str(c).lower() for col in ("iso3", "iso2") for c in cw[col].dropna()}
    out: dict[str, str] = {}
    for alias, iso3 in zip(tab["alias"], tab["iso3"], strict=True):
        key = re.sub(r"^the | the$", "", normalise_text(alias))  # ISO's "Sudan (the)" → "sudan"
        if key and not key.isdigit() and key not in codes:  # codes collide with words
            out.setdefault(key, str(iso3))
    for phrase, iso3 in SUBJECT_PHRASES.items():
        out[normalise_text(phrase)] = iso3
    return out


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    aliases = _aliases()
    keys = sorted(aliases, key=len, reverse=True)  # at a given position the longest name wins
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keys) + r")\b")
    return pattern, aliases


def named_states(text: str) -> frozenset[str]:
    """Return the ISO3 codes of the states a GA roll call's ``text`` names (see the module rules)."""
    pattern, aliases = _matcher()
    return frozenset(aliases[m.group(0)] for m in pattern.finditer(normalise_text(text)))


def _days(ts: pd.Timestamp | np.datetime64) -> float:
    return float(pd.Timestamp(ts).value) / 86_400e9


@dataclass
class NamedRecord:
    """Per named state t: ``day[t]`` (days since 1970, sorted) of the roll calls naming t on
    which t voted, and ``shield[t][m]``, member m's ``|v̄ − v_t| − |v_m − v_t|`` on each of them
    (−1…1; NaN where m did not vote). ``end_day``: the day after the last GA roll call."""

    day: dict[str, np.ndarray]
    shield: dict[str, dict[str, np.ndarray]]
    end_day: float


def _build() -> NamedRecord:
    calls = read_table("ga_roll_calls")
    text = calls["short"].fillna("").astype(str) + " " + calls["descr"].fillna("").astype(str)
    named = {int(r): named_states(t) for r, t in zip(calls["rcid"], text, strict=True)}
    scores = ga_scores()  # with _alignment.GA_CODE_FIXES (Serbia's votes are under "YU")
    # one vote per (roll call, state); the few duplicates are averaged
    mat = scores.pivot_table(index="rcid", columns="iso3", values="score", aggfunc="mean")
    dates = scores.groupby("rcid")["date"].first()
    mean = mat.mean(axis=1)
    rows: dict[str, list[int]] = {}
    for rcid in mat.index:
        for t in named.get(int(rcid), ()):
            if t in mat.columns and not np.isnan(mat.at[rcid, t]):
                rows.setdefault(t, []).append(int(rcid))
    out_day: dict[str, np.ndarray] = {}
    out_shield: dict[str, dict[str, np.ndarray]] = {}
    for t, rc in rows.items():
        order = np.argsort([_days(dates[r]) for r in rc], kind="stable")
        rc = [rc[i] for i in order]
        sub = mat.loc[rc]
        own = sub[t].to_numpy(dtype=float)
        gap = np.abs(mean.loc[rc].to_numpy(dtype=float) - own)
        out_day[t] = np.asarray([_days(dates[r]) for r in rc])
        out_shield[t] = {
            str(m): (gap - np.abs(sub[m].to_numpy(dtype=float) - own)).astype(np.float32)
            for m in sub.columns if sub[m].notna().any()
        }
    return NamedRecord(out_day, out_shield, _days(dates.max()) + 1.0)


def named_record() -> NamedRecord:
    """Return the ``NamedRecord`` of every GA roll call (built once, cached on disk and in memory)."""
    return memoised("ga_named", _build)


@dataclass(frozen=True)
class NamedStance:
    """Member ``member``'s stance on the GA roll calls naming ``target`` as of ``when``.

    ``shield``: the decayed, shrunk mean of ``|v̄ − v_t| − |v_m − v_t|`` (−1…1; > 0: votes with
    the target against the Assembly); ``weight``: the decayed number of roll calls behind it;
    ``carried_forward``: True when ``when`` is after the GA data and their last value is used.
    """

    member: str
    target: str
    when: pd.Timestamp
    shield: float
    weight: float
    carried_forward: bool


def ga_stance(member: str, target: str | None, when: pd.Timestamp,
              half_life_years: float = NAMED_HALF_LIFE_YEARS) -> NamedStance:
    """Return the ``NamedStance`` of ISO3 ``member`` towards ISO3 ``target`` from the roll calls
    dated strictly before ``when`` (shield 0 and weight 0 without a target or such roll calls)."""
    data = named_record()
    now = _days(when)
    carried = now > data.end_day
    if not target or target not in data.day or member not in data.shield[target]:
        return NamedStance(member, target or "", when, 0.0, 0.0, carried)
    day = data.day[target]
    k = int(np.searchsorted(day, now, side="left"))  # roll calls dated strictly before ``when``
    s = data.shield[target][member][:k].astype(float)
    ok = ~np.isnan(s)
    w = 0.5 ** ((min(now, data.end_day) - day[:k][ok]) / (half_life_years * 365.25))
    weight = float(w.sum())
    value = float((w * s[ok]).sum() / (weight + 1.0))
    return NamedStance(member, target, when, value, weight, carried)


def ga_shield(member: str, target: str | None, when: pd.Timestamp) -> float:
    """Return ``ga_stance(member, target, when).shield`` (−1…1; 0 without named roll calls)."""
    return ga_stance(member, target, when).shield
