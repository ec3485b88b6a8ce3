from django.urls import include, path

from bench.benchapp.views import bare_insert

urlpatterns = [
    path("bench/bare/", bare_insert),
    path("", include("config.urls")),
]
