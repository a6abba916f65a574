"""The one place where the crisis simulator reads other parts: ``r2p.council``, ``r2p.risk``,
``r2p.law`` and the warehouse (``r2p.data``).

``scenario_inputs(target, year)`` returns a plain ``ScenarioInputs`` holding everything the
simulator needs about the target and year: each Council member's vote probabilities for
every Council draft class (with and without the crime manifest), the P5 veto
probabilities, each P5 member's alignment with the target, the baseline risk, the region,
the regional organisation and how closed the state is. Users (and tests) may build a
``ScenarioInputs`` themselves to override any of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from r2p.errors import R2PDataError, R2PInputError
from r2p.law import COUNCIL_CLASSES, P5, regional_organisation

N_MEMBERS = 15


@dataclass(frozen=True)
class ScenarioInputs:
    """Real-world inputs for one target state and year.

    Arrays (probabilities in [0, 1]):

    - ``p_yes[m, c, j]``: Council member ``j`` (``members[j]``; the P5 first, in ``P5`` order)
      votes yes on a draft of class ``COUNCIL_CLASSES[c]``; ``m`` = 0 before / without a
      manifest atrocity crime, 1 with it manifest.
    - ``p_veto[m, c, i]``: P5 member ``i`` casts (or credibly threatens) a veto.

    ``baseline_risk`` is the 1-year risk (0..1) of state-led mass-killing onset from
    ``r2p.risk`` for the year; ``closed_state`` (0..1) is 1 − V-Dem freedom of discussion
    (EWP panel), which lengthens detection; ``alignment`` maps each P5 member to its
    General Assembly voting agreement (0..1) with the target.
    """

    target: str
    country: str
    year: int
    region: str
    regional_org: str
    p_yes: NDArray[np.float64]
    p_veto: NDArray[np.float64]
    members: tuple[str, ...] = ()
    baseline_risk: float = float("nan")
    risk_rank: int | None = None
    n_countries: int | None = None
    closed_state: float = 0.5
    alignment: dict[str, float] = field(default_factory=dict)
    source: str = "user"

    def __post_init__(self) -> None:
        p_yes = np.asarray(self.p_yes, dtype=np.float64)
        p_veto = np.asarray(self.p_veto, dtype=np.float64)
        c = len(COUNCIL_CLASSES)
        if p_yes.shape != (2, c, N_MEMBERS):
            raise R2PInputError(
                f"ScenarioInputs.p_yes: shape {p_yes.shape}, expected (2, {c}, {N_MEMBERS}) "
                f"(manifest no/yes, Council class {COUNCIL_CLASSES}, member)"
            )
        if p_veto.shape != (2, c, len(P5)):
            raise R2PInputError(
                f"ScenarioInputs.p_veto: shape {p_veto.shape}, expected (2, {c}, {len(P5)}) "
                f"(manifest no/yes, Council class, P5 member {P5})"
            )
        for name, arr in (("p_yes", p_yes), ("p_veto", p_veto)):
            if not np.all(np.isfinite(arr)) or arr.min() < 0 or arr.max() > 1:
                raise R2PInputError(
                    f"ScenarioInputs.{name}: every value must be a probability in [0, 1] "
                    f"(got min {np.nanmin(arr)}, max {np.nanmax(arr)}, NaN present: "
                    f"{bool(np.isnan(arr).any())})"
                )
        if np.any(p_yes[:, :, :5] + p_veto > 1 + 1e-9):
            raise R2PInputError("ScenarioInputs: p_yes + p_veto of a P5 member exceeds 1 for some class")
        if not (0.0 <= self.closed_state <= 1.0) or math.isnan(self.closed_state):
            raise R2PInputError(
                f"ScenarioInputs.closed_state: {self.closed_state!r}, expected a number in [0, 1]"
            )
        p_yes.setflags(write=False)
        p_veto.setflags(write=False)
        object.__setattr__(self, "p_yes", p_yes)
        object.__setattr__(self, "p_veto", p_veto)
        if not self.members:
            object.__setattr__(self, "members", (*P5, *(f"E{i}" for i in range(1, 11))))

    def with_veto(self, member: str, p_veto: float | NDArray[np.float64]) -> ScenarioInputs:
        """Return a copy where P5 ``member``'s veto propensity is ``p_veto`` (per class or scalar),
        the added mass taken from its non-yes share first, then from yes."""
        if member not in P5:
            raise R2PInputError(f"member: {member!r} is not a permanent member; allowed: {', '.join(P5)}")
        i = P5.index(member)
        new_veto = np.array(self.p_veto)
        new_yes = np.array(self.p_yes)
        target = np.broadcast_to(np.asarray(p_veto, dtype=np.float64), new_veto[:, :, i].shape)
        free = 1.0 - new_yes[:, :, i] - new_veto[:, :, i]
        extra = np.maximum(target - new_veto[:, :, i], 0.0)
        from_yes = np.maximum(extra - free, 0.0)
        new_yes[:, :, i] = np.maximum(new_yes[:, :, i] - from_yes, 0.0)
        new_veto[:, :, i] = np.minimum(np.maximum(new_veto[:, :, i], target), 1.0 - new_yes[:, :, i])
        return _replace(self, p_yes=new_yes, p_veto=new_veto)


def _replace(inputs: ScenarioInputs, **changes: Any) -> ScenarioInputs:
    import dataclasses

    return dataclasses.replace(inputs, **changes)


# --------------------------------------------------------------------------- real inputs


_COUNCIL_API = ("INSTRUMENTS", "P5", "load_model", "alignment")
_RISK_API = ("country_risk",)


def council_available() -> bool:
    """True when ``r2p.council`` and ``r2p.risk`` import and expose the API the simulator uses."""
    try:
        import r2p.council as council
        import r2p.risk as risk
    except ImportError:
        return False
    return all(hasattr(council, n) for n in _COUNCIL_API) and all(hasattr(risk, n) for n in _RISK_API)


def _closed_state(ewp_name: str | None, year: int) -> float:
    """1 − V-Dem freedom of discussion for the latest EWP panel year <= ``year`` (0.5 if absent)."""
    if not ewp_name:
        return 0.5
    from r2p.data import query

    df = query(
        "select year, freediscussion from ewp_panel where ewp_name = ? and year <= ? "
        "order by year desc limit 1",
        [ewp_name, int(year)],
    )
    if df.empty or not np.isfinite(df["freediscussion"].iloc[0]):
        return 0.5
    return float(np.clip(1.0 - float(df["freediscussion"].iloc[0]), 0.0, 1.0))


def check_year(iso3: str, ewp_name: str | None, year: int) -> None:
    """Raise ``R2PInputError`` unless the EWP panel has the target in ``year - 1`` (the base year
    the baseline risk is forecast from)."""
    from r2p.data import query

    if not ewp_name:
        raise R2PInputError(
            f"target: {iso3} is not in the Early Warning Project panel, so it has no "
            f"baseline risk; choose a state covered by EWP (see `r2p data countries`)"
        )
    span = query("select min(year) as lo, max(year) as hi from ewp_panel where ewp_name = ?", [ewp_name])
    lo, hi = span["lo"].iloc[0], span["hi"].iloc[0]
    if lo != lo or not (int(lo) + 1 <= year <= int(hi) + 1):
        raise R2PInputError(
            f"year: {year} is outside the years {iso3} can be simulated "
            f"({int(lo) + 1}-{int(hi) + 1}: the baseline risk is forecast from the previous year)"
        )


def scenario_inputs(target: str, year: int) -> ScenarioInputs:
    """Return the real inputs for ``target`` (ISO3, ISO2, COW code or name) in ``year``.

    Vote and veto probabilities come from ``r2p.council`` (as of that year, with and without
    the crime manifest), the baseline risk from ``r2p.risk`` (forecast from ``year - 1``),
    alignments from ``r2p.council.alignment``, region from the warehouse crosswalk and the
    regional organisation from ``r2p.law``. Raises ``R2PInputError`` for an unknown country or
    year and ``R2PDataError`` if the Council or risk model is unavailable.
    """
    from r2p.data import resolve_country

    country = resolve_country(target)
    if not isinstance(year, int) or isinstance(year, bool):
        raise R2PInputError(f"year: {year!r} is not an integer year")
    check_year(country.iso3, country.ewp_name, year)
    if not council_available():
        raise R2PDataError(
            "r2p.council / r2p.risk are not installed yet, so real scenario inputs cannot be "
            "built; pass ScenarioInputs(...) explicitly to simulate with your own inputs."
        )
    import datetime
    import importlib

    council: Any = importlib.import_module("r2p.council")
    risk: Any = importlib.import_module("r2p.risk")

    if tuple(council.INSTRUMENTS) != COUNCIL_CLASSES or tuple(council.P5) != P5:
        raise R2PDataError(
            f"r2p.council classes {council.INSTRUMENTS} / P5 {council.P5} differ from "
            f"r2p.law's {COUNCIL_CLASSES} / {P5}"
        )
    model = council.load_model(as_of=datetime.date(int(year), 12, 31))
    p_yes, p_veto, members = vote_arrays(model, country.iso3, int(year))
    cr = risk.country_risk(country.iso3, int(year) - 1)
    alignment = {}
    for member in P5:
        al = council.alignment(member, country.iso3, int(year))
        alignment[member] = float(al.agreement)
    org = regional_organisation(country.iso3, country.region or "")
    return ScenarioInputs(
        target=country.iso3,
        country=country.name,
        year=int(year),
        region=country.region or "",
        regional_org=org.name,
        p_yes=p_yes,
        p_veto=p_veto,
        members=members,
        baseline_risk=float(cr.risk_1y),
        risk_rank=int(cr.rank),
        n_countries=int(cr.n_countries),
        closed_state=_closed_state(country.ewp_name, int(year)),
        alignment=alignment,
        source="r2p.council+r2p.risk",
    )


def vote_arrays(
    model: Any, target: str, year: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], tuple[str, ...]]:
    """Return ``(p_yes[2, classes, 15], p_veto[2, classes, 5], members)`` from a fitted
    ``r2p.council`` model's vote table for ``target`` in ``year`` (axis 0: crime not manifest /
    manifest; members: P5 in ``P5`` order, then the elected members by ISO3)."""
    p_yes = np.zeros((2, len(COUNCIL_CLASSES), N_MEMBERS))
    p_veto = np.zeros((2, len(COUNCIL_CLASSES), len(P5)))
    members: tuple[str, ...] = ()
    for m, manifest in enumerate((False, True)):
        table = model.vote_table(target, year, manifest=manifest)
        elected = sorted({str(x) for x in table["member"]} - set(P5))
        order = [*P5, *elected]
        if len(order) != N_MEMBERS:
            raise R2PDataError(
                f"r2p.council vote table for {target} {year} has {len(order)} members, expected {N_MEMBERS}"
            )
        members = tuple(order)
        for row in table.itertuples(index=False):
            c = COUNCIL_CLASSES.index(str(row.instrument))
            j = order.index(str(row.member))
            p_yes[m, c, j] = float(row.p_yes)
            if j < len(P5):
                p_veto[m, c, j] = float(row.p_veto)
    return p_yes, p_veto, members
