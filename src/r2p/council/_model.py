"""The Council vote model: each member's yes / abstain / no on a draft, and the draft's fate.

Two multinomial logistic regressions (permanent members, with a dummy per
member; elected members), fitted on every member vote in the cleaned record
dated strictly before ``as_of``. Features (``_features.FEATURES``): GA
alignment of the member with the target and with the sponsors, whether the
member is the target or a sponsor, presidential texts, amendments, manifest
atrocities (EWP ongoing mass killing), region, and the decayed history of the
Council's votes on the same target. A permanent member's "no" is a veto
(Charter art. 27(3)). The robustness of the instrument enters as a prior
logit offset (``_priors``), because the record does not say what instrument a
draft carried.

Whether a permanent member's "no" is a veto is a separate model (:class:`VetoModel`):
the equal-weight average of an L2 logistic regression and a small monotone-constrained
gradient-boosted tree ensemble (LightGBM), both on ``VETO_FEATURES`` plus member dummies.
The trees are stored as plain arrays and evaluated with NumPy, so predicting never
imports LightGBM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from r2p.council._cache import cached, memoised
from r2p.council._composition import FIRST_FULL_YEAR, P5, check_year, council_members, resolve_iso3
from r2p.council._features import (
    FEATURES,
    History,
    draft_key,
    feature_row,
    manifest_in,
    static_features,
)
from r2p.council._priors import (
    DEFAULT_SPONSORS,
    INSTRUMENTS,
    LOGIT_ABSTAIN_PER_RUNG,
    LOGIT_NO_PER_RUNG,
    REFERENCE_RUNG,
    RUNG,
)
from r2p.council._records import draft_table, load_votes
from r2p.council._voting import apply_restraint, pass_probability, restraint_vector
from r2p.errors import R2PInputError, suggest

VOTE_CLASSES = ("yes", "abstain", "no")
# Inverse L2 strengths, each chosen on the 2006–2010 validation window (fit ≤ 2005), never on 2011–:
C_REG = 0.1  # permanent members' yes/abstain/no regression
C_ELECTED = 0.03  # elected members' yes/abstain/no regression
C_VETO = 0.03  # permanent members' veto regression
#: The veto model's tree ensemble (LightGBM), chosen on the same validation window as ``C_VETO``
#: (by log loss; see docs/council.md). Fixed seed: the row and column subsampling is reproducible.
VETO_TREES: dict[str, Any] = {
    "n_estimators": 600, "learning_rate": 0.03, "num_leaves": 4, "min_child_samples": 50,
    "reg_lambda": 5.0, "subsample": 0.8, "subsample_freq": 1, "colsample_bytree": 0.8,
    "random_state": 0,
}
#: Signs the trees must respect (+1: never lowers the veto probability; −1: never raises it).
VETO_MONOTONE: dict[str, int] = {
    "agree_target": 1, "h_vetoed_before": 1, "is_sponsor": -1, "h_failed": 1, "h_veto_recent": 1,
    "h_failed_recent": 1,
}
#: Fewer recorded vetoes than this before ``as_of`` (i.e. as_of before late 1997): no veto regression;
#: a permanent member's "no" is then taken as a veto (the Charter reading, art. 27(3)).
MIN_VETOES = 5

#: Features of the veto regression (permanent members; plus one dummy per member).
VETO_FEATURES: tuple[str, ...] = (
    "agree_target", "self_target", "is_sponsor", "presidential", "has_sponsors", "agree_sponsors",
    "amendment", "manifest", "h_no", "h_abstain", "h_vetoed_before", "h_contest", "h_failed",
    "h_member_dissent", "side", "log_n_sponsors", "h_veto_recent", "h_failed_recent",
)
_VETO_COLS = [FEATURES.index(f) for f in VETO_FEATURES]
#: Features only the veto model uses; the yes/abstain/no regressions use every other column.
_VETO_ONLY = ("log_n_sponsors", "h_veto_recent", "h_failed_recent")
_VOTE_COLS = [i for i, f in enumerate(FEATURES) if f not in _VETO_ONLY]


def vote_matrix(X: np.ndarray) -> np.ndarray:
    """Return the yes/abstain/no regressions' columns of a ``FEATURES`` matrix."""
    return X[:, _VOTE_COLS]


