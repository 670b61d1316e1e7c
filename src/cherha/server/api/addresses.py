"""Who is at the other end: the client's address, through the proxies the centre configured.

Behind a reverse proxy (`CHERHA_TRUST_FORWARDED_FOR=true`) the address is taken from
X-Forwarded-For, walking it from the right and skipping only hops added by the configured
proxies (`CHERHA_TRUSTED_PROXIES`, addresses or networks); the first other hop is the client.
A hop the client wrote itself sits left of that and is never believed.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from fastapi import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def parse_networks(text: str) -> tuple[Network, ...]:
    """`"127.0.0.1, 10.0.0.0/8"` → networks; a bad entry raises ValueError (settings check it)."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip()
    )


def in_networks(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def forwarded_client(peer: str, forwarded_for: str, proxies: tuple[Network, ...]) -> str:
    """The client's address given the TCP peer and the X-Forwarded-For header."""
    if not in_networks(peer, proxies):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        client = hop
        if not in_networks(hop, proxies):
            break
    return client[:64]


def client_address(request: Request) -> str:
    settings = request.app.state.backend.settings
    peer = request.client.host if request.client else "unknown"
    if not settings.trust_forwarded_for:
        return peer
    return forwarded_client(
        peer, request.headers.get("x-forwarded-for", ""), parse_networks(settings.trusted_proxies)
    )
