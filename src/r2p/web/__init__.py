"""r2p.web: the offline dashboard behind ``r2p serve``.

Public names:
- ``create_app()`` → the FastAPI application (HTML pages and the JSON API under ``/api/``).
- ``serve(host, port)``: run it with uvicorn, bound to loopback by default.
"""

from r2p.web._app import create_app
from r2p.web._serve import serve

__all__ = ["create_app", "serve"]
