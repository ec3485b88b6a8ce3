"""/api/: the REST API (session or token auth), its OpenAPI 3 schema and a
browsable documentation page served from our own static files."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .errors import not_found
from .views import device_detail, devices, obtain_token, revoke_token

app_name = "api"

# The schema and its page show no data and read none, so they are not counted
# against a caller's rate (whose count lives in the database).
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(throttle_classes=[]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api:schema", throttle_classes=[]),
        name="docs",
    ),
    path("auth/token/", obtain_token, name="token"),
    path("auth/token/revoke/", revoke_token, name="token_revoke"),
    path("auth/devices/", devices, name="devices"),
    path("auth/devices/<int:pk>/", device_detail, name="device"),
    path("", include("civicgrid.whistles.api.urls")),
    path("", include("civicgrid.ledger.api.urls")),
    path("", include("civicgrid.appeals.api.urls")),
    path("", include("civicgrid.org.api.urls")),
    path("", include("civicgrid.metrics.api.urls")),
    path("", include("civicgrid.partybuilding.api.urls")),
    path("", include("civicgrid.cobuilding.api.urls")),
    re_path(r"^(?P<path>[\s\S]*)$", not_found),  # any path, newlines too
]
