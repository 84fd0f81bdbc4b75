"""The rate limit's client address: REMOTE_ADDR by default, and behind our proxies the entry
the first of them added, never what the client wrote at the left of X-Forwarded-For."""

from django.test import RequestFactory, override_settings
from hypothesis import given
from hypothesis import strategies as st

from core.ratelimit import client_address

XFF = "HTTP_X_FORWARDED_FOR"
addresses = st.ip_addresses().map(str)


def request_with(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="10.9.9.9", **meta)


def test_by_default_a_forwarded_for_header_is_ignored():
    assert client_address(request_with(HTTP_X_FORWARDED_FOR="6.6.6.6")) == "10.9.9.9"


@override_settings(CLIENT_IP_HEADER=XFF, TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_right_most_entry_is_the_client():
    request = request_with(HTTP_X_FORWARDED_FOR="6.6.6.6, 7.7.7.7, 203.0.113.5")
    assert client_address(request) == "203.0.113.5"


@override_settings(CLIENT_IP_HEADER=XFF, TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client():
    request = request_with(HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5, 198.51.100.1")
    assert client_address(request) == "203.0.113.5"


@override_settings(CLIENT_IP_HEADER=XFF, TRUSTED_PROXY_COUNT=2)
def test_a_chain_shorter_than_our_proxies_falls_back_to_the_connecting_address():
    assert client_address(request_with(HTTP_X_FORWARDED_FOR="6.6.6.6")) == "10.9.9.9"
    assert client_address(request_with()) == "10.9.9.9"


@override_settings(CLIENT_IP_HEADER="HTTP_X_REAL_IP", TRUSTED_PROXY_COUNT=1)
def test_a_single_address_header_is_read_as_it_is():
    assert client_address(request_with(HTTP_X_REAL_IP="203.0.113.5")) == "203.0.113.5"


@given(
    written=st.lists(st.one_of(addresses, st.text(max_size=20)), max_size=5),
    client=addresses,
    proxies=st.lists(addresses, max_size=3),
)
def test_whatever_the_client_writes_the_address_is_the_one_our_first_proxy_added(
    written, client, proxies
):
    chain = ", ".join([*(w.replace(",", "") for w in written), client, *proxies])
    with override_settings(CLIENT_IP_HEADER=XFF, TRUSTED_PROXY_COUNT=len(proxies) + 1):
        assert client_address(request_with(HTTP_X_FORWARDED_FOR=chain)) == client
