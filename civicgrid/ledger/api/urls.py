app_name = "ledger-api"

urlpatterns: list = []

# --- people (人) -----------------------------------------------------------------
from rest_framework.routers import SimpleRouter  # noqa: E402

from .people import HouseholdViewSet, PersonViewSet, VisitViewSet  # noqa: E402

_people = SimpleRouter()
_people.register("ledger/households", HouseholdViewSet, basename="ledger-household")
_people.register("ledger/people", PersonViewSet, basename="ledger-person")
_people.register("ledger/visits", VisitViewSet, basename="ledger-visit")
urlpatterns += _people.urls
