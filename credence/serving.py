"""The production web server: waitress, configured from the settings.

Issue 19: ``credence serve`` ran Flask's development server. Waitress is a pure-Python
production WSGI server (no C build, runs the same on Debian and Windows), with a bounded
thread pool, a connection limit and timeouts for stalled clients; its request parsing
refuses malformed HTTP. It runs in one process, so the embedded mode's background readers
(worker processes) are shared by every request.
"""

from __future__ import annotations

import logging

from credence.config import Settings

log = logging.getLogger(__name__)

# The proxy's headers waitress believes when CREDENCE_TRUSTED_PROXY names it: the client's
# address (for login throttling per address) and the scheme (HTTPS: HSTS, secure cookies).
TRUSTED_PROXY_HEADERS = "x-forwarded-for x-forwarded-proto x-forwarded-host x-forwarded-port"


def server_options(settings: Settings, host: str, port: int) -> dict:
    """The keyword arguments ``waitress.serve`` gets."""
    options = {
        "host": host,
        "port": port,
        "threads": max(1, settings.serve_threads),
        "connection_limit": max(1, settings.serve_connection_limit),
        "channel_timeout": max(1, settings.serve_timeout),
        # A little above the app's own limit, so the app answers 413 with its message.
        "max_request_body_size": settings.max_upload_bytes + 1024 * 1024,
        "ident": "credence",
    }
    if settings.trusted_proxy:
        options.update(
            trusted_proxy=settings.trusted_proxy,
            trusted_proxy_count=1,
            trusted_proxy_headers=TRUSTED_PROXY_HEADERS,
            clear_untrusted_proxy_headers=True,
        )
    return options


def serve(app, settings: Settings, host: str, port: int) -> None:
    """Serve ``app`` until interrupted."""
    from waitress import serve as waitress_serve

    options = server_options(settings, host, port)
    print(f"credence: serving on http://{host}:{port} (waitress, {options['threads']} threads)",
          flush=True)
    waitress_serve(app, **options)
