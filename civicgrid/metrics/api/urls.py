from django.urls import path

from . import views

urlpatterns = [
    path("metrics/rates/", views.street_rates, name="metrics-rates"),
    path(
        "metrics/departments/<int:pk>/rates/",
        views.department_rates,
        name="metrics-department-rates",
    ),
]
