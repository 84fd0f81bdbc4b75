"""Signed consent (签字同意): immutable records; a change of mind supersedes, never edits.

The database keeps at most one current consent per household and proposal: each household's
consents to a proposal form one chain (only one record may start it, each record may be
superseded once, and only by a record of the same household and proposal: a trigger, see
migration 0002), and the current consent is the chain's end.

``seal()`` fixes a consent when it is signed: it copies the household's place as shown (the
unit and the room) into the record, so that a later correction of the room leaves what was
signed alone, and computes the content hash (version 3: the household as signed, the proposal
and its version, the share, the decision, the signer's name and the signature through digests,
the method, the witness's account, the time, and the consent it supersedes with that one's hash, so a
chain is linked). Older consents keep verifying under the version they were sealed with.
``problems()`` says what is wrong with one stored record; ``consultations.verification``
checks whole chains against the history table.
"""

import hashlib
import json
import secrets
from datetime import UTC

from django.conf import settings
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consultations.models.proposals import MONEY, Proposal
from core.money import cents
from households.models import Household

HASH_VERSION = 4
ERASED_NAME = "（已删除）"  # the signer's name once erased on request (PIPL)


class Decision(models.TextChoices):
    AGREE = "agree", _("同意")
    AGREE_NOT_PAYING = "agree_not_paying", _("同意暂不出资")
    DISAGREE = "disagree", _("不同意")
    ABSTAIN = "abstain", _("弃权")


# A multi-matter ballot's one-word summary, for the door list: the least agreeing answer.
LEAST_AGREEING_FIRST = ("disagree", "abstain", "agree_not_paying", "agree")


def summary_decision(answers: dict[str, str]) -> str:
    """The decision a consent shows on the door list for its answers, one per matter."""
    return next(d for d in LEAST_AGREEING_FIRST if d in answers.values())


class Capacity(models.TextChoices):
    """In what capacity the signer signed (hash version 4); blank on older consents, whose
    signer's name was typed and is shown as recorded."""

    OWNER = "owner", _("产权人本人")
    AGENT = "agent", _("受托代理人（凭授权委托书）")


class ImmutableRecordError(Exception):
    """A signed record was about to be changed or deleted."""


class ConsentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(superseded_by__isnull=True)

    def in_force(self):
        """The answers that count: current, and to the proposal version now published."""
        return self.current().filter(proposal__status=Proposal.Status.PUBLISHED)

    def decisions_latest_first(self):
        """The in-force decisions alone, the latest signed first."""
        return self.in_force().order_by("-signed_at").values_list("decision", flat=True)

    def decision_of_outer_household(self) -> Subquery:
        """The in-force decision of the household an outer queryset is on (or NULL)."""
        return Subquery(self.decisions_latest_first().filter(household=OuterRef("pk"))[:1])

    def for_user(self, user):
        return self.filter(household__in=Household.objects.for_user(user))

    def update(self, **kwargs):
        raise ImmutableRecordError("Signed consents are never edited.")

    def erase_personal_data(self) -> int:
        """The one designed exception to immutability, for an erasure request (PIPL): the
        signer's name and the signature image go; the stored digests keep every hash
        verifiable. Refuses records whose hash covers the name itself (version 1)."""
        if self.filter(hash_version__lt=2).exists():
            raise ImmutableRecordError("Version 1 consents hash the signer's name itself.")
        return super().update(
            signer_name=ERASED_NAME,
            signature=b"",
            signer_salt="",
            agent_id_tail="",
            attorney_letter=b"",
            erased_at=timezone.now(),
        )

    def delete(self):
        raise ImmutableRecordError("Signed consents are never deleted.")


