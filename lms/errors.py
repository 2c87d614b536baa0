"""Domain errors that services raise and every door (site, API, admin) translates for its users."""

from django.core.exceptions import PermissionDenied
from django.http import Http404


class Denied(PermissionDenied):
    """The caller may not do this (the API answers 403 with `code`, a stable machine-readable reason)."""

    code = "forbidden"

    def __init__(self, message=None, *, code: str | None = None):
        super().__init__(*([message] if message is not None else []))
        if code is not None:
            self.code = code


class NotFound(Http404):
    """What was asked for does not exist, or the caller may not know it does (every door answers 404)."""

    code = "not_found"


class Conflict(Exception):
    """The request conflicts with the current state (the API answers 409 with `code`)."""

    code = "conflict"

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Gone(Exception):
    """What was asked for existed and was withdrawn (the API answers 410 with `code` and the `facts`)."""

    code = "gone"

    def __init__(self, message, **facts):
        super().__init__(message)
        self.message = message
        self.facts = facts
