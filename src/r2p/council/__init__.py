"""r2p.council: the UN Security Council as a voting body, learned from the real record.

Core objects:
- ``council_members(year) -> list[Member]``: who sits on the Council (P5 only before 1992).
- ``alignment(a, b, year) -> Alignment``: GA voting agreement and ideal-point distance.
- ``load_model(as_of) -> CouncilModel``: the vote model fitted on drafts dated before ``as_of``;
  ``CouncilModel.vote_table`` gives each member's yes / abstain / no (and P5 veto) probability
  per instrument, ``CouncilModel.outlook`` the fate of each draft and the strongest passable one.
- ``pass_probability`` and ``apply_restraint``: the pure arithmetic of nine votes, the veto and
  veto restraint.
- ``veto_backtest(train_until) -> BacktestResult``: the temporal backtest of P5 vetoes (each draft
  predicted from everything dated before it), cached on disk; ``run_backtest`` computes it afresh.
- ``classify_instrument(text)``: the transparent rule-based instrument classifier.
- ``MODEL_VERSION``: changes whenever the fitted models' outputs may change (for dependants' caches).
- ``INSTRUMENTS`` (ladder order), ``P5`` (ISO3), ``RESTRAINT_PRESETS`` (pledges, with sources).
"""

from r2p.council._alignment import Alignment, alignment
from r2p.council._backtest import BacktestResult, run_backtest, veto_backtest
from r2p.council._cache import CODE_VERSION as MODEL_VERSION
from r2p.council._composition import P5, Member, council_members
from r2p.council._instruments import classify_instrument
from r2p.council._model import CouncilModel, CouncilOutlook, DraftOutcome, load_model
from r2p.council._priors import INSTRUMENTS, RESTRAINT_PRESETS
from r2p.council._targets import target_of
from r2p.council._voting import apply_restraint, pass_probability

__all__ = [
    "INSTRUMENTS",
    "MODEL_VERSION",
    "P5",
    "RESTRAINT_PRESETS",
    "Alignment",
    "BacktestResult",
    "CouncilModel",
    "CouncilOutlook",
    "DraftOutcome",
    "Member",
    "alignment",
    "apply_restraint",
    "classify_instrument",
    "council_members",
    "load_model",
    "pass_probability",
    "run_backtest",
    "target_of",
    "veto_backtest",
]
