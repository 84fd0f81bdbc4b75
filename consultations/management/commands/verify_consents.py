"""``python manage.py verify_consents``: check every signed consent and every chain of them.

Each consent must match its hash and its stored digests (an erased one must name nobody and
hold no signature); each household's chain of consents to a proposal must have no gaps and one
current consent, and agree with the history table (a deleted consent shows there). Prints each
problem and exits 1 on any, 0 when the record is consistent.
"""

from django.core.management.base import BaseCommand, CommandError

from consultations.models import Consent
from consultations.verification import problems_in


class Command(BaseCommand):
    help = "Check that every signed consent matches its hash and every chain is consistent."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--campaign", help="only the consents of this campaign (slug)")

    def handle(self, *args, campaign=None, **options) -> None:
        scope = {"household__unit__building__campaign__slug": campaign} if campaign else {}
        consents = (
            Consent.objects.filter(**scope)
            .select_related("proposal", "household__unit__building", "supersedes")
            .defer("supersedes__signature")
            .order_by("pk")
        )
        checked, broken = 0, 0
        for consent in consents.iterator(chunk_size=500):
            checked += 1
            problems = consent.problems()
            if problems:
                broken += 1
                household = consent.household
                self.stderr.write(
                    f"MISMATCH consent {consent.pk}: {household.unit} {household.room}, "
                    f"proposal v{consent.proposal.version}, signed "
                    f"{consent.signed_at:%Y-%m-%d %H:%M}: {'; '.join(problems)}"
                )
        chains = problems_in(Consent.objects.filter(**scope), Consent.history.filter(**scope))
        for problem in chains:
            self.stderr.write(f"CHAIN {problem}")
        if broken or chains:
            raise CommandError(
                f"{broken} of {checked} consents do not match their hash or digests; "
                f"{len(chains)} problems in their chains and history."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"All {checked} consents match their hash. Their chains agree with the history."
            )
        )
