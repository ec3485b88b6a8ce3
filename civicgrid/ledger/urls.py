from django.urls import path

from . import views
from .views import components as component_views
from .views import io as io_views
from .views import map as map_views
from .views import map_edit as map_edit_views
from .views import opinion as opinion_views
from .views import organisations as organisation_views
from .views import patrol as patrol_views
from .views import people
from .views import places as place_views
from .views import reveal as reveal_views

app_name = "ledger"

urlpatterns: list = [
    path("", views.index, name="index"),
    # import and export (导入导出)
    path("import/", io_views.import_page, name="import"),
    path(
        "import/template/<str:kind>/",
        io_views.template_download,
        name="import_template",
    ),
    path("export/", io_views.export_page, name="export"),
]

# --- places (地), components (物) and organisations (组织) --------------------------

urlpatterns += [
    path("places/", place_views.place_list, name="places"),
    path("places/new/", place_views.place_edit, name="place_new"),
    path("places/<int:pk>/", place_views.place_detail, name="place"),
    path("places/<int:pk>/edit/", place_views.place_edit, name="place_edit"),
    path("places/<int:pk>/open/", place_views.place_open, name="place_open"),
    path("buildings/new/", place_views.building_edit, name="building_new"),
    path("buildings/<int:pk>/", place_views.building_detail, name="building"),
    path("buildings/<int:pk>/edit/", place_views.building_edit, name="building_edit"),
    path("components/", component_views.component_list, name="components"),
    path("components/new/", component_views.component_edit, name="component_new"),
    path("components/<int:pk>/", component_views.component_detail, name="component"),
    path(
        "components/<int:pk>/edit/",
        component_views.component_edit,
        name="component_edit",
    ),
    path(
        "components/<int:pk>/state/",
        component_views.component_state,
        name="component_state",
    ),
    path(
        "components/<int:pk>/report/",
        component_views.component_report,
        name="component_report",
    ),
    path(
        "components/<int:pk>/link/",
        component_views.component_link,
        name="component_link",
    ),
    path(
        "appeals/<int:appeal_pk>/component/",
        component_views.appeal_component,
        name="appeal_component",
    ),
    path("organisations/", organisation_views.organisation_tree, name="organisations"),
    path(
        "organisations/new/",
        organisation_views.organisation_edit,
        name="organisation_new",
    ),
    path(
        "organisations/<int:pk>/",
        organisation_views.organisation_detail,
        name="organisation",
    ),
    path(
        "organisations/<int:pk>/edit/",
        organisation_views.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "organisations/<int:pk>/members/",
        organisation_views.member_add,
        name="member_add",
    ),
    path(
        "organisations/<int:pk>/members/<int:member>/leave/",
        organisation_views.member_leave,
        name="member_leave",
    ),
    path(
        "organisations/<int:pk>/pairings/",
        organisation_views.pairing_add,
        name="pairing_add",
    ),
    path(
        "organisations/<int:pk>/pairings/<int:pairing>/end/",
        organisation_views.pairing_end,
        name="pairing_end",
    ),
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
    path(
        "texts/<str:kind>/<int:pk>/reveal/",
        reveal_views.reveal_texts,
        name="reveal_texts",
    ),
]

# --- situations (情), events (事) and the patrol log ------------------------------

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

# --- the map editor (地图编辑) ----------------------------------------------------

urlpatterns += [
    path("map/", map_views.map_page, name="map"),
    path("map/layers/<str:layer>/", map_views.map_layer, name="map_layer"),
    path("map/edit/", map_edit_views.map_edit, name="map_edit"),
    path("map/edit/import/", map_edit_views.map_import, name="map_edit_import"),
    path("map/edit/grids/<str:code>/", map_edit_views.grid_save, name="map_edit_grid"),
    path(
        "map/edit/buildings/<int:pk>/",
        map_edit_views.building_save,
        name="map_edit_building",
    ),
]