def veto_matrix(X: np.ndarray, member: np.ndarray) -> np.ndarray:
    """Return the veto regression's design: the ``VETO_FEATURES`` columns and P5 dummies."""
    return np.hstack([X[:, _VETO_COLS], _p5_dummies(member)])


# ----------------------------------------------------------------------------- design matrix
@dataclass
class Design:
    """Every member vote as a feature row, built in date order from earlier drafts only."""

    X: np.ndarray  # (n, len(FEATURES)) float64
    member: np.ndarray  # ISO3
    permanent: np.ndarray  # bool
    y: np.ndarray  # 0 yes, 1 abstain, 2 no
    vetoed: np.ndarray  # 0/1
    draft_id: np.ndarray
    date: np.ndarray  # datetime64[us]
    target: np.ndarray  # ISO3 or ""
    key: np.ndarray  # history key


def _drafts_with_keys() -> pd.DataFrame:
    d = draft_table()
    d = d.copy()
    d["key"] = [draft_key(t, p) for t, p in zip(d["target"], d["topic"], strict=True)]
    return d


def build_design() -> Design:
    """Return the design matrix of every recorded member vote (features use only earlier drafts)."""
    votes = load_votes()
    drafts = _drafts_with_keys()
    hist = History()
    rows: list[list[float]] = []
    meta: list[tuple[Any, ...]] = []
    by_draft = {k: g for k, g in votes.groupby("draft_id", sort=False)}
    for _, day in drafts.groupby("date", sort=True):
        for d in day.itertuples(index=False):
            manifest = manifest_in(d.target, d.year)
            for v in by_draft[d.draft_id].itertuples(index=False):
                st = static_features(v.member, d.target, d.year, sponsors=d.sponsors,
                                     presidential=d.presidential, amendment=d.amendment,
                                     region=d.region, manifest=manifest)
                rows.append(feature_row(st, hist.features(d.key, v.member, d.date)))
                meta.append((v.member, v.permanent, VOTE_CLASSES.index(v.vote), v.vetoed, d.draft_id,
                             d.date, d.target or "", d.key))
        day_votes = votes[votes["draft_id"].isin(day["draft_id"])]
        hist.update(day, day_votes)
    m = list(zip(*meta, strict=True))
    return Design(
        X=np.asarray(rows, dtype=float), member=np.asarray(m[0]), permanent=np.asarray(m[1], dtype=bool),
        y=np.asarray(m[2], dtype=int), vetoed=np.asarray(m[3], dtype=int), draft_id=np.asarray(m[4]),
        date=np.asarray(m[5], dtype="datetime64[us]"), target=np.asarray(m[6]), key=np.asarray(m[7]))


def design() -> Design:
    """Return the (disk- and memory-cached) design matrix."""
    return memoised("design", build_design)


def history_before(cutoff: pd.Timestamp) -> History:
    """Return the vote history of every draft dated strictly before ``cutoff``."""
    votes = load_votes()
    drafts = _drafts_with_keys()
    early = drafts[drafts["date"] < cutoff]
    hist = History()
    hist.update(early, votes[votes["draft_id"].isin(early["draft_id"])])
    return hist


# ----------------------------------------------------------------------------- fitting
def _p5_dummies(member: np.ndarray) -> np.ndarray:
    return np.stack([(member == m).astype(float) for m in P5], axis=1)


@dataclass
class _Scaled:
    """A fitted multinomial logit as plain arrays (no scikit-learn needed to predict).

    ``coef`` (3, F) and ``intercept`` (3,) give the log-odds of yes/abstain/no on
    standardised features; a vote class never seen in training gets one pseudo-vote (or ``-inf``
    intercept for the veto regression's unused class).
    """

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray

    def logits(self, X: np.ndarray) -> np.ndarray:
        """Return (n, 3) log-odds against 'yes' for yes/abstain/no (−inf for absent classes)."""
        z = (X - self.mean) / self.scale
        raw = z @ self.coef.T + self.intercept
        return np.asarray(raw - raw[:, :1])

    def proba(self, X: np.ndarray) -> np.ndarray:
        """Return (n, 3) probabilities of yes/abstain/no."""
        lg = self.logits(X)
        lg = lg - lg.max(axis=1, keepdims=True)
        e = np.exp(lg)
        return np.asarray(e / e.sum(axis=1, keepdims=True))


