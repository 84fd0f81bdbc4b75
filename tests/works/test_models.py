import pytest
from django.db import IntegrityError
from django.utils import timezone

from tests.factories import make_issue

pytestmark = pytest.mark.django_db


def test_database_rejects_a_closed_issue_without_a_closing_time():
    with pytest.raises(IntegrityError):
        make_issue(status="closed")


def test_an_issue_closed_with_a_time_is_accepted():
    assert make_issue(status="closed", closed_at=timezone.now()).pk
