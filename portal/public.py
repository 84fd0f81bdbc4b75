"""The residents' side, no login: the project page, the questions and answers, asking one, and
the large-type switch.

Caching: the project page and the question list are what everyone opens at once when the
group chat posts a link. An anonymous visitor gets ``Cache-Control: public, max-age=60``, and
the rendered page is kept for 60 seconds in Django's cache, so a rush of visitors costs one
render a minute. Those pages carry no CSRF token and set no cookie: the question form, which
needs a token, lives on its own page (``ask``), which is never cached. Signed-in staff get
``private, no-cache`` (their header shows who they are) and are never served from the cache.
The large-type and language switches are plain links to ``display``, which sets a cookie and
redirects, so they need no token either. The pages vary on Cookie: a visitor who chose large
type or English gets (and shares) the copy made for that choice.
"""

from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page, never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from campaigns.forms import QuestionForm
from campaigns.models import Campaign, Question
from core import ratelimit
from core.htmx import wants_fragment
from core.redaction import Redactor
from portal.project import project_page, redact

PUBLIC_MAX_AGE = 60
QUESTIONS_PER_PAGE = 20
# A question is at most 1,000 characters (3 bytes each in UTF-8) plus a room number: anything
# much larger is not a question, and is refused before it is even parsed.
QUESTION_BODY_LIMIT = 16 * 1024
TEXT_SIZE_COOKIE = "textsize"
TEXT_SIZES = {"large", "normal"}
A_YEAR = 365 * 24 * 60 * 60


def shared_cache(view):
    """Public and briefly cached for anonymous visitors; private for anyone signed in, and for
    any response that is not a plain 200 or that sets a cookie."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        # Said here, not only by the middleware, so that cache_page keys on it.
        patch_vary_headers(response, ["Cookie"])
        anonymous = not request.user.is_authenticated
        if anonymous and response.status_code == 200 and not response.cookies:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    return wrapper


def public_campaign_or_404(slug: str) -> Campaign:
    return get_object_or_404(Campaign.objects.public().select_related("community"), slug=slug)


@require_safe
@cache_page(PUBLIC_MAX_AGE, key_prefix="public")
@shared_cache
def public_campaign(request: HttpRequest, slug: str) -> HttpResponse:
    """The residents' project page: the campaign in the open, counts only, nothing personal."""
    campaign = public_campaign_or_404(slug)
    return render(request, "portal/public/project.html", project_page(campaign))


@require_safe
@cache_page(PUBLIC_MAX_AGE, key_prefix="public")
@shared_cache
@vary_on_headers("HX-Request")
def question_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Every answered and approved question, newest first, searchable."""
    campaign = public_campaign_or_404(slug)
    words = request.GET.get("q", "").strip()[:100]
    redactor = Redactor.for_campaign(campaign)
    # Only what the page shows is searched: the public copy, with names and numbers already
    # blanked out, so neither a whole name or number nor a part of one finds anything. A word
    # that is itself a name or number finds nothing either.
    searchable = " ".join(word for word in words.split() if redactor(word) == word)
    questions = Question.objects.published().public_copy().filter(campaign=campaign)
    if words:
        questions = questions.search_public(searchable) if searchable else questions.none()
    page = Paginator(questions.order_by("-published_at"), QUESTIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "campaign": campaign,
        "page": page,
        # blanked out again in case an owner was added since the copy was made
        "questions": redact(page.object_list, redactor, "public_body", "public_answer"),
        "q": words,
    }
    template = "portal/public/questions.html"
    if wants_fragment(request):
        template += "#results"
    return render(request, template, context)


def content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def ask(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask a question: no account, room number optional. Refused with a message, and nothing
    stored, when it is too long, carries a link, or comes too often from one address."""
    campaign = public_campaign_or_404(slug)
    context = {"campaign": campaign, "sent": request.GET.get("sent") == "1"}
    if request.method in ("GET", "HEAD"):
        return render(request, "portal/public/ask.html", {**context, "form": QuestionForm()})
    if content_length(request) > QUESTION_BODY_LIMIT:
        context["form"] = QuestionForm()
        context["problem"] = _("提交的内容太长了。问题最多 1000 字，请精简后再提交。")
        return render(request, "portal/public/ask.html", context, status=413)
    form = QuestionForm(request.POST, instance=Question(campaign=campaign))
    context["form"] = form
    if not form.is_valid():
        return render(request, "portal/public/ask.html", context, status=422)
    if not ratelimit.public_post_allowed(f"question:{campaign.pk}", request):
        context["problem"] = (
            _("提问太频繁了：同一网络 %(minutes)s 分钟内最多提交 %(limit)s 个问题，请稍后再试。")
            % ratelimit.public_post_limit()
        )
        return render(request, "portal/public/ask.html", context, status=429)
    form.save()
    return redirect(reverse("ask", args=[campaign.slug]) + "?sent=1")


@require_safe
@never_cache
def display(request: HttpRequest) -> HttpResponse:
    """Switch large type (``size=large|normal``) or the language (``language=en``), then go
    back. A plain link, so it works without JavaScript and without a CSRF token; all it
    changes is a display preference of this browser."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    response = HttpResponseRedirect(target)
    size = request.GET.get("size")
    if size in TEXT_SIZES:
        response.set_cookie(TEXT_SIZE_COOKIE, size, max_age=A_YEAR, samesite="Lax")
    language = request.GET.get("language")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=A_YEAR, samesite="Lax")
    return response
