from django.urls import path

from . import views
from .views import io as io_views

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
