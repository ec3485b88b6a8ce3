from django.urls import path

from . import views

app_name = "appeals"

urlpatterns = [
    path("track/<str:code>/", views.track, name="track"),
]
