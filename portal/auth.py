"""The login form, and what a locked-out login sees (django-axes calls ``locked_out`` instead
of the login view)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import Group, Permission
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """429 with the same words whether or not the account exists, and when to try again."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


class LoginForm(AuthenticationForm):
    """The stock form with the username's length checked: the stock form only sets the input's
    maxlength, and a longer name would reach django-axes' record of the failed attempt (at
    most 255 characters, which PostgreSQL enforces)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class PermissionsInOneQuery(ModelBackend):
    """Django's model backend, reading a user's permissions (their own and their groups') in
    one query instead of two: nearly every staff page asks for them."""

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                own = get_user_model().user_permissions.through.objects.filter(user=user_obj)
                of_groups = Group.permissions.through.objects.filter(group__user=user_obj)
                permissions = permissions.filter(
                    Q(pk__in=own.values("permission")) | Q(pk__in=of_groups.values("permission"))
                )
            pairs = permissions.order_by().values_list("content_type__app_label", "codename")
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in pairs}
        return user_obj._perm_cache
