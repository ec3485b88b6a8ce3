from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from civicgrid.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("civicgrid.accounts.urls")),
    path("org/", include("civicgrid.org.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]
