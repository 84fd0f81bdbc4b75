"""``python manage.py recompute_door_status [--check]``: the stored door status against the records.

Works each household's door status columns out afresh from its visits and consents (the
computation of ``consultations.models.door_state``) and compares them with what is stored.
With ``--check`` it lists the households that differ and exits 1 if there are any, 0 if none;
without it, it rewrites those households' columns and says how many it repaired.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from consultations.models import computed_door_status, refresh_door_status
from consultations.models.door_state import computed
from households.models import DOOR_STATUS_FIELDS, Household

BATCH = 500


class Command(BaseCommand):
    help = "Compare every household's stored door status with its visits and consents; repair."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="only list the households that differ, and exit 1 if there are any",
        )

    def handle(self, *args, check=False, **options) -> None:
        with transaction.atomic():
            mismatched = self.mismatched()
            if check:
                if mismatched:
                    raise CommandError(
                        f"{len(mismatched)} households' stored door status differs from "
                        "their records."
                    )
                self.stdout.write(self.style.SUCCESS("Every stored door status matches."))
                return
            for start in range(0, len(mismatched), BATCH):
                batch = mismatched[start : start + BATCH]
                refresh_door_status(Household.objects.filter(pk__in=batch))
        self.stdout.write(self.style.SUCCESS(f"Repaired {len(mismatched)} households."))

    def mismatched(self) -> list[int]:
        """The ids of the households whose stored columns differ, each reported on stderr."""
        place = ("unit__building__name", "unit__name", "room")
        rows = computed_door_status(Household.objects.order_by("pk")).values(
            "pk", *place, *DOOR_STATUS_FIELDS, *(computed(name) for name in DOOR_STATUS_FIELDS)
        )
        mismatched = []
        for row in rows.iterator(chunk_size=2000):
            differences = [
                f"{name} {row[name]!r} ≠ {row[computed(name)]!r}"
                for name in DOOR_STATUS_FIELDS
                if row[name] != row[computed(name)]
            ]
            if differences:
                mismatched.append(row["pk"])
                where = "{}{} {}".format(*(row[name] for name in place))
                self.stderr.write(
                    f"MISMATCH household {row['pk']} ({where}): " + "; ".join(differences)
                )
        return mismatched