def _fit(X: np.ndarray, y: np.ndarray, *, c_reg: float = C_REG, weights: np.ndarray | None = None,
         pseudo: bool = True) -> _Scaled:
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    if len(np.unique(y)) < 2:
        # Too early in the record for a regression (e.g. as_of in early 1994, every vote a yes):
        # constant vote shares with one pseudo-vote per class.
        counts = np.bincount(y, minlength=3) + 1.0
        return _Scaled(mean, scale, np.zeros((3, X.shape[1])), np.log(counts / counts.sum()))
    est = LogisticRegression(C=c_reg, max_iter=2000)
    # Small problems: BLAS threads only contend with other jobs on a shared machine.
    with threadpool_limits(1):
        est.fit((X - mean) / scale, y, sample_weight=weights)
    classes = np.asarray(est.classes_, dtype=int)
    coef = np.zeros((3, X.shape[1]))
    intercept = np.full(3, -np.inf)
    if len(classes) == 2:  # binary: sklearn gives the log-odds of classes[1] vs classes[0]
        coef[classes[1]] = est.coef_[0]
        intercept[classes[0]] = 0.0
        intercept[classes[1]] = est.intercept_[0]
        if pseudo and classes[0] == 0:  # a vote class never seen yet: one pseudo-vote vs the yes votes
            for k in set(range(3)) - set(classes.tolist()):
                intercept[k] = -np.log(np.sum(y == 0) + 1.0)
    else:
        coef[classes] = est.coef_
        intercept[classes] = est.intercept_
    return _Scaled(mean, scale, coef, intercept)


@dataclass
class FittedVotes:
    """The fitted regressions (P5 votes, elected votes, P5 vetoes) and the date range they saw."""

    p5: _Scaled
    elected: _Scaled
    veto: VetoModel | None  # None when fewer than MIN_VETOES vetoes precede as_of: p_veto = p_no
    n_votes: int
    first_date: str
    last_date: str


def fit_votes(mask: np.ndarray, *, c_reg: float = C_REG, c_elected: float = C_ELECTED) -> FittedVotes:
    """Fit the permanent-member and elected-member regressions on the design rows in ``mask``."""
    D = design()
    p5m = mask & D.permanent
    elm = mask & ~D.permanent
    if p5m.sum() < 5 or elm.sum() < 5:  # not even one recorded draft
        raise R2PInputError("too few recorded votes before this date to fit the vote model "
                            "(the draft-vote record starts in January 1994).")
    Xp = np.hstack([vote_matrix(D.X[p5m]), _p5_dummies(D.member[p5m])])
    p5 = _fit(Xp, D.y[p5m], c_reg=c_reg)
    el = _fit(vote_matrix(D.X[elm]), D.y[elm], c_reg=c_elected)
    n_vetoes = int(D.vetoed[p5m].sum())
    veto = fit_veto(p5m) if n_vetoes >= MIN_VETOES else None
    dates = D.date[mask]
    return FittedVotes(p5, el, veto, int(mask.sum()), str(dates.min())[:10], str(dates.max())[:10])


_Node = tuple[int, float, int, int, float]  # feature (−1 at a leaf), threshold, left, right, leaf value


def _flatten_tree(root: dict[str, Any]) -> tuple[list[_Node], int]:
    """Return one dumped LightGBM tree as a node list (root first) and its depth."""
    nodes: list[_Node] = []
    depth = 0
    stack: list[tuple[dict[str, Any], int, int, str]] = [(root, 0, -1, "")]
    while stack:
        node, d, parent, side = stack.pop()
        depth = max(depth, d)
        i = len(nodes)
        if parent >= 0:
            f, thr, left, right, v = nodes[parent]
            nodes[parent] = (f, thr, i, right, v) if side == "left" else (f, thr, left, i, v)
        if "split_feature" in node:
            if node["decision_type"] != "<=":
                raise ValueError(f"unsupported split {node['decision_type']!r}")
            nodes.append((int(node["split_feature"]), float(node["threshold"]), 0, 0, 0.0))
            stack.append((node["right_child"], d + 1, i, "right"))
            stack.append((node["left_child"], d + 1, i, "left"))
        else:
            nodes.append((-1, 0.0, 0, 0, float(node.get("leaf_value", 0.0))))
    return nodes, depth


