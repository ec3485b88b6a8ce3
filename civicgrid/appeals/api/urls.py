from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    AppealViewSet,
    CategoryViewSet,
    ResidentTrackView,
    TrackCallbackView,
    TrackInformationView,
    TrackView,
)

router = SimpleRouter()
router.register("appeals", AppealViewSet, basename="appeal")
router.register("categories", CategoryViewSet, basename="category")

urlpatterns = [
    *router.urls,
    path("track/<str:code>/", TrackView.as_view(), name="track"),
    path(
        "track/<str:code>/<str:key>/",
        ResidentTrackView.as_view(),
        name="track-resident",
    ),
    path(
        "track/<str:code>/<str:key>/information/",
        TrackInformationView.as_view(),
        name="track-information",
    ),
    path(
        "track/<str:code>/<str:key>/callback/",
        TrackCallbackView.as_view(),
        name="track-callback",
    ),
]
