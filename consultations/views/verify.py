"""The public verification page a printed consent's QR code opens.

Anyone holding the paper can check that the record exists, whether it is still the household's
current answer, and whether the stored record is intact: it matches its hash and digests, and
its household's chain of answers is consistent (``consultations.verification``). Only the room as
signed and the answer to each matter are shown: no names, no phone numbers.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from consultations.models import Consent, Decision
from consultations.packet import find_by_code
from consultations.verification import record_problems


@require_safe
def verify_consent(request: HttpRequest, code: str) -> HttpResponse:
    consent = find_by_code(code)
    if consent is None:
        return render(request, "consultations/verify.html", {"code": code}, status=404)
    consent = Consent.objects.select_related(
        "household__unit__building", "proposal", "superseded_by", "supersedes"
    ).get(pk=consent.pk)
    context = {
        "code": code,
        "consent": consent,
        "current": consent.is_current,
        "matches": not record_problems(consent),
        "answers": [
            (matter, Decision(consent.decision_on(matter.number)).label)
            for matter in consent.proposal.ballot()
        ],
    }
    response = render(request, "consultations/verify.html", context)
    response["Cache-Control"] = "no-store"
    return response
