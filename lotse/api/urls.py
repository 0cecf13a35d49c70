"""/api/v1/: each room's resources as one router on the one API object."""

from lotse.api.base import api
from lotse.api.routes import accounts, ozg, participation, pilots, portfolio, reuse, strategy

for module in (accounts, portfolio, strategy, participation, ozg, pilots, reuse):
    api.add_router("/", module.router)
