"""What the portal takes from clients before any view reads it: ids, JSON nesting, and NUL characters.

Each rule here is the one place its kind of input is checked, whatever the entrance:

- Ids (`parse_id`, and the `<id:…>` converter of lms/api.py) are 1–18 ASCII digits, so that every id fits
  the database's bigint and no other digit (`²`, `٣`) or 5,000-digit string reaches `int()` or a query.
- JSON bodies of the API (`JSONParser`) nest at most `MAX_JSON_DEPTH` levels: deeper ones are a 400
  `parse_error` instead of a RecursionError in the parser or later in a serializer, a renderer or the
  database driver. No field of the portal nests more than a few levels.
- A NUL character cannot be stored in PostgreSQL's text. Values that a form, a filter or a serializer reads
  are checked there, field by field (the API names the field, the site's catalog drops the filter); what
  nothing checks field by field, the URL's path and the cookies (a session cookie reaches the database),
  `RefuseNulMiddleware` refuses with a 400 before any view or session lookup sees it.
- Form data that a widget cannot read is a 400 (`ReadableFormData`): Wagtail's StreamField and Draftail widgets
  parse the POST (counts, orders, block types, JSON) before any validation, and fail on a malformed value.
"""

import re

from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _
from draftjs_exporter.entity_state import ExporterEntityException
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from wagtail.admin.widgets.chooser import BaseChooser

ID_PATTERN = "[0-9]{1,18}"
MAX_JSON_DEPTH = 32

_ID = re.compile(ID_PATTERN)
_API_PREFIX = "/api/"


def parse_id(text) -> int | None:
    """The id that a client's text names, or None when it is not one (only ASCII digits, at most 18)."""
    if isinstance(text, str) and _ID.fullmatch(text):
        return int(text)
    return None


def _nodes(value):
    """Every value in a parsed JSON value (object keys included) with how many lists and objects hold it,
    walked without recursion."""
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        yield item, depth
        if isinstance(item, dict):
            pending.extend((child, depth + 1) for child in (*item.keys(), *item.values()))
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)


def json_depth(value, *, limit: int) -> int:
    """How deeply lists and objects nest in a parsed JSON value (a scalar is 0), counted only up to
    `limit + 1`: enough to tell that it is too deep."""
    deepest = 0
    for item, depth in _nodes(value):
        if isinstance(item, dict | list):
            deepest = max(deepest, depth + 1)
            if deepest > limit:
                break
    return deepest


def holds_nul(value) -> bool:
    """Whether a NUL character is in a string of a parsed JSON value, object keys included."""
    return any(isinstance(item, str) and "\x00" in item for item, _depth in _nodes(value))


class ReadableFormData:
    """A form mixin: data that a field's widget fails to parse is a 400, not a 500.

    Wagtail's StreamField widgets read `body-count`, `body-N-order` and `body-N-type` with `int()` and `[]`, the
    Draftail widget decodes and walks its JSON, and choosers look ids up: a hostile value raises from
    `value_from_datadict`, before validation can name the field. A chooser (of an image, a snippet, a page) reads
    its id well, but looks up whatever it got to draw the form again with its error. Django reads every widget
    through `_widget_data_value` (cleaning, `changed_data`, rendering), so the refusal is here, for these errors
    only.
    """

    # Python's own parse errors, and the Draftail exporter's for links to entities the JSON does not define (its
    # other errors are of its configuration, which the client does not choose).
    UNREADABLE = (ValueError, KeyError, TypeError, AttributeError, RecursionError, ExporterEntityException)

    def _widget_data_value(self, widget, html_name):
        unreadable = BadRequest(_("The form's field %(name)s could not be read.") % {"name": html_name})
        try:
            value = super()._widget_data_value(widget, html_name)
        except self.UNREADABLE as error:
            raise unreadable from error
        if isinstance(widget, BaseChooser) and value is not None:
            try:
                widget.model_class._meta.pk.to_python(value)
            except ValidationError as error:
                raise unreadable from error
        return value


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than `MAX_JSON_DEPTH` with a 400 `parse_error`."""

    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = ParseError(_("JSON parse error - nested deeper than %(depth)s levels.") % {"depth": MAX_JSON_DEPTH})
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # Python's decoder gives up near its recursion limit, long before memory does.
            raise too_deep from None
        if json_depth(data, limit=MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
            raise too_deep
        return data


class RefuseNulMiddleware:
    """Answer 400 to a request whose path or cookies hold a NUL character, before sessions, URL routing
    and views: such a value is never meaningful, and PostgreSQL would refuse it with an error (a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key + value for key, value in request.COOKIES.items()):
            message = _("The address or a cookie of this request contains a NUL character.")
            if request.path_info.startswith(_API_PREFIX):
                return JsonResponse({"detail": message, "code": "null_character"}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
