"""The catalog's list endpoint, `GET courses/`: published courses, searched, filtered and ordered, with facets.

The catalog is the search app's: its filters (`search.filters`), facet counts (`search.facets`) and cache
(`search.cache`) are here; the content they read is `courses`'. The same path takes a new course (`POST`),
which is authoring (`courses.api.CourseCreateView`).
"""

from django.core.paginator import Paginator as DjangoPaginator
from django_filters import utils as filter_utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import generics

from courses.api import CourseCreateView
from courses.serializers import COVER_SPEC, CourseSerializer
from courses.visibility import restriction_scope
from lms.api import Pagination
from lms.links import base_url

from .cache import cached, peek
from .facets import catalog_summary
from .filters import CourseFilter, Ordering
from .models import Cards, CatalogEntry, CatalogFacet


def _facet_list(value_type: str) -> dict:
    entry = {
        "type": "object",
        "properties": {
            "value": {"type": value_type},
            "label": {"type": "string"},
            "count": {"type": "integer", "description": "Courses found when this value is picked."},
        },
        "required": ["value", "label", "count"],
    }
    return {"type": "array", "items": entry}


FACETS_SCHEMA = {
    "type": "object",
    "description": (
        "For each filter, its values with the number of courses under the current search and the other "
        "filters (a filter's own selection is left out of its counts); most courses first. The selected "
        "value is always listed."
    ),
    "properties": {
        "category": _facet_list("string"),
        "level": _facet_list("string"),
        "language": _facet_list("string"),
        "teacher": _facet_list("integer"),
    },
    "required": ["category", "level", "language", "teacher"],
}


class CatalogPagination(Pagination):
    """The API's pagination, with the catalog's `facets` beside the page (documented in the schema).

    The number of courses is the one counted with the facets (`total`), so it is not counted twice.
    """

    total: int | None = None

    def django_paginator_class(self, queryset, page_size):
        return DjangoPaginator(Cards(queryset, COVER_SPEC, total=self.total), page_size)

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["facets"] = FACETS_SCHEMA
        schema["required"] = [*schema.get("required", []), "facets"]
        return schema


class CourseListView(CourseCreateView, generics.ListAPIView):
    """The catalog: published courses, searched, filtered and ordered, with facet counts; teachers create courses here."""

    serializer_class = CourseSerializer
    filterset_class = CourseFilter
    pagination_class = CatalogPagination

    def get_queryset(self):
        """The catalog's entries the caller may see, which the filters search, narrow and order, with the courses
        their cards show."""
        return CatalogEntry.objects.visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        scope = f"api:{restriction_scope(request.user)}"
        summary = catalog_summary(filterset, scope=scope, counts=CatalogFacet.objects.all())
        self.paginator.total = summary.total
        key = self.page_key(filterset, summary)
        results = peek("page", key) if key else None
        # A page is one indexed query of the entries, with their courses; a cached page reads none, only the
        # total, for its links.
        page = self.paginate_queryset(filterset.qs if results is None else CatalogEntry.objects.none().order_by("pk"))
        if results is None:

            def serialized():
                return list(self.get_serializer(page, many=True).data)

            results = cached("page", key, serialized) if key else serialized()
        response = self.get_paginated_response(results)
        response.data["facets"] = summary.facets
        return response

    def page_key(self, filterset, summary) -> tuple | None:
        """What a page of cards depends on, for the cache; None for an order that enrollments change."""
        ordering = filterset.current_ordering
        if ordering == Ordering.POPULARITY:
            return None
        # The cards hold absolute URLs, hence their base; nothing else in them depends on the caller (which
        # courses they see is in the summary's key).
        page_size = self.paginator.get_page_size(self.request)
        base = base_url(self.request)
        return (*summary.key, ordering, self.request.query_params.get("page"), page_size, base)

    def get_filterset(self) -> CourseFilter:
        """The bound filters, valid (a 400 with field errors otherwise), as DjangoFilterBackend would make them."""
        backend = DjangoFilterBackend()
        filterset = backend.get_filterset(self.request, self.get_queryset(), self)
        if not filterset.is_valid():
            raise filter_utils.translate_validation(filterset.errors)
        return filterset
