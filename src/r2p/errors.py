"""Errors shared by every r2p part.

``R2PInputError`` is bad input the user can fix (unknown country, impossible
parameter, malformed file): the command line maps it to exit code 2.
``R2PDataError`` is a problem with the shipped data (missing or corrupt file):
also exit code 2, with what to do about it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class R2PError(Exception):
    """Base class of every error r2p raises on purpose."""


class R2PInputError(R2PError, ValueError):
    """Bad input from the user: the message names the field, the value and what was expected."""


class R2PDataError(R2PError):
    """A shipped dataset is missing, corrupt or does not hold what was asked for."""


def suggest(value: str, choices: Iterable[str], n: int = 3) -> str:
    """Return a ' Did you mean …?' suffix with the closest choices to ``value`` (or '' if none)."""
    lowered: dict[str, str] = {}
    for c in choices:
        lowered.setdefault(str(c).lower(), str(c))
    matches = difflib.get_close_matches(str(value).lower(), list(lowered), n=n, cutoff=0.5)
    close = [lowered[m] for m in matches]
    return f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
