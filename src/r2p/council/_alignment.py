"""General Assembly voting alignment of every pair of states, by year.

Two measures from the Voeten/unvotes roll calls (1946–2019):

* **agreement** – for the roll calls in a calendar year on which both states
  voted, ``1 − mean |v_a − v_b|`` with yes = 1, abstain = 0.5, no = 0 (0–1;
  1 = identical votes). This is Voeten's three-category affinity score.
* **ideal point** – each state's position on the main dimension of that year's
  votes, in the spirit of Bailey, Strezhnev & Voeten (2017, *JCR* 61(2)): our
  own, simpler estimate, not theirs. Per year, the state × roll-call matrix
  (yes 1, abstain 0.5, no 0; missing filled with the roll-call mean) is
  centred per roll call and its first principal component taken; scores are
  standardised (mean 0, s.d. 1 across states) and oriented so that the
  United States is positive. Unlike Bailey et al. there is no bridging across
  years, so distances are comparable across years only after the
  standardisation. ``ideal_point_distance`` is the absolute difference.

Years after the data (2020 on) and gaps (1964 had no recorded votes) take the
latest earlier year and are flagged ``carried_forward``.

Vote-file country codes are resolved through the crosswalk, after ``GA_CODE_FIXES`` for the
four codes it lacks. Yugoslavia's ``YU`` (1946–2020) is SRB, as the crosswalk maps COW 345 and
"Yugoslavia": one continuous state from the SFRY through the FRY and Serbia and Montenegro to
Serbia. The FRY took no part in the Assembly from September 1992 (res. 47/1) until its admission
in November 2000, so there are no SRB votes for 1993–1999.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from r2p.council._cache import memoised
from r2p.data import countries, read_table, resolve_country
from r2p.errors import R2PInputError

GA_FIRST_YEAR, GA_LAST_YEAR = 1946, 2019

#: GA vote-file codes the crosswalk does not resolve → ISO3 (the one place holding them). ``YU``
#: is every Yugoslavia (COW 345, the crosswalk's SRB); the others are states that no longer exist,
#: under their ISO 3166-3 codes. Without these, their votes were dropped.
GA_CODE_FIXES: Mapping[str, str] = MappingProxyType({"YU": "SRB", "CS": "CSK", "DD": "DDR", "YD": "YMD"})


@dataclass(frozen=True)
class Alignment:
    """Alignment of two states in a year.

    ``agreement``: GA voting agreement (0–1, NaN if they never voted together);
    ``ideal_point_distance``: |difference| of their main-dimension ideal points
    (standard deviations of that year's spread; NaN if either is missing);
    ``data_year``: the GA year actually used; ``carried_forward``: True when
    ``data_year`` differs from the year asked for.
    """

    a: str
    b: str
    year: int
    agreement: float
    ideal_point_distance: float
    data_year: int
    carried_forward: bool


@dataclass
class AlignmentData:
    """Per-year arrays: ``index[year]`` maps ISO3 → row, ``agree[year]`` (n×n), ``ideal[year]`` (n)."""

    index: dict[int, dict[str, int]]
    agree: dict[int, np.ndarray]
    ideal: dict[int, np.ndarray]
    n_votes: dict[int, int]

    def data_year(self, year: int) -> int:
        """Return the GA year used for ``year`` (itself, or the latest earlier year with votes)."""
        years = [y for y in self.agree if y <= year]
        if not years:
            raise R2PInputError(f"year={year} is before the General Assembly data ({min(self.agree)}–).")
        return max(years)


def ga_scores(code_fixes: Mapping[str, str] = GA_CODE_FIXES) -> pd.DataFrame:
    """Return every GA roll-call vote as ``rcid, date, iso3, score`` (yes 1, abstain 0.5, no 0).

    Vote-file country codes are resolved through the crosswalk; ``code_fixes`` (vote-file code →
    ISO3, default ``GA_CODE_FIXES``) is tried first; votes whose code resolves to nothing are
    dropped (``code_fixes={}`` gives the vote file as the crosswalk alone reads it)."""
    votes = read_table("ga_votes")
    calls = read_table("ga_roll_calls")[["rcid", "date"]]
    idx = countries()
    iso: dict[str, str] = {}
    for code in votes["country_code"].dropna().unique():
        try:
            iso[code] = code_fixes.get(str(code)) or idx.resolve(str(code)).iso3
        except R2PInputError:
            continue
    v = votes.dropna(subset=["country_code"]).copy()
    v["iso3"] = v["country_code"].map(iso)
    v["score"] = v["vote"].map({"yes": 1.0, "abstain": 0.5, "no": 0.0})
    v = v.dropna(subset=["iso3", "score"]).merge(calls, on="rcid")
    v["date"] = pd.to_datetime(v["date"])
    return v[["rcid", "date", "iso3", "score"]]


def _build() -> AlignmentData:
    v = ga_scores()
    v["year"] = v["date"].dt.year
    index: dict[int, dict[str, int]] = {}
    agree: dict[int, np.ndarray] = {}
    ideal: dict[int, np.ndarray] = {}
    n_votes: dict[int, int] = {}
    for year, grp in v.groupby("year"):
        mat = grp.pivot_table(index="iso3", columns="rcid", values="score", aggfunc="mean")
        if mat.shape[1] < 5:
            continue
        x = mat.to_numpy(dtype=float)
        present = ~np.isnan(x)
        x0 = np.where(present, x, 0.0)
        p = present.astype(float)
        # agreement: sum over common calls of (1 - |xa - xb|) / number of common calls
        common = p @ p.T
        # |xa - xb| = xa + xb - 2 min(xa, xb); with values in {0, .5, 1} use the identity
        # |a-b| = (a-b)^2 * 2 when |a-b| = .5 → not exact; compute directly by category.
        diff = np.zeros_like(common)
        cats = [(x0 == c) & present for c in (0.0, 0.5, 1.0)]
        vals = (0.0, 0.5, 1.0)
        for i, ci in enumerate(cats):
            for j, cj in enumerate(cats):
                if i != j:
                    diff += abs(vals[i] - vals[j]) * (ci.astype(float) @ cj.astype(float).T)
        with np.errstate(invalid="ignore", divide="ignore"):
            ag = 1.0 - diff / common
        ag[common == 0] = np.nan
        # ideal points: first principal component of the mean-filled, centred matrix
        col_mean = np.nanmean(x, axis=0)
        filled = np.where(present, x, col_mean)
        centred = filled - filled.mean(axis=0)
        u, s, _ = np.linalg.svd(centred, full_matrices=False)
        score = u[:, 0] * s[0]
        score = (score - score.mean()) / (score.std() or 1.0)
        names = list(mat.index)
        if "USA" in names and score[names.index("USA")] < 0:
            score = -score
        y = int(year)  # type: ignore[call-overload]
        index[y] = {iso: i for i, iso in enumerate(names)}
        agree[y] = ag.astype(np.float32)
        ideal[y] = score.astype(np.float32)
        n_votes[y] = int(mat.shape[1])
    return AlignmentData(index, agree, ideal, n_votes)


def alignment_data() -> AlignmentData:
    """Return the per-year alignment arrays (built once, cached on disk and in memory)."""
    return memoised("ga_alignment", _build)


def _lookup(data: AlignmentData, a: str, b: str, year: int) -> tuple[float, float, int]:
    """Return (agreement, ideal-point distance, GA year used), each state's latest year if absent."""
    dy = data.data_year(year)
    agreement, dist = np.nan, np.nan
    for y in sorted((y for y in data.agree if y <= dy), reverse=True)[:6]:
        ix = data.index[y]
        if a in ix and b in ix:
            agreement = 1.0 if a == b else float(data.agree[y][ix[a], ix[b]])
            dist = float(abs(data.ideal[y][ix[a]] - data.ideal[y][ix[b]]))
            return agreement, dist, y
    return agreement, dist, dy


def alignment(a_iso3: str, b_iso3: str, year: int) -> Alignment:
    """Return the GA alignment of states ``a_iso3`` and ``b_iso3`` in ``year``.

    Codes or names are resolved (``R2PInputError`` with suggestions if unknown).
    Years after 2019 use 2019 and years without votes the latest earlier year
    (flagged ``carried_forward``); a state absent that year uses its latest year
    within the previous five. Years before 1946 raise ``R2PInputError``.
    """
    a = resolve_country(a_iso3).iso3
    b = resolve_country(b_iso3).iso3
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise R2PInputError(f"year must be a whole year, got {year!r}.") from None
    if y < GA_FIRST_YEAR or y > 2100:
        raise R2PInputError(f"year={y} is outside the General Assembly data ({GA_FIRST_YEAR}–{GA_LAST_YEAR}, "
                            "later years carried forward).")
    data = alignment_data()
    agreement, dist, used = _lookup(data, a, b, y)
    return Alignment(a, b, y, agreement, dist, used, used != y)
