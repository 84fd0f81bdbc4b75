"""The login form, what a locked-out login sees (django-axes calls ``locked_out`` instead of the
login view), and the logout that clears what the browser kept."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
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


class LogoutView(auth_views.LogoutView):
    """The stock logout, which also tells the browser to drop what it kept of this site: the
    pages a tablet kept for offline use, the queue of visits saved offline, the service
    worker (static/js/offline.js has warned first if visits were still waiting)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
