"""Where a notification may go, decided when it is sent, not only when the endpoint was registered.

`check_endpoint` (rules.py) refuses address literals inside the network when a subscription is made, but a name
may point inside (`intranet.example.no`), and a name may be pointed elsewhere after the check (DNS rebinding).
So each POST resolves the endpoint's name, refuses unless every address is on the internet (loopback too when
`loopback_http` allows it: the tests' and `make run`'s own receivers), and connects to the address it checked,
with the name as TLS server name (SNI and certificate check) and `Host` header. The answer is read up to
`MAX_ANSWER` bytes (our own choice: a receiver answers with a status, not a body) within `rules.TIMEOUT` in all,
so a receiver that trickles or floods holds the worker no longer than that.
"""

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

MAX_ANSWER = 64 * 1024


class Refused(Exception):
    """The endpoint's name leads inside the network (or nowhere): nothing is sent."""


@dataclass(frozen=True)
class Target:
    url: str  # the endpoint with the checked address in place of the name
    host: str  # the name: `Host` header, TLS server name
    netloc: str


def resolve(host: str, port: int) -> set[str]:
    """The addresses a name has now (a module function, so a test can say what the name points at)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return set()
    return {str(info[4][0]) for info in found}


def target(url: str, *, loopback_http: bool, resolver: Callable[[str, int], set[str]] | None = None) -> Target:
    """The endpoint pinned to one checked address; `Refused` when any address of its name is not allowed."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = (resolver or resolve)(host, port) if host else set()
    if not addresses or not all(_allowed(address, loopback_http) for address in addresses):
        raise Refused
    address = sorted(addresses)[0]
    netloc = f"[{address}]" if ":" in address else address
    if parts.port:
        netloc += f":{parts.port}"
    return Target(urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")), host, parts.netloc)


def _allowed(address: str, loopback_http: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return ip.is_global or (loopback_http and ip.is_loopback)


def post(to: Target, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST to the pinned address; the status code. Raises httpx's errors (a timeout, a network error)."""
    deadline = time.monotonic() + timeout
    with (
        httpx.Client(timeout=timeout, follow_redirects=False) as http,
        http.stream(
            "POST",
            to.url,
            content=body,
            headers={**headers, "Host": to.netloc},
            extensions={"sni_hostname": to.host},
        ) as response,
    ):
        read = 0
        for chunk in response.iter_bytes():
            read += len(chunk)
            if read > MAX_ANSWER or time.monotonic() > deadline:
                break  # the status is what counts; the rest of the answer is not waited for
        return response.status_code
