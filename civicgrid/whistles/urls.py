from django.urls import path

from . import views

app_name = "whistles"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.blow, name="blow"),
    path("history/", views.history, name="history"),
    path("<int:pk>/", views.detail, name="detail"),
    path(
        "<int:pk>/check-in/<int:summons>/<str:variant>/",
        views.check_in_photo,
        name="check_in_photo",
    ),
    path("<int:pk>/<str:action>/", views.act, name="act"),
]
