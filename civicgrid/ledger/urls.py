from django.urls import path

from . import views

app_name = "ledger"

urlpatterns: list = [
    path("", views.index, name="index"),
]

# --- situations (情), events (事) and the patrol log ------------------------------
from .views import opinion as opinion_views  # noqa: E402
from .views import patrol as patrol_views  # noqa: E402

urlpatterns += [
    path("opinions/", opinion_views.opinion_list, name="opinions"),
    path("opinions/new/", opinion_views.opinion_new, name="opinion_new"),
    path("opinions/<int:pk>/", opinion_views.opinion_detail, name="opinion"),
    path(
        "opinions/<int:pk>/<str:step>/",
        opinion_views.opinion_step,
        name="opinion_step",
    ),
    path("grids/<int:pk>/events/", opinion_views.grid_events, name="grid_events"),
    path("patrols/", patrol_views.patrol_list, name="patrols"),
    path("patrols/start/", patrol_views.patrol_start, name="patrol_start"),
    path("patrols/<int:pk>/", patrol_views.patrol_detail, name="patrol"),
    path("patrols/<int:pk>/<str:step>/", patrol_views.patrol_step, name="patrol_step"),
]
