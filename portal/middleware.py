"""Chinese first (the browser's Accept-Language is not consulted); idle staff sessions end.

The page is in zh-hans unless the visitor chose another language with the switch in the
footer (Django's language cookie). Elderly residents share phones and tablets set to any
language; the campaign speaks Chinese.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

LAST_SEEN = "portal_last_seen"


class ChineseFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


def mark_seen(sender, request, user, **kwargs) -> None:
    """At login the session starts its idle clock (so the first page writes nothing)."""
    request.session[LAST_SEEN] = int(time.time())


class IdleSessionTimeoutMiddleware:
    """End a logged-in session after ``SESSION_IDLE_TIMEOUT`` seconds without a request.

    The time of the last request is kept in the session, written at most once a minute so
    that a busy page does not save the session on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if isinstance(last_seen, int) and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                return self.signed_out(request)
            if not isinstance(last_seen, int) or now - last_seen >= 60:
                request.session[LAST_SEEN] = now
        return self.get_response(request)

    def signed_out(self, request):
        logout(request)
        minutes = settings.SESSION_IDLE_TIMEOUT // 60
        messages.info(
            request,
            _("您已有 %(minutes)d 分钟没有操作，为保护住户信息已自动退出，请重新登录。")
            % {"minutes": minutes},
        )
        login = redirect_to_login(request.get_full_path()).url
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(login)  # the whole page goes to the login
        return HttpResponseRedirect(login)
