"""Server: a GS1-Conformant resolver over a built site.

``gs1ld serve`` runs :func:`create_app` under granian or uvicorn.  It reads what a build
published only through :mod:`gs1ld.publish` (the manifest, linksets, the link
types, file names and media types), never through :mod:`gs1ld.site`, and
follows the site across rebuilds.  Its decisions (:mod:`~gs1ld.server.resolve`)
are plain functions of a request, testable without HTTP.
"""

from gs1ld.server.app import HEALTH_PATH, ResolverApp, ServerConfig, app_from_env, create_app
from gs1ld.server.listen import listen

__all__ = ["HEALTH_PATH", "ResolverApp", "ServerConfig", "app_from_env", "create_app", "listen"]
