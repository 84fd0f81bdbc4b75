"""What was said and decided: coordination meetings and residents' questions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.places import Campaign, Unit
from core.redaction import Redactor, search_key


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class Meeting(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("项目")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("单元"),
        help_text=_("留空表示全项目"),
    )
    title = models.CharField(_("会议名称"), max_length=200)
    held_at = models.DateTimeField(_("召开时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    attendees = models.TextField(_("参会各方"), help_text=_("例如：物业、施工单位、居民代表"))
    summary = models.TextField(_("会议纪要"), blank=True)
    published_at = models.DateTimeField(
        _("公示时间"), null=True, blank=True, help_text=_("留空表示仅工作人员可见")
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("协调会")
        verbose_name_plural = _("协调会")
        ordering = ["-held_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class MeetingDecision(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待落实")
        IN_PROGRESS = "in_progress", _("落实中")
        DONE = "done", _("已落实")
        # A commitment found broken on site (works.Inspection): back to 已落实 once fixed.
        BREACHED = "breached", _("发现违反")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("协调会")
    )
    text = models.TextField(_("决定事项"))
    is_commitment = models.BooleanField(
        _("对居民的承诺"), default=False, help_text=_("例如：中午不施工、恢复绿化")
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("会议决定")
        verbose_name_plural = _("会议决定")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


PUBLIC_COPY = ("public_body", "public_answer", "public_search")


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Question.Status.PUBLISHED)

    def search(self, words: str):
        """Questions whose text or answer contains every word of ``words`` (staff search the
        text as written). A NUL separates words: no question holds one (the forms refuse it)
        and PostgreSQL cannot compare one."""
        result = self
        for word in words.replace("\x00", " ").split()[:10]:
            result = result.filter(Q(body__icontains=word) | Q(answer__icontains=word))
        return result

    def public_copy(self):
        """Only the columns a public page may read: never the text as it was written."""
        return self.only("pk", "campaign", "status", "published_at", *PUBLIC_COPY)

    def refresh_public_copies(self) -> int:
        """Blank out of these questions' public copy the names and numbers each campaign's
        Redactor knows now (after owners were added or renamed); what was blanked before stays
        blanked. Returns how many changed."""
        changed = []
        for campaign_id in self.values_list("campaign", flat=True).distinct().order_by():
            questions = list(self.filter(campaign=campaign_id).select_related("campaign"))
            redact = Redactor.for_campaign(questions[0].campaign)
            for question in questions:
                before = [getattr(question, field) for field in PUBLIC_COPY]
                question.copy_for_public(redact, blank_further=True)
                if before != [getattr(question, field) for field in PUBLIC_COPY]:
                    changed.append(question)
        self.model.objects.bulk_update(changed, PUBLIC_COPY, batch_size=500)
        return len(changed)

    def search_public(self, words: str):
        """Questions whose public copy contains every word of ``words``: only what the public
        page shows is searched, so a blanked-out name or number, or a part of one, finds
        nothing. Words are compared normalised, as the copy's search key is stored."""
        result = self
        for word in words.replace("\x00", " ").split()[:10]:
            if key := search_key(word):
                result = result.filter(public_search__contains=key)
        return result


class Question(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("待回复")
        ANSWERED = "answered", _("已回复待审核")
        PUBLISHED = "published", _("已公开")
        HIDDEN = "hidden", _("不公开")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="questions", verbose_name=_("项目")
    )
    room = models.CharField(_("房号（选填）"), max_length=20, blank=True)
    body = models.TextField(_("提问内容"), max_length=2000)
    asked_at = models.DateTimeField(_("提问时间"), auto_now_add=True)
    answer = models.TextField(_("回复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("回复人"),
    )
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.NEW)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    # The public copy: the question and answer as the public page shows them, with owner names
    # and numbers blanked out, and the normalised text the public search matches. Written by
    # save() (and so by every domain method) from the text above; never edited by hand.
    public_body = models.TextField(_("公开的提问内容"), blank=True, editable=False)
    public_answer = models.TextField(_("公开的回复"), blank=True, editable=False)
    public_search = models.TextField(_("公开检索文本"), blank=True, editable=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("居民提问")
        verbose_name_plural = _("居民提问")
        ordering = ["-asked_at"]
        permissions = [("publish_question", _("可以审核并公开居民提问"))]
        constraints = [
            models.CheckConstraint(
                name="question_published_has_answer",
                condition=~Q(status="published") | ~Q(answer=""),
            ),
            models.CheckConstraint(
                name="question_published_has_time",
                condition=~Q(status="published") | Q(published_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.body[:40]

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"body", "answer"} & set(update_fields):
            self.copy_for_public(Redactor.for_campaign(self.campaign))
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *PUBLIC_COPY}
        super().save(*args, **kwargs)

    def copy_for_public(self, redact: Redactor, *, blank_further: bool = False) -> None:
        """Write the public copy from the question and its answer (in memory; save() stores).
        With ``blank_further``, blank out more of the copy already kept instead: a name once
        blanked stays blanked, even after its owner was renamed or erased."""
        if blank_further:
            body, answer = self.public_body, self.public_answer
        else:
            body, answer = self.body, self.answer
        self.public_body = redact(body)
        self.public_answer = redact(answer)
        self.public_search = search_key(f"{self.public_body}\n{self.public_answer}")

    def give_answer(self, text: str, by) -> None:
        """Record (or correct) the answer; it waits for approval before it is shown again."""
        self.answer = text
        self.answered_by = by
        self.answered_at = timezone.now()
        self.status = self.Status.ANSWERED
        self.published_by, self.published_at = None, None
        self.save()

    def publish(self, by) -> None:
        """Approve the answer for the public page. Only an answered question can be published."""
        if not self.answer:
            raise ValueError("a question without an answer cannot be published")
        self.status = self.Status.PUBLISHED
        self.published_by = by
        self.published_at = timezone.now()
        self.save()

    def hide(self) -> None:
        self.status = self.Status.HIDDEN
        self.published_by, self.published_at = None, None
        self.save()
