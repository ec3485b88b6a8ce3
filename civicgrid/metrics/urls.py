from django.urls import path

from . import views

app_name = "metrics"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("departments/<int:pk>/", views.department, name="department"),
    path("areas/<str:code>/", views.area, name="area"),
    path("exclusions/", views.exclusions, name="exclusions"),
    path("rankings/", views.rankings, name="rankings"),
    path("published/<int:pk>/", views.published, name="published"),
    path("digest/", views.digest, name="digest"),
    path("export/<str:table>.<str:fmt>", views.export, name="export"),
    path(
        "exclusions/ask/<int:share>/",
        views.exclusion_request,
        name="exclusion_request",
    ),
]
