"""/open311/v2/: each resource with ``.xml`` or ``.json`` (XML without one), with
or without a trailing slash, and after a doubled slash (``…/v2//services.xml``,
from a client that adds "/" to an address that ended in one) — real clients
send all of these."""

from django.urls import re_path

from . import views

app_name = "open311"

FORMAT = r"(?:\.(?P<fmt>[A-Za-z]+))?/?$"
# The slash that joins the resource to /open311/v2/, doubled by some clients.
LEAD = r"^(?:/*)"  # not "^/*": the URL checks would take it for a stray "/"

urlpatterns = [
    re_path(LEAD + r"$", views.discovery, name="root"),
    re_path(LEAD + r"discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(LEAD + r"services" + FORMAT, views.services, name="services"),
    re_path(
        LEAD + r"services/(?P<code>[-\w]+?)" + FORMAT,
        views.service_definition,
        name="service",
    ),
    re_path(LEAD + r"requests" + FORMAT, views.service_requests, name="requests"),
    re_path(
        LEAD + r"requests/(?P<code>[-\w]+?)" + FORMAT,
        views.request_detail,
        name="request",
    ),
    re_path(LEAD + r"tokens/(?P<value>[-\w]+?)" + FORMAT, views.token, name="token"),
    re_path(LEAD + r"servicerequestupdates" + FORMAT, views.updates, name="updates"),
    re_path(r"^(?P<rest>[\s\S]*)$", views.unknown),
]
