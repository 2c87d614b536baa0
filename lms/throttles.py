"""Who is asking: the one client address that every rate limit counts by, on the API and the site alike.

`X-Forwarded-For` is a header anyone can send, so it is believed only as far as the deployment says:
with `NUM_PROXIES` unset (0) the client is the socket's peer (`REMOTE_ADDR`); behind n proxies that each
append the address they saw, it is the n-th address from the right, the one the outermost proxy of ours
wrote. A random header per request then changes nothing.
"""

from django.conf import settings
from rest_framework import throttling


def client_address(request) -> str:
    """The client's address for rate limits (a Django or a DRF request)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.NUM_PROXIES
    if not proxies:
        return remote
    forwarded = [address.strip() for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]


class ClientAddressMixin:
    """DRF throttles identify anonymous clients by `client_address`, not by DRF's own reading of the headers."""

    def get_ident(self, request):
        return client_address(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass
