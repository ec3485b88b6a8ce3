"""The sealed channel's pages, all under /discipline/ (the middleware keeps
addresses and browsers out and marks every answer no-store)."""

from django.urls import include, path

from .views import codes, otp, public, staff

app_name = "discipline"

urlpatterns = [
    # The reporter: no account, a receipt.
    path("", public.start, name="start"),
    path("report/<slug:body>/", public.report_form, name="report"),
    path("follow-up/", public.follow_up, name="follow_up"),
    path("follow-up/report/", public.follow_up_report, name="follow_up_report"),
    path("follow-up/message/", public.follow_up_message, name="follow_up_message"),
    path("follow-up/object/", public.follow_up_object, name="follow_up_object"),
    path("follow-up/leave/", public.follow_up_leave, name="follow_up_leave"),
    # 码上巡: a code's report form and its questionnaire.
    path("q/<str:token>/", codes.scan, name="scan"),
    path("q/<str:token>/survey/", codes.survey, name="survey"),
    # Staff: a post in a body, a second factor, a grant per report.
    path("verify/", otp.verify, name="verify"),
    path("desk/", staff.desk, name="desk"),
    path("desk/new/<slug:body>/", staff.enter, name="enter"),
    path("desk/reports/<str:number>/", staff.report, name="report_detail"),
    path("desk/reports/<str:number>/do/<slug:step>/", staff.step, name="step"),
    path(
        "desk/reports/<str:number>/files/<uuid:uid>/",
        staff.attachment,
        name="attachment",
    ),
    path("desk/reports/<str:number>/identity/", staff.identity, name="identity"),
    path("desk/docket/<slug:body>/", staff.docket, name="docket"),
    path(
        "desk/docket/<slug:body>/<str:number>/",
        staff.docket_entry,
        name="docket_entry",
    ),
    path("desk/rollup/<slug:body>/", staff.rollup, name="rollup"),
    path("desk/codes/<slug:body>/", codes.codes, name="codes"),
    path("desk/codes/<slug:body>/<int:pk>/", codes.code_card, name="code_card"),
    path(
        "desk/codes/<slug:body>/<int:pk>/retire/",
        codes.code_retire,
        name="code_retire",
    ),
    path("desk/custody/", staff.custody, name="custody"),
    path("desk/custody/<int:pk>/", staff.custody_decide, name="custody_decide"),
    # The acceptance guide, the publicity ledger and the calendar poster.
    path("", include("civicgrid.discipline.urls_guide")),
]
