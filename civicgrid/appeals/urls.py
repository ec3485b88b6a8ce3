from django.urls import path

from . import views

app_name = "appeals"

urlpatterns = [
    # residents
    path("report/", views.report, name="report"),
    path("report/nearby/", views.nearby, name="nearby"),
    path("report/street/<str:street_code>/", views.report, name="report_street"),
    # 扫码报事: a place's QR code opens the form at the place.
    path("report/at/<str:token>/", views.report_at, name="report_at"),
    path("report/codes/<str:kind>/<int:pk>/", views.place_code, name="place_code"),
    path(
        "report/codes/<str:kind>/<int:pk>/code.<str:fmt>",
        views.place_code_file,
        name="place_code_file",
    ),
    path("report/done/<str:code>/", views.report_done, name="report_done"),
    path("follow/<str:token>/", views.follow, name="follow"),
    path("privacy/", views.privacy, name="privacy"),
    path("track/", views.track_lookup, name="track_lookup"),
    path("track/<str:code>/", views.track, name="track"),
    path("track/<str:code>/<str:key>/", views.track, name="track_resident"),
    path(
        "track/<str:code>/photos/<int:pk>/<str:variant>/",
        views.track_photo,
        name="track_photo",
    ),
    path("track/<str:code>/voice/<int:pk>/", views.track_voice, name="track_voice"),
    # staff console
    path("console/", views.console_home, name="console"),
    path("console/queue/<str:queue>/", views.console, name="console_queue"),
    path("console/bulk-dispatch/", views.bulk_dispatch, name="bulk_dispatch"),
    path("console/new/", views.staff_new, name="staff_new"),
    path("console/on-site/", views.on_site, name="on_site"),
    path("console/appeals/<int:pk>/", views.appeal_detail, name="detail"),
    path(
        "console/appeals/<int:pk>/<str:action>/",
        views.appeal_action,
        name="action",
    ),
    path(
        "console/photos/<int:pk>/<str:variant>/", views.staff_photo, name="staff_photo"
    ),
    path("console/voice/<int:pk>/", views.staff_voice, name="staff_voice"),
]
