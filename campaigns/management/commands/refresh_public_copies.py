"""``python manage.py refresh_public_copies``: the questions' public copy made again.

Each question stores its text and answer as the public page shows them, with the campaign's
owner names and numbers blanked out, and the public search matches that copy only. The copy
is made whenever a question is saved; run this after owners were added or renamed (a register
import, say), so that their names are blanked out of questions asked before.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from campaigns.models import Question


class Command(BaseCommand):
    help = "Make every question's public copy again with the campaigns' current owner names."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            changed = Question.objects.refresh_public_copies()
        self.stdout.write(self.style.SUCCESS(f"Refreshed {changed} questions' public copies."))
