from django.urls import path

from . import views

app_name = "cobuilding"

urlpatterns = [
    path("", views.index, name="index"),
    path("problems/", views.problem_list, name="problems"),
    path("problems/new/", views.problem_new, name="problem_new"),
    path("problems/<int:pk>/", views.problem_detail, name="problem"),
    path("problems/<int:pk>/<str:step>/", views.problem_step, name="problem_step"),
    path("resources/", views.resource_list, name="resources"),
    path("resources/new/", views.resource_new, name="resource_new"),
    path("resources/<int:pk>/", views.resource_detail, name="resource"),
    path(
        "resources/<int:pk>/withdraw/",
        views.resource_withdraw,
        name="resource_withdraw",
    ),
    path("projects/", views.project_list, name="projects"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/<str:step>/", views.project_step, name="project_step"),
    path(
        "projects/<int:pk>/notes/<int:note_pk>/photos/<int:n>/<str:variant>/",
        views.note_photo,
        name="note_photo",
    ),
    path("leaders/", views.leaders, name="leaders"),
    path("leaders/assign/", views.contract_assign, name="contract_assign"),
    path("leaders/<int:pk>/end/", views.contract_end, name="contract_end"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("new-employment/", views.new_employment, name="new_employment"),
    path("new-employment/new/", views.outreach_new, name="outreach_new"),
    path("alliance/", views.alliance, name="alliance"),
]
