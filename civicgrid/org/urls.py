from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("areas/<str:code>/", views.area_detail, name="area_detail"),
    path("departments/<slug:code>/", views.department_detail, name="department_detail"),
]
