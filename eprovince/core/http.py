"""HTTP helpers shared by every app: download headers, the client's address behind trusted proxies."""

from __future__ import annotations

import functools
import ipaddress
import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest


def ascii_filename(name: str) -> str:
    """The fallback name for old clients: diacritics dropped ("đ" → "d"), anything unusual replaced by "_"."""
    folded = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in " ._-()") else "_" for ch in plain)


def content_disposition(filename: str, ascii_name: str | None = None) -> str:
    """RFC 6266 / RFC 5987: a plain ASCII `filename` for old clients and the Vietnamese name in `filename*`
    (Django's own header gives only one of the two)."""
    fallback = ascii_name if ascii_name is not None else ascii_filename(filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


# --- The client's address -------------------------------------------------------------------------------------------

_Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_address(value: str) -> _Address | None:
    """An IP address as proxies write it ("203.0.113.7", "203.0.113.7:5123", "[2001:db8::1]:443", an IPv4-mapped
    IPv6 address), or None for anything else."""
    text = value.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@functools.lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[_Network, ...]:
    """TRUSTED_PROXIES parsed: each entry an address or a CIDR block (settings refuse anything else at start)."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _trusted(address: _Address, networks: tuple[_Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client behind the request, for the audit trail, throttles and lockouts.

    REMOTE_ADDR is the peer that connected to us. Only when that peer is one of TRUSTED_PROXIES do we read
    X-Forwarded-For, from the right (each proxy appends the address it received the request from): trusted proxies
    are skipped, and the first address that is not one of them is the client. Anything to its left was written by the
    client itself and is ignored, as is the whole header when the peer is not a trusted proxy, so a forged header
    never changes whose bucket a request counts in. None when no valid address is known."""
    remote = parse_address(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    networks = trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not networks or not _trusted(remote, networks):
        return str(remote)
    closest = remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = parse_address(entry)
        if hop is None:
            break  # not written by a proxy of ours: nothing from here leftwards can be believed
        if not _trusted(hop, networks):
            return str(hop)
        closest = hop
    return str(closest)
