"""Client addresses behind reverse proxies. Pure: no Django imports.

The rule (the only safe one): walk the chain from the right — the socket peer, then the
`X-Forwarded-For` entries right to left — skipping hops that are trusted proxies; the first
untrusted address is the client. The leftmost entries are whatever the client chose to send and are
never believed. A peer that is not a trusted proxy is the client itself, whatever headers it sent.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=64)
def parse_networks(spec: str) -> tuple[Network, ...]:
    """"127.0.0.1, 10.0.0.0/8, ::1" → networks. Raises ValueError on a malformed entry."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip())


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip().strip('"')
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1:value.index("]")]
    elif value.count(":") == 1 and "." in value:  # v4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    return address.ipv4_mapped or address if isinstance(address, ipaddress.IPv6Address) else address


def is_trusted(address: str, trusted: Iterable[Network]) -> bool:
    ip = _ip(address)
    return ip is not None and any(ip in net for net in trusted)


def client_address(peer: str, forwarded_for: str, trusted: Iterable[Network]) -> str:
    """The real client: the rightmost address of [forwarded_for..., peer] that is not a trusted proxy.

    A malformed hop stops the walk there (it cannot be a trusted proxy's doing), so the last good
    address is returned."""
    trusted = tuple(trusted)
    if not trusted or not is_trusted(peer, trusted):
        return peer
    hops = [h for h in (forwarded_for or "").split(",") if h.strip()]
    client = peer
    for hop in reversed(hops):
        ip = _ip(hop)
        if ip is None:
            return client
        client = str(ip)
        if not any(ip in net for net in trusted):
            return client
    return client  # every hop trusted: the leftmost proxy is as far as we can see
