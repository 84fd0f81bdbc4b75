"""The day's summary for the residents' group chat (每日通报): what was published today, the
decisions and promises, the answers, and where the consent survey stands, as plain text to
paste. Built from published records only, counts only, and through the Redactor."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from campaigns.access import PermsAt, get_campaign_for
from campaigns.models import Meeting, MeetingDecision, ProgressUpdate, Question
from core.redaction import Redactor
from portal.project import unit_progress
from works import inspecting
from works.scheduling import late_steps, late_work


def daily_summary(campaign, day: date, page_url: str) -> str:
    """The summary of ``day`` (local time) as text. A fixed number of queries."""
    redact = Redactor.for_campaign(campaign)
    lines = [
        _("【%(title)s】%(day)s 进展通报")
        % {"title": campaign.title, "day": date_format(day, "SHORT_DATE_FORMAT")},
    ]
    updates = ProgressUpdate.objects.published().filter(campaign=campaign, published_at__date=day)
    section(lines, _("今日进展"), [f"{redact(u.title)}：{redact(u.body)}" for u in updates])
    decisions = MeetingDecision.objects.filter(
        meeting__in=Meeting.objects.published().filter(campaign=campaign, held_at__date=day)
    ).select_related("meeting")
    section(
        lines,
        _("协调会决定"),
        [
            f"{redact(d.text)}（{d.get_status_display()}）"
            + (_("【对居民的承诺】") if d.is_commitment else "")
            for d in decisions
        ],
    )
    answered = (
        Question.objects.published().public_copy().filter(campaign=campaign, published_at__date=day)
    )
    section(
        lines,
        _("居民提问答复"),
        [
            _("问：%(q)s\n   答：%(a)s")
            % {"q": redact(q.public_body), "a": redact(q.public_answer)}
            for q in answered
        ],
    )
    section(
        lines,
        _("意愿征询进度"),
        [
            _(
                "%(unit)s：%(total)s 户，已签字 %(signed)s 户（%(signed_pct)s%%），同意 %(agreed)s 户"
            )
            % {
                "unit": f"{unit.building.name}{unit.name}",
                "total": unit.household_count,
                "signed": unit.signed_count,
                "signed_pct": unit.signed_percent,
                "agreed": unit.agreed_count,
            }
            + verdict(unit.vote)
            for unit in unit_progress(campaign)
            if unit.household_count
        ],
    )
    section(lines, _("工地巡查与整改"), inspecting.summary_items(campaign, day))
    section(
        lines,
        _("工期"),
        [
            _("%(site)s：%(step)s 已逾期 %(days)s 天（计划 %(end)s 完成）")
            % {
                "site": step.site,
                "step": step.get_kind_display(),
                "days": (day - step.planned_end).days,
                "end": date_format(step.planned_end, "SHORT_DATE_FORMAT"),
            }
            for step in late_steps(campaign, day)
        ],
    )
    upcoming = campaign.milestones.filter(done_on__isnull=True).order_by("planned_on").first()
    if upcoming:
        lines += [
            "",
            _("下一个节点：%(title)s，计划 %(day)s")
            % {
                "title": redact(upcoming.title),
                "day": date_format(upcoming.planned_on, "SHORT_DATE_FORMAT"),
            },
        ]
    lines += ["", _("详情和更多问答请看项目页：%(url)s") % {"url": page_url}]
    return "\n".join(lines)


def verdict(vote) -> str:
    """Where the unit's vote stands, counted by owners and area (``votes_by_unit``)."""
    if vote.passed:
        return _("；已达到表决要求")
    if not vote.countable:
        return _("；暂时无法计票，正在核实")
    if vote.needed is None:
        return ""
    return ngettext("；还差 %(needed)s 位业主同意", "；还差 %(needed)s 位业主同意", vote.needed) % {
        "needed": vote.needed
    }


def section(lines: list[str], heading: str, items: list[str]) -> None:
    if not items:
        return
    lines += ["", f"■ {heading}"]
    lines += [f"{n}. {item}" for n, item in enumerate(items, 1)]


@require_safe
@login_required
def summary(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "campaigns.view_progressupdate")
    try:
        day = parse_date(request.GET.get("day", "")) or timezone.localdate()
    except ValueError:  # well formed but no such day, e.g. 2026-02-30
        day = timezone.localdate()
    text = daily_summary(campaign, day, request.build_absolute_uri(campaign.get_absolute_url()))
    if request.GET.get("format") == "text":
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    context = {
        "campaign": campaign,
        "perms": PermsAt(request.user, campaign),
        "day": day,
        "text": text,
        **late_work(request.user, campaign, day),
    }
    return render(request, "portal/summary.html", context)
