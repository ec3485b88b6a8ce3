from django.urls import re_path

from . import io

app_name = "ledger-api"

_KINDS = r"(?P<kind>people|buildings|components|organisations)"

urlpatterns: list = [
    # import and export (导入导出)
    re_path(
        rf"^ledger/import/{_KINDS}/template/$",
        io.ImportTemplateView.as_view(),
        name="import-template",
    ),
    re_path(rf"^ledger/import/{_KINDS}/$", io.ImportView.as_view(), name="import"),
    re_path(rf"^ledger/export/{_KINDS}/$", io.ExportView.as_view(), name="export"),
]
