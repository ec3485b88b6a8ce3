"""Party building's REST API, under /api/partybuilding/."""

from rest_framework.routers import SimpleRouter

from .registrations import UnitViewSet, VolunteerViewSet
from .wishes import WishViewSet

app_name = "partybuilding-api"

router = SimpleRouter()
router.register("partybuilding/wishes", WishViewSet, basename="partybuilding-wish")
router.register(
    "partybuilding/volunteers", VolunteerViewSet, basename="partybuilding-volunteer"
)
router.register("partybuilding/units", UnitViewSet, basename="partybuilding-unit")

urlpatterns = router.urls
