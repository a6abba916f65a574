"""Run the dashboard with uvicorn (``r2p serve``)."""

from __future__ import annotations

import ipaddress
import socket

from r2p.errors import R2PInputError


def check_bind(host: str, port: int) -> None:
    """Raise ``R2PInputError`` if ``host``:``port`` cannot be bound (bad address, port in use or invalid)."""
    if not 1 <= port <= 65535:
        raise R2PInputError(f"--port {port} is out of range: expected 1–65535 (e.g. 8000).")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise R2PInputError(f"--host {host!r} is not an address this machine can bind "
                            f"({exc.strerror}).") from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(addr)
        except OSError as exc:
            raise R2PInputError(f"cannot listen on {host}:{port}: {exc.strerror} (is another server running? "
                                "try another --port).") from None


def is_loopback(host: str) -> bool:
    """Return True when ``host`` names a loopback address (127.0.0.0/8, ::1 or localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(host: str = "127.0.0.1", port: int = 8000, log_level: str = "info") -> None:
    """Serve the dashboard on ``host``:``port`` until interrupted (blocks)."""
    import uvicorn

    from r2p.web._app import create_app

    check_bind(host, port)
    app = create_app(warm=True, loopback_only=is_loopback(host))
    uvicorn.run(app, host=host, port=port, log_level=log_level)
