import pytest

from tests.factories import make_campaign
from works.completion_forms import HandoverForm

pytestmark = pytest.mark.django_db


def handover(phone: str) -> HandoverForm:
    form = HandoverForm({"emergency_phone": phone}, campaign=make_campaign())
    form.is_valid()
    return form


@pytest.mark.parametrize("phone", ["027-84001234", "96333", "400-800-1234", "(027)84001234转8"])
def test_an_organisations_number_is_taken_as_the_emergency_phone(phone):
    assert "emergency_phone" not in handover(phone).errors


@pytest.mark.parametrize("phone", ["13912345678", "139 1234 5678", "８６13912345678", "张师傅"])
def test_a_personal_mobile_or_a_name_is_refused_as_the_emergency_phone(phone):
    assert "emergency_phone" in handover(phone).errors
