"""The acceptance guide (《信访举报指南》), the publicity ledger and the
calendar poster. Included by ``urls.py`` (same namespace)."""

from django.urls import path

from .views import guide, publicity

urlpatterns = [
    # Public: the guide, on screen and on A4, and the calendar poster.
    path("guide/<slug:body>/", guide.guide, name="guide"),
    path("guide/<slug:body>/print/", guide.guide_print, name="guide_print"),
    path(
        "calendar/<slug:body>/<int:year>.pdf",
        guide.calendar_poster,
        name="calendar_poster",
    ),
    # The head of the reports office: the guide's versions, the ledger.
    path("desk/guide/<slug:body>/", guide.guide_desk, name="guide_desk"),
    path("desk/publicity/<slug:body>/", publicity.ledger, name="publicity"),
    path(
        "desk/publicity/<slug:body>/print/",
        publicity.ledger_print,
        name="publicity_print",
    ),
    path(
        "desk/publicity/<slug:body>/materials/",
        publicity.material_add,
        name="publicity_material_add",
    ),
    path(
        "desk/publicity/<slug:body>/distributions/",
        publicity.distribution_add,
        name="publicity_distribution_add",
    ),
    path(
        "desk/publicity/<slug:body>/activities/",
        publicity.activity_add,
        name="publicity_activity_add",
    ),
]
