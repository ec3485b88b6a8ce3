from django.urls import path

from . import views

app_name = "partybuilding"

urlpatterns = [
    path("", views.index, name="index"),
    path("wall/", views.wall, name="wall"),
    path("claims/", views.my_claims, name="claims"),
    path("me/", views.my_ledger, name="my_ledger"),
    path("members/<int:pk>/", views.volunteer, name="volunteer"),
    path("wishes/", views.wish_list, name="wishes"),
    path("wishes/<int:pk>/", views.wish_detail, name="wish"),
    path("wishes/<int:pk>/<str:step>/", views.wish_step, name="wish_step"),
    path("households/<int:household_pk>/wish/", views.wish_new, name="wish_new"),
    path("register/", views.register, name="register"),
    path("register/unit/", views.register_unit, name="register_unit"),
    path("registrations/", views.registrations, name="registrations"),
    path(
        "registrations/<str:kind>/<int:pk>/decide/",
        views.registration_decide,
        name="registration_decide",
    ),
]
