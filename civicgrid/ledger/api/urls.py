"""The ledger's REST API, under /api/ledger/."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from . import io
from .components import ComponentViewSet
from .opinion import OpinionViewSet
from .organisations import OrganisationViewSet
from .patrols import PatrolViewSet
from .people import HouseholdViewSet, PersonViewSet, VisitViewSet
from .places import BuildingViewSet, PlaceViewSet

app_name = "ledger-api"

router = SimpleRouter()
# 人
router.register("ledger/households", HouseholdViewSet, basename="ledger-household")
router.register("ledger/people", PersonViewSet, basename="ledger-person")
router.register("ledger/visits", VisitViewSet, basename="ledger-visit")
# 地、物、组织
router.register("ledger/buildings", BuildingViewSet, basename="building")
router.register("ledger/places", PlaceViewSet, basename="place")
router.register("ledger/components", ComponentViewSet, basename="component")
router.register("ledger/organisations", OrganisationViewSet, basename="organisation")
# 情, and the patrol log
router.register("ledger/opinions", OpinionViewSet, basename="ledger-opinion")
router.register("ledger/patrols", PatrolViewSet, basename="ledger-patrol")

_KINDS = r"(?P<kind>people|buildings|components|organisations)"

urlpatterns = [
    # import and export (导入导出)
    re_path(
        rf"^ledger/import/{_KINDS}/template/$",
        io.ImportTemplateView.as_view(),
        name="import-template",
    ),
    re_path(rf"^ledger/import/{_KINDS}/$", io.ImportView.as_view(), name="import"),
    re_path(rf"^ledger/export/{_KINDS}/$", io.ExportView.as_view(), name="export"),
    *router.urls,
]
