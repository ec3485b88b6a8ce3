from django.urls import path

from . import views

app_name = "ledger"

urlpatterns: list = [
    path("", views.index, name="index"),
]
