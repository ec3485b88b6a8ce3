from django.urls import path

from . import views
from .views import people

app_name = "ledger"

urlpatterns: list = [
    path("", views.index, name="index"),
]

# --- people (人) -----------------------------------------------------------------
urlpatterns += [
    path("today/", people.today, name="today"),
    path("grids/<str:code>/households/", people.household_list, name="household_list"),
    path(
        "grids/<str:code>/households/new/", people.household_new, name="household_new"
    ),
    path("households/<int:pk>/", people.household_detail, name="household"),
    path("households/<int:pk>/edit/", people.household_edit, name="household_edit"),
    path("households/<int:pk>/people/new/", people.person_new, name="person_new"),
    path("households/<int:pk>/visit/", people.visit_new, name="visit_new"),
    path("people/<int:pk>/", people.person_detail, name="person"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/move-out/", people.person_move_out, name="person_move_out"),
    path("people/<int:pk>/move-in/", people.person_move_in, name="person_move_in"),
    path("people/<int:pk>/tags/", people.person_tag_add, name="person_tag_add"),
    path(
        "people/<int:pk>/tags/<int:tag_pk>/end/",
        people.person_tag_end,
        name="person_tag_end",
    ),
    path("people/<int:pk>/consent/", people.person_consent, name="person_consent"),
    path("people/<int:pk>/reveal/", people.person_reveal, name="person_reveal"),
]