@dataclass
class _Trees:
    """A fitted LightGBM binary ensemble as padded arrays, shape (trees, nodes).

    ``feature`` is −1 at a leaf; an internal node sends a row left when its value is
    ``<= threshold``. ``raw(X)`` is the sum of the leaves reached: the log-odds.
    """

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int

    @classmethod
    def from_lightgbm(cls, dump: dict[str, Any]) -> _Trees:
        """Return the arrays of a ``Booster.dump_model()`` (numerical ``<=`` splits only)."""
        flat = [_flatten_tree(info["tree_structure"]) for info in dump["tree_info"]]
        trees = [t for t, _ in flat]
        depth = max(d for _, d in flat)
        width = max(len(t) for t in trees)
        arr = np.zeros((len(trees), width, 5))
        arr[:, :, 0] = -1
        for k, t in enumerate(trees):
            arr[k, :len(t)] = t
        return cls(arr[:, :, 0].astype(int), arr[:, :, 1], arr[:, :, 2].astype(int),
                   arr[:, :, 3].astype(int), arr[:, :, 4], depth)

    def raw(self, X: np.ndarray) -> np.ndarray:
        """Return the ensemble's log-odds for each row of ``X`` (n,)."""
        X = np.nan_to_num(np.asarray(X, dtype=float))  # LightGBM reads a missing value as 0 here
        n, t = len(X), self.feature.shape[0]
        tix = np.broadcast_to(np.arange(t), (n, t))
        rows = np.broadcast_to(np.arange(n)[:, None], (n, t))
        node = np.zeros((n, t), dtype=int)
        for _ in range(self.depth):
            f = self.feature[tix, node]
            x = X[rows, np.maximum(f, 0)]
            nxt = np.where(x <= self.threshold[tix, node], self.left[tix, node], self.right[tix, node])
            node = np.where(f < 0, node, nxt)
        return np.asarray(self.value[tix, node].sum(axis=1))


@dataclass
class VetoModel:
    """P(a permanent member's vote is a veto): the mean of a logistic regression's and a tree
    ensemble's probabilities, on ``veto_matrix`` rows (``trees`` None: the regression alone)."""

    logistic: _Scaled
    trees: _Trees | None

    def proba(self, Xv: np.ndarray) -> np.ndarray:
        """Return the veto probability (0–1) of each row of a ``veto_matrix`` (n,)."""
        p = self.logistic.proba(Xv)[:, 2]
        if self.trees is not None:
            p = 0.5 * (p + 1.0 / (1.0 + np.exp(-self.trees.raw(Xv))))
        return np.asarray(p)

    def logit(self, Xv: np.ndarray) -> np.ndarray:
        """Return the log-odds of ``proba`` (n,)."""
        p = np.clip(self.proba(Xv), 1e-12, 1 - 1e-12)
        return np.asarray(np.log(p / (1.0 - p)))


def _fit_trees(X: np.ndarray, y: np.ndarray) -> _Trees:
    import lightgbm as lgb

    mono = [VETO_MONOTONE.get(f, 0) for f in VETO_FEATURES] + [0] * len(P5)
    est = lgb.LGBMClassifier(**VETO_TREES, monotone_constraints=mono, n_jobs=1, verbose=-1)
    est.fit(X, y)
    return _Trees.from_lightgbm(est.booster_.dump_model())


def fit_veto(mask: np.ndarray, *, c_reg: float = C_VETO, trees: bool = True) -> VetoModel:
    """Fit the veto model (``VetoModel``) on the permanent-member rows in ``mask``.

    ``trees=False`` fits the logistic regression alone (the model before council-15).
    """
    D = design()
    rows = mask & D.permanent
    y = np.where(D.vetoed[rows] == 1, 2, 0)
    if y.max() == 0:
        raise R2PInputError("no veto recorded before this date: the veto model cannot be fitted.")
    Xv = veto_matrix(D.X[rows], D.member[rows])
    logistic = _fit(Xv, y, c_reg=c_reg, pseudo=False)
    return VetoModel(logistic, _fit_trees(Xv, (y == 2).astype(int)) if trees else None)


