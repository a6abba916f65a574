"""r2p: an executable model of the international system for preventing and stopping mass atrocities.

Parts (each a sub-package, data flowing left to right):
``data`` → ``risk`` → ``council`` → ``law`` → ``crisis`` → ``cases`` → ``sweep`` → ``report`` / ``web``.
"""

__version__ = "0.1.0"
