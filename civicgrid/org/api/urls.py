from rest_framework.routers import SimpleRouter

from .views import AreaViewSet, DepartmentViewSet

router = SimpleRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("departments", DepartmentViewSet, basename="department")

urlpatterns = router.urls
