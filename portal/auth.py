"""The login form, and what a locked-out login sees (django-axes calls ``locked_out`` instead
of the login view)."""

from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal import compiled


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
    one statement instead of two. Nearly every staff page asks, and building the equivalent
    ORM query cost more than running it, so the statement is written out once per process
    from the models' own table and column names. The signed-in user of each request is read
    the same way: the ORM's query, built once (``portal.compiled``)."""

    def get_user(self, user_id):
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None  # a session naming no id this model can have
        found = compiled.objects(_users_by_pk, [pk])
        return found[0] if found and self.user_can_authenticate(found[0]) else None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            sql = permissions_sql(superuser=user_obj.is_superuser)
            params = [] if user_obj.is_superuser else [user_obj.pk, user_obj.pk]
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                pairs = cursor.fetchall()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in pairs}
        return user_obj._perm_cache


def _users_by_pk(pks: list[int]):
    return get_user_model()._default_manager.filter(pk__in=pks)


@cache
def permissions_sql(*, superuser: bool) -> str:
    """Every permission's app label and codename; unless for a superuser, only those given
    to the user (parameters: their id twice) directly or through a group."""
    quote = connection.ops.quote_name
    permission, content_type = Permission._meta, ContentType._meta
    sql = (
        f"SELECT ct.{quote('app_label')}, p.{quote('codename')} "
        f"FROM {quote(permission.db_table)} p JOIN {quote(content_type.db_table)} ct "
        f"ON ct.{quote('id')} = p.{quote(permission.get_field('content_type').column)}"
    )
    if superuser:
        return sql
    own = get_user_model()._meta.get_field("user_permissions")
    groups = get_user_model()._meta.get_field("groups")
    of_group = Group._meta.get_field("permissions")
    return (
        f"{sql} WHERE p.{quote('id')} IN ("
        f"SELECT {quote(own.m2m_reverse_name())} FROM {quote(own.m2m_db_table())} "
        f"WHERE {quote(own.m2m_column_name())} = %s "
        f"UNION SELECT gp.{quote(of_group.m2m_reverse_name())} "
        f"FROM {quote(of_group.m2m_db_table())} gp JOIN {quote(groups.m2m_db_table())} ug "
        f"ON ug.{quote(groups.m2m_reverse_name())} = gp.{quote(of_group.m2m_column_name())} "
        f"WHERE ug.{quote(groups.m2m_column_name())} = %s)"
    )
