"""The API's common parts, for every app: ids in paths, pagination, and the shape of errors.

The list of routes is the project's wiring, above the apps: `lms.api_routes`.
"""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import register_converter
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import Conflict as DomainConflict
from .errors import Gone as DomainGone
from .inputs import ID_PATTERN
from .links import rebased


class IdConverter:
    """Ids in URLs: at most 18 digits, so that no path reaches the database with a number it cannot hold
    (a longer one simply matches no route: 404)."""

    regex = ID_PATTERN

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_next_link(self):
        return rebased(super().get_next_link(), self.request)

    def get_previous_link(self):
        return rebased(super().get_previous_link(), self.request)


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"


class Gone(exceptions.APIException):
    status_code = 410
    default_detail = "This no longer exists."
    default_code = "gone"


def _validation_detail(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages] for field, errors in error.error_dict.items()}
    return {"non_field_errors": error.messages}


@contextmanager
def as_drf_validation_error():
    """Turn a service's Django ValidationError into the API's 400 with field errors."""
    try:
        yield
    except DjangoValidationError as error:
        raise exceptions.ValidationError(_validation_detail(error)) from error


def exception_handler(exc, context):
    """DRF's handler, plus: every 401/403/404/409/410/429 body carries `detail` and a machine-readable `code`
    (and a 410 the facts of the withdrawal)."""
    facts = {}
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_validation_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None, code=getattr(exc, "code", None))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DomainConflict):
        exc = Conflict(exc.message, code=exc.code)
    elif isinstance(exc, DomainGone):
        facts = exc.facts
        exc = Gone(exc.message, code=exc.code)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if facts:
        response.data.update(facts)
    if isinstance(response.data, dict) and "detail" in response.data and "code" not in response.data:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else None
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        if isinstance(code, str):
            response.data["code"] = code
    return response


def public_api_only(endpoints, **kwargs):
    """The schema documents our versioned API, not Wagtail's internal admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
