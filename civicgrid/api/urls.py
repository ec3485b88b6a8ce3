"""/api/: the REST API (session or token auth), its OpenAPI 3 schema and a
browsable documentation page served from our own static files."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token/", obtain_auth_token, name="token"),
    path("", include("civicgrid.whistles.api.urls")),
]
