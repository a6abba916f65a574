"""``r2p serve``: start the dashboard, saying where to open it."""

from __future__ import annotations

from r2p._cli_util import err_console
from r2p.web._serve import check_bind, is_loopback, serve


def run_serve(host: str, port: int) -> None:
    """Check the address, print the URL to open, serve until Ctrl-C (``R2PInputError``: bad address)."""
    check_bind(host, port)
    shown = f"[{host}]" if ":" in host else host
    err_console.print(f"r2p dashboard: open http://{shown}:{port}/  (JSON API under /api/, "
                      f"OpenAPI at /openapi.json; Ctrl-C stops it)", highlight=False)
    if not is_loopback(host):
        err_console.print(f"warning: listening on {host}, not loopback: anyone who can reach this machine "
                          "can use the dashboard and start simulations.", highlight=False)
    serve(host, port, log_level="warning")
