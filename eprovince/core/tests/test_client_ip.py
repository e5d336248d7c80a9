"""The client's address behind reverse proxies: X-Forwarded-For counts only from a trusted proxy, read from the right."""

from __future__ import annotations

import ipaddress
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory, override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from eprovince.core.constants import AuditAction
from eprovince.core.http import client_ip
from eprovince.core.models import AuditEvent
from eprovince.core.testing import make_user

PROXIES = ["10.0.0.0/8", "2001:db8:ffff::/48"]


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored():
    with override_settings(TRUSTED_PROXIES=[]):
        assert client_ip(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=PROXIES)
def test_a_request_through_the_proxy_counts_for_the_client_it_names():
    assert client_ip(_request("10.0.0.2", "198.51.100.1")) == "198.51.100.1"


@override_settings(TRUSTED_PROXIES=PROXIES)
def test_a_forged_header_from_a_client_connecting_directly_is_ignored():
    assert client_ip(_request("203.0.113.7", "10.0.0.5, 198.51.100.1")) == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=PROXIES)
def test_addresses_the_client_wrote_before_the_proxy_appended_its_own_are_ignored():
    # The client sent "X-Forwarded-For: 1.1.1.1"; our proxy appended the address it really saw.
    assert client_ip(_request("10.0.0.2", "1.1.1.1, 198.51.100.1")) == "198.51.100.1"


@override_settings(TRUSTED_PROXIES=PROXIES)
def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    assert client_ip(_request("10.0.0.2", "1.1.1.1, 198.51.100.1, 10.1.2.3, 10.0.0.9")) == "198.51.100.1"


@override_settings(TRUSTED_PROXIES=PROXIES)
def test_garbage_in_the_header_stops_the_walk_at_the_last_trusted_hop():
    assert client_ip(_request("10.0.0.2", "<script>, 10.0.0.3")) == "10.0.0.3"
    assert client_ip(_request("10.0.0.2", "")) == "10.0.0.2"
    assert client_ip(_request("10.0.0.2")) == "10.0.0.2"


@override_settings(TRUSTED_PROXIES=PROXIES)
def test_ports_brackets_and_mapped_addresses_are_normalised():
    assert client_ip(_request("10.0.0.2", "198.51.100.1:5123")) == "198.51.100.1"
    assert client_ip(_request("10.0.0.2", "[2001:db8::7]:443")) == "2001:db8::7"
    assert client_ip(_request("::ffff:10.0.0.2", "::ffff:198.51.100.1")) == "198.51.100.1"


def test_an_invalid_remote_address_gives_none():
    assert client_ip(_request("not-an-address", "198.51.100.1")) is None


def test_settings_refuse_a_malformed_trusted_proxy():
    root = Path(__file__).resolve().parents[3]
    env = {"TRUSTED_PROXIES": "10.0.0.0/8,proxy.local", "PATH": "/usr/bin:/bin"}
    code = "import eprovince.settings.test"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=root)  # noqa: S603
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr and "proxy.local" in result.stderr


# --- The rule as a law -----------------------------------------------------------------------------------------------

_trusted_v4 = st.integers(0, 2**24 - 1).map(lambda n: str(ipaddress.IPv4Address((10 << 24) + n)))
_public_v4 = st.sampled_from(["198.51.100.", "203.0.113.", "192.0.2."]).flatmap(
    lambda prefix: st.integers(1, 254).map(lambda n: f"{prefix}{n}")
)
_anything = st.one_of(_trusted_v4, _public_v4, st.text(max_size=12).filter(lambda s: "," not in s))


@settings(max_examples=300, deadline=None)
@given(
    forged=st.lists(_anything, max_size=4),
    client=_public_v4,
    chain=st.lists(_trusted_v4, max_size=3),
    proxy=_trusted_v4,
)
def test_behind_trusted_proxies_the_client_is_the_address_the_first_proxy_saw(forged, client, chain, proxy):
    """Whatever the client writes in the header, the result is the address our outermost proxy appended."""
    header = ", ".join([*forged, client, *chain])
    with override_settings(TRUSTED_PROXIES=PROXIES):
        assert client_ip(_request(proxy, header)) == client


@settings(max_examples=300, deadline=None)
@given(remote=_public_v4, header=st.lists(_anything, max_size=5))
def test_a_client_connecting_directly_is_always_its_own_address(remote, header):
    with override_settings(TRUSTED_PROXIES=PROXIES):
        assert client_ip(_request(remote, ", ".join(header))) == remote


# --- Where the address is used ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=PROXIES)
def test_the_audit_trail_records_the_client_not_the_proxy():
    make_user("an")
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.1")
    client.post("/dang-nhap/", {"username": "an", "password": "wrong"})
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.ip_address == "198.51.100.1"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=PROXIES, ONESTOP_TRACKING_ATTEMPTS=2)
def test_throttles_count_per_client_behind_the_proxy_and_ignore_forged_headers():
    from django.core.cache import cache

    cache.clear()
    url = "/tra-cuu-ho-so/"
    data = {"code": "X-000000-0000", "contact": "0912345678"}

    def post(remote, forwarded):
        return Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded).post(url, data).status_code

    assert [post("10.0.0.2", "198.51.100.1") for _ in range(3)] == [404, 404, 429]
    # Another reader behind the same proxy has a bucket of their own.
    assert post("10.0.0.2", "198.51.100.2") == 404
    # A client connecting directly cannot escape its bucket by inventing a header.
    assert [post("203.0.113.9", f"198.51.100.{n}") for n in range(10, 13)] == [404, 404, 429]
