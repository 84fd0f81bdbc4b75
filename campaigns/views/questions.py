"""Residents' questions, staff side: answer them, and approve answers for the public page.

Grid workers and the secretary answer; publishing needs campaigns.publish_question (the
secretary's). A corrected answer goes back to waiting for approval.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from campaigns.access import PermsAt, get_campaign_for, may
from campaigns.forms import AnswerForm
from campaigns.models import Question

TEMPLATE = "campaigns/manage/questions.html"


def question_for(request, slug: str, pk: int, permission: str):
    campaign = get_campaign_for(request.user, slug, permission)
    return campaign, get_object_or_404(Question.objects.filter(campaign=campaign), pk=pk)


@require_safe
@login_required
@vary_on_headers("HX-Request")
def question_list(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "campaigns.view_question")
    show = request.GET.get("show", Question.Status.NEW)
    if show not in Question.Status.values:
        show = Question.Status.NEW
    questions = Question.objects.filter(campaign=campaign, status=show).select_related(
        "answered_by", "published_by"
    )
    words = request.GET.get("q", "").strip()[:100]
    if words:
        questions = questions.search(words)
    context = {
        "campaign": campaign,
        "perms": PermsAt(request.user, campaign),
        "questions": questions,
        "show": show,
        "statuses": Question.Status.choices,
        "q": words,
    }
    return render(request, TEMPLATE, context)


def after(request, campaign, question, status=200) -> HttpResponse:
    """HTMX: the question's card again; otherwise back to the list it was on."""
    if request.htmx:
        context = {
            "campaign": campaign,
            "perms": PermsAt(request.user, campaign),
            "question": question,
            "form": None,
        }
        return render(request, TEMPLATE + "#question", context, status=status)
    url = reverse("campaigns:questions", args=[campaign.slug])
    return redirect(f"{url}?show={request.POST.get('show', Question.Status.NEW)}")


@require_POST
@login_required
@vary_on_headers("HX-Request")
def answer_question(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign, question = question_for(request, slug, pk, "campaigns.change_question")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        context = {
            "campaign": campaign,
            "perms": PermsAt(request.user, campaign),
            "question": question,
            "form": form,
        }
        template = TEMPLATE + "#question" if request.htmx else "campaigns/manage/answer.html"
        return render(request, template, context, status=422)
    question.give_answer(form.cleaned_data["answer"], request.user)
    if not request.htmx:
        messages.success(request, _("回复已保存，审核通过后公开。"))
    return after(request, campaign, question)


@require_POST
@login_required
@vary_on_headers("HX-Request")
def moderate_question(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign, question = question_for(request, slug, pk, "campaigns.view_question")
    if not may(request.user, "campaigns.publish_question", campaign):
        raise PermissionDenied
    action = request.POST.get("action")
    if action == "publish":
        if not question.answer:
            if not request.htmx:
                messages.error(request, _("还没有回复的问题不能公开。"))
            return after(request, campaign, question, status=409)
        question.publish(request.user)
        if not request.htmx:
            messages.success(request, _("已公开：居民在项目页上可以看到这条问答。"))
    elif action == "hide":
        question.hide()
        if not request.htmx:
            messages.success(request, _("这条提问不会公开。"))
    return after(request, campaign, question)
