"""Limits at the doors that check a password or send mail: per email and per client address.

Three kinds of attempt, each with a rate per email (one account, whichever addresses the attempts come
from) and one per client address (whichever accounts they aim at), from REST_FRAMEWORK's
DEFAULT_THROTTLE_RATES:

* LOGIN: the API's token, the site's login and the Wagtail admin's login, the old password of the site's
  and the admin's password change (a stolen session must not find the password), and the shared password
  of a private page (per address, and per restriction for wrong guesses: PagePasswordThrottle);
* PASSWORD_RESET: the site's and the admin's "forgot your password" (each sends a mail);
* SIGNUP: the API's register and the site's sign-up.

The API's views use these classes as DRF throttles; the site's and the admin's forms call `guard`, which
counts with the very same classes before the password is checked, so the right password after the limit
is refused like a wrong one. Emails are counted in their one normalised form (`normalize_email`), and
addresses as `lms.throttles.client_address` reads them.

DRF's SimpleRateThrottle reads, appends and writes a history list, so parallel requests can slip
past it. These count in fixed windows with the cache's atomic `incr`, which holds under races on
Redis and on the local-memory cache alike.
"""

import hashlib

from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from lms.throttles import ClientAddressMixin

from .models import normalize_email


class AtomicRateThrottle(ClientAddressMixin, SimpleRateThrottle):
    def allow_request(self, request, view):
        return self.count(self.get_cache_key(request, view))

    def count(self, key: str | None) -> bool:
        """Count one attempt under `key`; False once the window holds more than the rate allows."""
        if self.rate is None or key is None:
            return True
        key = self.in_window(key)
        cache.add(key, 0, timeout=self.duration + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.add(key, 1, timeout=self.duration + 1)
            count = 1
        return count <= self.num_requests

    def full(self, key: str | None) -> bool:
        """Whether the window under `key` already holds all the attempts the rate allows (counts none)."""
        if self.rate is None or key is None:
            return False
        return (cache.get(self.in_window(key)) or 0) >= self.num_requests

    def in_window(self, key: str) -> str:
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        return f"{key}:{window}"

    def wait(self):
        return max(1, int(self.window_ends - self.now + 0.999))

    def key_for(self, ident: str) -> str:
        # Hashed, so that whatever a client sends makes a short key that every cache backend accepts.
        return self.cache_format % {"scope": self.scope, "ident": hashlib.sha256(ident.encode()).hexdigest()}


class EmailThrottle(AtomicRateThrottle):
    """Limits attempts on one account, whichever addresses they come from."""

    def get_cache_key(self, request, view):
        return self.key_for_email(request.data.get("email") if hasattr(request.data, "get") else None)

    def key_for_email(self, email) -> str | None:
        if not isinstance(email, str) or not email:
            return None
        return self.key_for(normalize_email(email))


class AddressThrottle(AtomicRateThrottle):
    """Limits attempts from one client address, whichever accounts they aim at."""

    def get_cache_key(self, request, view):
        return self.key_for(self.get_ident(request))


class LoginEmailThrottle(EmailThrottle):
    scope = "login"


class LoginAddressThrottle(AddressThrottle):
    scope = "login_address"


class PasswordResetEmailThrottle(EmailThrottle):
    scope = "password_reset"


class PasswordResetAddressThrottle(AddressThrottle):
    scope = "password_reset_address"


class SignupEmailThrottle(EmailThrottle):
    scope = "signup"


class SignupAddressThrottle(AddressThrottle):
    scope = "signup_address"


class PagePasswordThrottle(AtomicRateThrottle):
    """Wrong guesses at the shared password of one private page (a Wagtail PageViewRestriction), from any address,
    at the login's rate per account.

    Only wrong guesses count here: a whole class may give the right password in the same minute. Each attempt
    also counts against its address's login allowance (LoginAddressThrottle), right or wrong, as a login does.
    """

    scope = "login"

    def key_for_restriction(self, restriction_id: int) -> str:
        return self.key_for(f"page-view-restriction:{restriction_id}")


LOGIN = (LoginAddressThrottle, LoginEmailThrottle)
PASSWORD_RESET = (PasswordResetAddressThrottle, PasswordResetEmailThrottle)
SIGNUP = (SignupAddressThrottle, SignupEmailThrottle)


class LimitReached(Exception):
    def __init__(self, wait: int):
        super().__init__(f"Too many attempts; retry in {wait} s.")
        self.wait = wait


def guard(request, throttles: tuple, email: str | None) -> None:
    """Count one attempt of a site or admin form; raise LimitReached if it is over either limit.

    Every limit counts the attempt, as DRF's `check_throttles` does for the API, so that both doors spend
    the same allowance.
    """
    waits = []
    for throttle in (throttle_class() for throttle_class in throttles):
        if isinstance(throttle, EmailThrottle):
            key = throttle.key_for_email(email)
        else:
            key = throttle.get_cache_key(request, None)
        if not throttle.count(key):
            waits.append(throttle.wait())
    if waits:
        raise LimitReached(max(waits))
