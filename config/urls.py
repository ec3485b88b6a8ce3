from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from civicgrid.accounts import views as accounts_views
from civicgrid.core import views as core_views

admin.site.site_header = _("CivicGrid administration")
admin.site.site_title = _("CivicGrid administration")
admin.site.index_title = _("Areas, departments, people and the work calendar")

urlpatterns = [
    path("", accounts_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("display/", core_views.display_toggle, name="display"),
    # The offline app (PWA): its worker at the root, so it serves every page.
    path("sw.js", core_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", core_views.manifest, name="manifest"),
    path("offline/", core_views.offline_page, name="offline"),
    path("accounts/", include("civicgrid.accounts.urls")),
    path("org/", include("civicgrid.org.urls")),
    path("", include("civicgrid.appeals.urls")),
    path("whistles/", include("civicgrid.whistles.urls")),
    path("ledger/", include("civicgrid.ledger.urls")),
    path("partybuilding/", include("civicgrid.partybuilding.urls")),
    path("cobuilding/", include("civicgrid.cobuilding.urls")),
    path("discipline/", include("civicgrid.discipline.urls")),
    path("metrics/", include("civicgrid.metrics.urls")),
    path("api/", include("civicgrid.api.urls")),
    path("open311/v2/", include("civicgrid.open311.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]
