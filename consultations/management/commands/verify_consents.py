"""``python manage.py verify_consents``: recompute every consent's hash and report mismatches.

Exits 1 when any stored record no longer matches what was signed (for example a row changed
directly in the database), 0 when all match.
"""

from django.core.management.base import BaseCommand, CommandError

from consultations.models import Consent


class Command(BaseCommand):
    help = "Check that every signed consent still matches its stored SHA-256."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--campaign", help="only the consents of this campaign (slug)")

    def handle(self, *args, campaign=None, **options) -> None:
        consents = Consent.objects.select_related(
            "proposal", "household__unit__building__campaign"
        ).order_by("pk")
        if campaign:
            consents = consents.filter(household__unit__building__campaign__slug=campaign)
        checked, broken = 0, []
        for consent in consents.iterator(chunk_size=500):
            checked += 1
            if not consent.hash_matches():
                broken.append(consent)
                household = consent.household
                self.stderr.write(
                    f"MISMATCH consent {consent.pk}: {household.unit} {household.room}, "
                    f"proposal v{consent.proposal.version}, signed {consent.signed_at:%Y-%m-%d %H:%M}"
                )
        if broken:
            raise CommandError(f"{len(broken)} of {checked} consents do not match their hash.")
        self.stdout.write(self.style.SUCCESS(f"All {checked} consents match their hash."))
