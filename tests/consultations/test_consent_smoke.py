import pytest

from tests.factories import make_consent


@pytest.mark.django_db
def test_a_new_consent_stores_a_hash_that_matches_its_content():
    consent = make_consent()
    consent.refresh_from_db()
    assert consent.hash_matches()
