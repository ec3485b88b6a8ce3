"""/open311/v2/: each resource with ``.xml`` or ``.json`` (XML without one), with
or without a trailing slash — real clients send all of these."""

from django.urls import re_path

from . import views

app_name = "open311"

FORMAT = r"(?:\.(?P<fmt>[A-Za-z]+))?/?$"

urlpatterns = [
    re_path(r"^$", views.discovery, name="root"),
    re_path(r"^discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, views.services, name="services"),
    re_path(
        r"^services/(?P<code>[-\w]+?)" + FORMAT,
        views.service_definition,
        name="service",
    ),
    re_path(r"^requests" + FORMAT, views.service_requests, name="requests"),
    re_path(
        r"^requests/(?P<code>[-\w]+?)" + FORMAT, views.request_detail, name="request"
    ),
    re_path(r"^tokens/(?P<value>[-\w]+?)" + FORMAT, views.token, name="token"),
    re_path(r"^servicerequestupdates" + FORMAT, views.updates, name="updates"),
    re_path(r"^(?P<rest>[\s\S]*)$", views.unknown),
]