# ----------------------------------------------------------------------------- public results
@dataclass(frozen=True)
class DraftOutcome:
    """Fate of a draft of one instrument: probabilities (0–1) that it passes, is vetoed by at least
    one permanent member, or gets no veto but fewer than nine votes (the three sum to 1)."""

    instrument: str
    p_pass: float
    p_veto: float
    p_short_of_nine: float


@dataclass
class CouncilOutlook:
    """What the Council would do about ``target`` in ``year``.

    ``drafts``: one ``DraftOutcome`` per instrument (ladder order); ``strongest_passable``:
    the most robust instrument with ``p_pass >= 0.5`` (None if none); ``expected_rounds``:
    expected number of drafts tabled, starting at the most robust instrument and watering
    down one rung after each failure, until one passes (the whole ladder counts as
    ``len(drafts)`` rounds if nothing passes); ``votes``: the ``vote_table`` it came from.
    """

    target: str
    year: int
    manifest: bool
    drafts: list[DraftOutcome]
    strongest_passable: str | None
    expected_rounds: float
    votes: pd.DataFrame = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (votes as a list of records)."""
        return {
            "target": self.target, "year": self.year, "manifest": self.manifest,
            "drafts": [d.__dict__ for d in self.drafts],
            "strongest_passable": self.strongest_passable, "expected_rounds": self.expected_rounds,
            "votes": self.votes.to_dict(orient="records"),
        }


def check_instruments(instruments: Sequence[str] | None) -> list[str]:
    """Return the instruments asked for in ladder order; unknown names raise ``R2PInputError``."""
    if instruments is None:
        return list(INSTRUMENTS)
    out = []
    for name in instruments:
        if name not in RUNG:
            raise R2PInputError(f"unknown instrument {name!r}; expected one of {', '.join(INSTRUMENTS)}."
                                + suggest(name, INSTRUMENTS))
        out.append(name)
    return sorted(set(out), key=RUNG.__getitem__)


_WB_TO_REGION = {"Sub-Saharan Africa": "Africa", "Middle East & North Africa": "Middle East",
                 "Europe & Central Asia": "Europe", "East Asia & Pacific": "Asia", "South Asia": "Asia",
                 "Latin America & Caribbean": "Americas", "North America": "Americas"}


def expected_rounds(p_pass_by_rung: Sequence[float]) -> float:
    """Return the expected number of drafts tabled from the strongest instrument down until one passes.

    ``p_pass_by_rung`` is in ladder order (weakest first); each failed draft is watered down
    one rung. If none passes, every rung was tried, so the value is at most ``len(p_pass_by_rung)``.
    """
    total, survive = 0.0, 1.0
    for p in reversed(list(p_pass_by_rung)):
        total += survive
        survive *= 1.0 - p
    return total


class CouncilModel:
    """The fitted vote model as of a date; answers ``vote_table`` and ``outlook`` without refitting."""

    def __init__(self, fitted: FittedVotes, as_of: dt.date | None) -> None:
        self.fitted = fitted
        self.as_of = as_of
        self._hist: dict[pd.Timestamp, History] = {}
        self._regions: dict[str, str] | None = None

    def __repr__(self) -> str:
        return (f"CouncilModel(as_of={self.as_of}, votes={self.fitted.n_votes}, "
                f"data {self.fitted.first_date}…{self.fitted.last_date})")

    # -- helpers
    def _history(self, year: int) -> History:
        cutoff = pd.Timestamp(year + 1, 1, 1)
        if self.as_of is not None:
            cutoff = min(cutoff, pd.Timestamp(self.as_of))
        if cutoff not in self._hist:
            self._hist[cutoff] = cached("history", lambda: history_before(cutoff), cutoff=str(cutoff.date()))
        return self._hist[cutoff]

    def _region_of(self, target: str) -> str:
        if self._regions is None:
            self._regions = cached("regions", _target_regions)
        if target in self._regions:
            return self._regions[target]
        from r2p.council._composition import country_region

        return _WB_TO_REGION.get(country_region(target), "Other")

    # -- public
    def vote_table(self, target: str, year: int, *, manifest: bool | None = None,
                   restraint: Mapping[str, float] | None = None,
                   instruments: Sequence[str] | None = None,
                   sponsors: Sequence[str] | None = None) -> pd.DataFrame:
        """Return one row per (instrument, member) with columns ``instrument, member, seat,
        p_yes, p_abstain, p_no, p_veto`` (probabilities 0–1; yes + abstain + no = 1).

        ``p_veto`` is, for a permanent member, the probability that it casts a veto: a "no" that
        defeats a draft (art. 27(3)), from the veto regression, never above ``p_no``, after
        ``restraint``; 0 for elected members. A permanent member's remaining "no" probability is
        a no on a draft that fails anyway. ``manifest=None`` takes EWP's
        ongoing-mass-killing flag for ``target`` in ``year``. ``sponsors`` (ISO3) defaults to
        the P3 penholders (``_priors.DEFAULT_SPONSORS``). For years before 1992 the ten
        elected seats are filled by ten *typical* GA members (rows ``E01``…``E10``), because
        the data hold no elected membership then.
        """
        tgt = resolve_iso3(target)
        y = check_year(year)
        names = check_instruments(instruments)
        rvec = restraint_vector(restraint)
        is_manifest = manifest_in(tgt, y) if manifest is None else bool(manifest)
        spons = tuple(resolve_iso3(s) for s in (DEFAULT_SPONSORS if sponsors is None else sponsors))
        members = council_members(y)
        hist = self._history(y)
        region = self._region_of(tgt)
        key = draft_key(tgt, None)
        when = pd.Timestamp(min(pd.Timestamp(y, 7, 1), pd.Timestamp(self.as_of) if self.as_of else
                                pd.Timestamp(y, 7, 1)))
        rows, seats, isos = [], [], []
        for m in members:
            st = static_features(m.iso3, tgt, y, sponsors=spons, presidential=False, amendment=False,
                                 region=region, manifest=is_manifest)
            rows.append(feature_row(st, hist.features(key, m.iso3, when)))
            seats.append(m.seat)
            isos.append(m.iso3)
        if y < FIRST_FULL_YEAR:  # ten typical elected members: mean alignment with the target that year
            rows_e = _typical_elected_rows(tgt, y, spons, region, is_manifest, hist, key, when)
            rows.extend(rows_e)
            seats.extend(["elected"] * len(rows_e))
            isos.extend(f"E{i + 1:02d}" for i in range(len(rows_e)))
        X = np.asarray(rows, dtype=float)
        perm = np.asarray([s == "permanent" for s in seats])
        logits = np.empty((len(rows), 3))
        Xp = np.hstack([vote_matrix(X[perm]), _p5_dummies(np.asarray(isos)[perm])])
        logits[perm] = self.fitted.p5.logits(Xp)
        logits[~perm] = self.fitted.elected.logits(vote_matrix(X[~perm]))
        # log-odds of a veto (a "no" that defeats the draft) for the permanent members
        veto_logit = (None if self.fitted.veto is None else
                      self.fitted.veto.logit(veto_matrix(X[perm], np.asarray(isos)[perm])))
        out = []
        for name in names:
            shift = RUNG[name] - REFERENCE_RUNG
            lg = logits.copy()
            lg[:, 1] += LOGIT_ABSTAIN_PER_RUNG * shift
            lg[:, 2] += LOGIT_NO_PER_RUNG * shift
            lg -= lg.max(axis=1, keepdims=True)
            p = np.exp(lg)
            p /= p.sum(axis=1, keepdims=True)
            p_veto = np.zeros(len(rows))
            if veto_logit is None:
                p_veto[perm] = p[perm, 2]
            else:
                pv_raw = 1.0 / (1.0 + np.exp(-(veto_logit + LOGIT_NO_PER_RUNG * shift)))
                p_veto[perm] = np.minimum(pv_raw, p[perm, 2])
            pv5 = apply_restraint(p_veto[perm], rvec, is_manifest)
            withheld = p_veto[perm] - pv5
            p[perm, 2] -= withheld
            p[perm, 1] += withheld
            p_veto[perm] = pv5
            for i in range(len(rows)):
                out.append((name, isos[i], seats[i], p[i, 0], p[i, 1], p[i, 2], p_veto[i]))
        return pd.DataFrame(out, columns=["instrument", "member", "seat", "p_yes", "p_abstain", "p_no",
                                          "p_veto"])

    def outlook(self, target: str, year: int, *, manifest: bool | None = None,
                restraint: Mapping[str, float] | None = None,
                sponsors: Sequence[str] | None = None) -> CouncilOutlook:
        """Return the ``CouncilOutlook`` for ``target`` in ``year``: per-instrument pass / veto /
        short-of-nine probabilities, the strongest instrument likely to pass (p_pass ≥ 0.5), and
        the expected number of rounds of watering-down before a draft passes."""
        tgt = resolve_iso3(target)
        y = check_year(year)
        is_manifest = manifest_in(tgt, y) if manifest is None else bool(manifest)
        votes = self.vote_table(tgt, y, manifest=is_manifest, restraint=restraint, sponsors=sponsors)
        drafts = []
        for name in INSTRUMENTS:
            v = votes[votes["instrument"] == name]
            py = v["p_yes"].to_numpy()
            pv = v.loc[v["seat"] == "permanent", "p_veto"].to_numpy()
            p_pass = float(pass_probability(py, pv))
            p_no_veto = float(np.prod(1.0 - pv))
            drafts.append(DraftOutcome(name, p_pass, 1.0 - p_no_veto, max(0.0, p_no_veto - p_pass)))
        passable = [d.instrument for d in drafts if d.p_pass >= 0.5]
        return CouncilOutlook(tgt, y, is_manifest, drafts, passable[-1] if passable else None,
                              expected_rounds([d.p_pass for d in drafts]), votes)


def _target_regions() -> dict[str, str]:
    """Return target ISO3 → the region label its drafts most often carry in the record."""
    d = draft_table()
    counts = d[d["target"].notna()].groupby(["target", "region"]).size().reset_index(name="n")
    top = counts.sort_values("n", ascending=False).drop_duplicates("target")
    return dict(zip(top["target"], top["region"], strict=True))


def _typical_elected_rows(target: str, year: int, sponsors: tuple[str, ...], region: str,
                          manifest: bool, hist: History, key: str, when: pd.Timestamp) -> list[list[float]]:
    """Return ten feature rows for 'typical' elected members before 1992: the GA's median state
    by agreement with the target that year (the data hold no elected membership before 1992)."""
    from r2p.council._alignment import alignment_data

    data = alignment_data()
    gy = data.data_year(min(year, 2019))
    ix = data.index[gy]
    if target in ix:
        ag_row = data.agree[gy][ix[target]]
        order = np.argsort(ag_row)
        median_state = list(ix)[int(order[len(order) // 2])]
    else:
        median_state = "IND"
    st = static_features(median_state, target, year, sponsors=sponsors, presidential=False,
                         amendment=False, region=region, manifest=manifest)
    row = feature_row(st, hist.features(key, median_state, when))
    return [row for _ in range(10)]


# ----------------------------------------------------------------------------- loading
_MODELS: dict[str, CouncilModel] = {}


def load_model(as_of: dt.date | None = None) -> CouncilModel:
    """Return the vote model fitted only on drafts dated strictly before ``as_of`` (all if None).

    Cached in memory and on disk (keyed by data fingerprint, code version and ``as_of``).
    ``as_of`` on or before 6 January 1994 (the first recorded draft) raises ``R2PInputError``.
    """
    if as_of is not None and not isinstance(as_of, dt.date):
        raise R2PInputError(f"as_of must be a date, got {as_of!r}.")
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    key = "all" if as_of is None else as_of.isoformat()
    if key not in _MODELS:
        def build() -> FittedVotes:
            D = design()
            mask = np.ones(len(D.y), bool) if as_of is None else D.date < np.datetime64(as_of, "us")
            return fit_votes(mask)

        _MODELS[key] = CouncilModel(cached("model", build, as_of=key, c=(C_REG, C_ELECTED, C_VETO)), as_of)
    return _MODELS[key]
