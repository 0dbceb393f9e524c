"""Routes: the JSON lookups under ``/api``, one module per resource family (proposals,
resolutions, organizations, conferences, code lists and search) on one router; their queries
are ``web/sparql/api-*.rq``."""

from plenipot.web.routes.api import codes, conferences, organizations, proposals, resolutions
from plenipot.web.routes.api.common import router
from plenipot.web.routes.api.proposals import find_proposals

__all__ = ["codes", "conferences", "find_proposals", "organizations", "proposals",
           "resolutions", "router"]
