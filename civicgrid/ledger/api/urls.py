app_name = "ledger-api"

urlpatterns: list = []

# --- situations (情) and the patrol log --------------------------------------------
from rest_framework.routers import SimpleRouter  # noqa: E402

from .opinion import OpinionViewSet  # noqa: E402
from .patrols import PatrolViewSet  # noqa: E402

_opinion_router = SimpleRouter()
_opinion_router.register("ledger/opinions", OpinionViewSet, basename="ledger-opinion")
_opinion_router.register("ledger/patrols", PatrolViewSet, basename="ledger-patrol")
urlpatterns += _opinion_router.urls
