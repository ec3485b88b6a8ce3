app_name = "ledger-api"

urlpatterns: list = []

# --- places, components and organisations -------------------------------------------
from rest_framework.routers import SimpleRouter  # noqa: E402

from .components import ComponentViewSet  # noqa: E402
from .organisations import OrganisationViewSet  # noqa: E402
from .places import BuildingViewSet, PlaceViewSet  # noqa: E402

_places_router = SimpleRouter()
_places_router.register("ledger/buildings", BuildingViewSet, basename="building")
_places_router.register("ledger/places", PlaceViewSet, basename="place")
_places_router.register("ledger/components", ComponentViewSet, basename="component")
_places_router.register(
    "ledger/organisations", OrganisationViewSet, basename="organisation"
)
urlpatterns += _places_router.urls
# --- people (人) -----------------------------------------------------------------
from rest_framework.routers import SimpleRouter  # noqa: E402

from .people import HouseholdViewSet, PersonViewSet, VisitViewSet  # noqa: E402

_people = SimpleRouter()
_people.register("ledger/households", HouseholdViewSet, basename="ledger-household")
_people.register("ledger/people", PersonViewSet, basename="ledger-person")
_people.register("ledger/visits", VisitViewSet, basename="ledger-visit")
urlpatterns += _people.urls
