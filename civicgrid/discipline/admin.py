"""Nothing of the discipline channel is in the Django admin — not its
reports, not its roster, not the authenticators of those who hold a post: the
superuser is nobody here. Posts and authenticators are the roster command's
(``manage.py discipline_roster``), every change in the channel's audit log."""

from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
