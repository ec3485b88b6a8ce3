"""Nothing of the discipline channel is in the Django admin — not its
reports, not its roster, not the authenticators of those who hold a post: the
superuser is nobody here. Posts and authenticators are the roster command's
(``manage.py discipline_roster``), every change in the channel's audit log;
the channel's models have no permissions, and the authenticators' are kept
off the groups' form, where they would open nothing."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


class GroupWithoutAuthenticators(GroupAdmin):
    def formfield_for_manytomany(
        self, db_field: Any, request: Any = None, **kwargs: Any
    ) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "permissions" and field is not None:
            field.queryset = field.queryset.exclude(  # type: ignore[union-attr]
                content_type__app_label=TOTPDevice._meta.app_label
            )
        return field


if admin.site.is_registered(Group):
    admin.site.unregister(Group)
admin.site.register(Group, GroupWithoutAuthenticators)
