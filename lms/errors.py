"""Domain errors that services raise and every door (site, API, admin) translates for its users."""

from django.core.exceptions import PermissionDenied


class Denied(PermissionDenied):
    """The caller may not do this (the API answers 403 with `code`, a stable machine-readable reason)."""

    code = "forbidden"


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
