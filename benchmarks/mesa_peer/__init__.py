"""A per-agent peer of r2p's crisis model on Mesa 3.3 (the framework an IR researcher would
otherwise use): the same model, one Mesa ``Model`` per Monte Carlo draw, with a Perpetrator,
fifteen CouncilMembers (each voting individually), a Council that tables drafts, and one
Coalition agent per alternative authority path.

It shares r2p's *parameters* (the regime compiled by ``r2p.crisis._response.compile_regime``:
vote probabilities, packages, path constants, the perpetrator's expectation table) and
implements the *dynamics* independently, agent by agent, with Mesa's own random generator.
"""

from mesa_peer.model import CrisisModel, run_peer

__all__ = ["CrisisModel", "run_peer"]
