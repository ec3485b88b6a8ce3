from rest_framework.routers import SimpleRouter

from .views import WhistleTypeViewSet, WhistleViewSet

router = SimpleRouter()
router.register("whistles", WhistleViewSet, basename="whistle")
router.register("whistle-types", WhistleTypeViewSet, basename="whistle-type")

urlpatterns = router.urls
