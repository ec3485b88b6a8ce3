"""The three lists' REST API (三项清单), under /api/cobuilding/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .counters import counters
from .problems import ProblemViewSet
from .projects import ProjectViewSet
from .resources import ResourceViewSet

app_name = "cobuilding-api"

router = SimpleRouter()
router.register("cobuilding/problems", ProblemViewSet, basename="cobuilding-problem")
router.register("cobuilding/resources", ResourceViewSet, basename="cobuilding-resource")
router.register("cobuilding/projects", ProjectViewSet, basename="cobuilding-project")

urlpatterns = [
    path("cobuilding/counters/", counters, name="cobuilding-counters"),
    *router.urls,
]
