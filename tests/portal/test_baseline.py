"""The load benchmark's baseline view exists only when BENCH_BASELINE is on."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from portal import baseline
from portal.urls import urlpatterns as site_urlpatterns
from tests.factories import make_household

pytestmark = pytest.mark.django_db

# The URL conf a process started with BENCH_BASELINE=1 gets (portal/urls.py includes this).
urlpatterns = [*site_urlpatterns, *baseline.patterns(enabled=True)]


def test_baseline_url_is_not_registered_when_the_flag_is_off(client):
    household = make_household()
    with pytest.raises(NoReverseMatch):
        reverse("bench_baseline", kwargs={"pk": household.pk})
    assert client.get(f"/bench/baseline/{household.pk}/").status_code == 404
    assert baseline.patterns(enabled=False) == []


def test_baseline_view_answers_404_when_the_flag_is_off_even_if_routed(client, settings):
    settings.ROOT_URLCONF = __name__
    settings.BENCH_BASELINE = False
    household = make_household()
    assert client.get(f"/bench/baseline/{household.pk}/").status_code == 404


def test_baseline_view_does_one_indexed_query_when_the_flag_is_on(
    client, settings, django_assert_num_queries
):
    settings.ROOT_URLCONF = __name__
    settings.BENCH_BASELINE = True
    household = make_household(room="1203", floor=12)
    url = reverse("bench_baseline", kwargs={"pk": household.pk})
    assert url == f"/bench/baseline/{household.pk}/"
    with django_assert_num_queries(1):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content == b"1203"
    assert client.post(url).status_code == 405


def test_baseline_query_reads_one_table_by_its_primary_key(client, settings):
    settings.ROOT_URLCONF = __name__
    settings.BENCH_BASELINE = True
    household = make_household()
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/bench/baseline/{household.pk}/")
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert "JOIN" not in sql
    assert '"households_household"."id" =' in sql
