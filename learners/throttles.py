"""Brute-force protection for the token endpoint: per email and per client address.

DRF's SimpleRateThrottle reads, appends and writes a history list, so parallel requests can slip
past it. These count in fixed windows with the cache's atomic `incr`, which holds under races on
Redis and on the local-memory cache alike.
"""

import hashlib

from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from .models import normalize_email


class AtomicRateThrottle(SimpleRateThrottle):
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        key = f"{self.key}:{window}"
        cache.add(key, 0, timeout=self.duration + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.add(key, 1, timeout=self.duration + 1)
            count = 1
        return count <= self.num_requests

    def wait(self):
        return max(1, int(self.window_ends - self.now + 0.999))


class LoginEmailThrottle(AtomicRateThrottle):
    """Limits password guesses against one account, whichever addresses they come from."""

    scope = "login"

    def get_cache_key(self, request, view):
        email = request.data.get("email") if hasattr(request.data, "get") else None
        if not isinstance(email, str) or not email:
            return None
        digest = hashlib.sha256(normalize_email(email).encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


class LoginAddressThrottle(AtomicRateThrottle):
    """Limits guesses from one client address, whichever accounts they aim at."""

    scope = "login_address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
