from django.urls import path
from rest_framework.routers import SimpleRouter

from .sms import InboundSmsView
from .views import (
    AppealViewSet,
    CategoryViewSet,
    ResidentTrackView,
    TrackCallbackByHeaderView,
    TrackCallbackView,
    TrackInformationByHeaderView,
    TrackInformationView,
    TrackView,
)

router = SimpleRouter()
router.register("appeals", AppealViewSet, basename="appeal")
router.register("categories", CategoryViewSet, basename="category")

urlpatterns = [
    *router.urls,
    path("track/<str:code>/", TrackView.as_view(), name="track"),
    # 短信报事: texts to the street's number, from the SMS gateway.
    path("sms/inbound/", InboundSmsView.as_view(), name="sms-inbound"),
    # The key in the Resident-Key header (kept out of access logs) …
    path(
        "track/<str:code>/information/",
        TrackInformationByHeaderView.as_view(),
        name="track-information-by-header",
    ),
    path(
        "track/<str:code>/callback/",
        TrackCallbackByHeaderView.as_view(),
        name="track-callback-by-header",
    ),
    # … or in the path, as receipts before it gave it.
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