class Consent(models.Model):
    class Method(models.TextChoices):
        TABLET = "tablet", _("平板签名")
        PAPER = "paper", _("纸质表扫描件")

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="consents", verbose_name=_("住户")
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="consents", verbose_name=_("方案")
    )
    share_amount = models.DecimalField(_("签字时的应出资（元）"), **MONEY)
    decision = models.CharField(_("意见"), max_length=20, choices=Decision.choices)
    signer_name = models.CharField(_("签字人"), max_length=50)
    method = models.CharField(_("签字方式"), max_length=20, choices=Method.choices)
    signature = models.BinaryField(_("签名或扫描件"))
    signature_type = models.CharField(_("文件类型"), max_length=50)
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="witnessed_consents",
        verbose_name=_("见证人"),
    )
    signed_at = models.DateTimeField(_("签字时间"))
    content_hash = models.CharField(_("内容摘要（SHA-256）"), max_length=64)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("取代的记录"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    # Hash version 2 covers the signer's name and the signature through digests stored with
    # the record, so that personal data can be erased on request while the hash still
    # verifies (see ``signed_content``). Version 1 records hash the name itself.
    hash_version = models.PositiveSmallIntegerField(_("摘要版本"), default=HASH_VERSION)
    signer_salt = models.CharField(_("姓名摘要盐值"), max_length=32, blank=True)
    signer_sha256 = models.CharField(_("签字人姓名摘要"), max_length=64, blank=True)
    signature_sha256 = models.CharField(_("签名文件摘要"), max_length=64, blank=True)
    erased_at = models.DateTimeField(_("个人信息删除时间"), null=True, blank=True)
    # The household as it was shown when it signed (hash version 3), whatever is corrected later.
    signed_unit = models.CharField(_("签字时的楼栋单元"), max_length=110)
    signed_room = models.CharField(_("签字时的房号"), max_length=10)
    # The witness's account name as signed: the hash covers it rather than the user's id, which
    # a restore from backup renumbers (users are restored by their natural key).
    signed_witness = models.CharField(_("签字时的见证人账号"), max_length=150)
    # Hash version 4: one answer per matter of the proposal ({"1": "agree", "2": ...}; the
    # ``decision`` above is their summary, see ``summary_decision``), and who signed: one of the
    # flat's registered owners, or an agent with a power of attorney (授权委托书) for that owner.
    answers = models.JSONField(_("各表决事项的意见"), default=dict, blank=True)
    signer_capacity = models.CharField(
        _("签字身份"), max_length=20, choices=Capacity.choices, blank=True
    )
    signer_owner = models.ForeignKey(
        "households.Owner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("签字的产权人（或委托人）"),
    )
    agent_id_tail = models.CharField(_("代理人身份证后4位"), max_length=4, blank=True)
    attorney_letter = models.BinaryField(_("授权委托书扫描件"), blank=True, default=b"")
    attorney_letter_type = models.CharField(_("授权委托书文件类型"), max_length=50, blank=True)
    attorney_letter_sha256 = models.CharField(_("授权委托书摘要"), max_length=64, blank=True)

    objects = ConsentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["signature", "attorney_letter"])

    class Meta:
        verbose_name = _("签字同意")
        verbose_name_plural = _("签字同意")
        ordering = ["household", "proposal", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "proposal"],
                condition=Q(supersedes__isnull=True),
                name="consent_one_chain_per_household_proposal",
            ),
            models.CheckConstraint(
                name="consent_hash_is_sha256", condition=Q(content_hash__regex=r"^[0-9a-f]{64}$")
            ),
            models.CheckConstraint(
                name="consent_share_not_negative", condition=Q(share_amount__gte=0)
            ),
            models.CheckConstraint(name="consent_signer_named", condition=~Q(signer_name="")),
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.get_decision_display()}"

    # Immutability: a stored consent is never changed or removed.
    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableRecordError("Signed consents are never edited.")
        if not self.content_hash:
            self.seal()
        # Always an INSERT: an object carrying an existing pk fails instead of overwriting it.
        kwargs.update(force_insert=True, force_update=False)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("Signed consents are never deleted.")

    @property
    def is_current(self) -> bool:
        try:
            return self.superseded_by is None
        except Consent.DoesNotExist:
            return True

    @property
    def counts_as_agreement(self) -> bool:
        return self.decision in {Decision.AGREE, Decision.AGREE_NOT_PAYING}

    def decision_on(self, number: int) -> str:
        """The answer to the proposal's matter ``number``: consents before hash version 4
        answered the proposal's one matter with ``decision``."""
        return self.answers.get(str(number), self.decision)

    def seal(self) -> None:
        """Fix the record as it is signed, before it is stored: the household's place as
        shown, the digests of the name and the signature, and the content hash (current
        version). ``save()`` seals a new consent; call it yourself before ``bulk_create``."""
        household = self.household
        self.signed_unit = str(household.unit)
        self.signed_room = household.room
        self.signed_witness = self.witness.get_username()
        self.hash_version = HASH_VERSION
        self.signer_salt = secrets.token_hex(16)
        self.signer_sha256 = self.live_signer_digest()
        self.signature_sha256 = self.live_signature_digest()
        self.attorney_letter_sha256 = self.live_attorney_letter_digest()
        self.content_hash = self.compute_hash()

    @property
    def place_corrected(self) -> bool:
        """Whether the household's unit or room was corrected after it signed: the record
        keeps the place as signed (``signed_unit``, ``signed_room``)."""
        household = self.household
        return bool(self.signed_room) and (
            self.signed_room != household.room or self.signed_unit != str(household.unit)
        )

    def signed_content(self) -> dict:
        """Exactly what was signed, in plain values: the basis of the hash."""
        if self.hash_version >= 3:
            return self.sealed_content()
        # Versions 1 and 2 hashed the household's room as it stood; it is read from the
        # snapshot, filled for them from the household when the snapshot was added (migration
        # 0007), so that a later correction of the room no longer breaks them.
        return {
            "proposal": self.proposal_content(),
            "household": {"id": self.household_id, "room": self.signed_room},
            "share": cents(self.share_amount),
            "decision": self.decision,
            "signed_at": self.signed_at.astimezone(UTC).isoformat(),
            "signature_sha256": self.signature_digest(),
            "supersedes": self.supersedes_id,
            **(
                {"signer_name": self.signer_name}
                if self.hash_version == 1
                else {"signer_sha256": self.signer_digest(), "hash_version": self.hash_version}
            ),
        }

    def sealed_content(self) -> dict:
        """Version 3: also the unit as shown, the method, the witness, the file type, and the
        consent this one supersedes with that one's hash (the chain is linked). Version 4: also
        the matters asked and the answer to each, and who signed in what capacity (the
        agent's ID digits and the power of attorney through digests)."""
        content = self.version_three_content()
        if self.hash_version >= 4:
            content |= {
                "matters": [m.content() for m in self.proposal.matters.all()],
                "answers": self.answers,
                "capacity": self.signer_capacity,
                "signer_owner": self.signer_owner_id,
                "attorney_letter_sha256": self.attorney_letter_digest(),
                "attorney_letter_type": self.attorney_letter_type,
            }
        return content

    def version_three_content(self) -> dict:
        return {
            "hash_version": self.hash_version,
            "household": {
                "id": self.household_id,
                "unit": self.signed_unit,
                "room": self.signed_room,
            },
            "proposal": self.proposal_content(),
            "share": cents(self.share_amount),
            "decision": self.decision,
            "signer_sha256": self.signer_digest(),
            "signature_sha256": self.signature_digest(),
            "signature_type": self.signature_type,
            "method": self.method,
            "witness": self.signed_witness,
            "signed_at": self.signed_at.astimezone(UTC).isoformat(),
            "supersedes": self.superseded_link(),
        }

    def superseded_link(self) -> dict | None:
        if self.supersedes_id is None:
            return None
        return {"id": self.supersedes_id, "content_hash": self.supersedes.content_hash}

    def proposal_content(self) -> dict:
        proposal = self.proposal
        return {
            "id": proposal.pk,
            "elevator": proposal.elevator_id,
            "version": proposal.version,
            "total_cost": cents(proposal.total_cost),
            "subsidy": cents(proposal.subsidy),
            "maintenance_fund": cents(proposal.maintenance_fund),
            "self_funded": cents(proposal.self_funded),
            "rule": proposal.rule,
        }

    def live_signer_digest(self) -> str:
        """The signer's name (and from version 4 an agent's ID digits), salted."""
        signer = f"{self.signer_salt}\n{self.signer_name}"
        if self.hash_version >= 4 and self.agent_id_tail:
            signer += f"\n{self.agent_id_tail}"
        return hashlib.sha256(signer.encode()).hexdigest()

    def live_signature_digest(self) -> str:
        return hashlib.sha256(bytes(self.signature)).hexdigest()

    def live_attorney_letter_digest(self) -> str:
        letter = bytes(self.attorney_letter)
        return hashlib.sha256(letter).hexdigest() if letter else ""

    def attorney_letter_digest(self) -> str:
        return self.attorney_letter_sha256 if self.erased_at else self.live_attorney_letter_digest()

    def signer_digest(self) -> str:
        """The signer's name as the hash sees it: recomputed from the name while it is kept
        (a changed name no longer matches), the stored digest once the name was erased."""
        return self.signer_sha256 if self.erased_at else self.live_signer_digest()

    def signature_digest(self) -> str:
        return self.signature_sha256 if self.erased_at else self.live_signature_digest()

    def compute_hash(self) -> str:
        canonical = json.dumps(
            self.signed_content(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode()).hexdigest()

    def hash_matches(self) -> bool:
        return self.content_hash == self.compute_hash()

    def problems(self) -> list[str]:
        """What is wrong with this stored record on its own (empty when it is intact): an
        erasure must leave the placeholder name and no signature, kept data must match its
        stored digests, and the whole must match the hash. Chains: ``consultations.verification``."""
        found = []
        if self.erased_at is not None:
            if self.signer_name != ERASED_NAME:
                found.append("erased, yet it names a signer")
            if bytes(self.signature) or self.signer_salt:
                found.append("erased, yet it keeps the signature or the name's salt")
            if bytes(self.attorney_letter) or self.agent_id_tail:
                found.append("erased, yet it keeps the power of attorney or the agent's ID digits")
        elif self.hash_version >= 2:
            if self.signer_sha256 != self.live_signer_digest():
                found.append("the signer's name does not match its stored digest")
            if self.signature_sha256 != self.live_signature_digest():
                found.append("the signature does not match its stored digest")
            if self.hash_version >= 4 and (
                self.attorney_letter_sha256 != self.live_attorney_letter_digest()
            ):
                found.append("the power of attorney does not match its stored digest")
        if not self.hash_matches():
            found.append("does not match its hash")
        return found

    def is_intact(self) -> bool:
        return not self.problems()

    def supersede(self, **fields) -> "Consent":
        """Record a change of mind: a new consent for the same household and proposal that
        replaces this one, and the household's door status. Raises IntegrityError if someone
        superseded it first."""
        from consultations.models.door_state import refresh_door_status_of  # it imports Consent

        with transaction.atomic():
            consent = Consent.objects.create(
                household=self.household,
                proposal=self.proposal,
                supersedes=self,
                **fields,
            )
            refresh_door_status_of(self.household)
        return consent
