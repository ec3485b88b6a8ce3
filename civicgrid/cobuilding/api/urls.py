"""The three lists' REST API (三项清单), under /api/cobuilding/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .counters import counters
from .leadership import MeetingViewSet, OutreachViewSet, contracts, served
from .problems import ProblemViewSet
from .projects import ProjectViewSet
from .resources import ResourceViewSet

app_name = "cobuilding-api"

router = SimpleRouter()
router.register("cobuilding/problems", ProblemViewSet, basename="cobuilding-problem")
router.register("cobuilding/resources", ResourceViewSet, basename="cobuilding-resource")
router.register("cobuilding/projects", ProjectViewSet, basename="cobuilding-project")
router.register("cobuilding/meetings", MeetingViewSet, basename="cobuilding-meeting")
router.register(
    "cobuilding/new-employment", OutreachViewSet, basename="cobuilding-outreach"
)

urlpatterns = [
    path("cobuilding/counters/", counters, name="cobuilding-counters"),
    path("cobuilding/leaders/", contracts, name="cobuilding-leaders"),
    path("cobuilding/new-employment/served/", served, name="cobuilding-served"),
    *router.urls,
]
