"""The site's search page: `/search/?q=…`, the catalog's search with its filters, facets and sort."""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from courses.models import CourseIndexPage

from .browse import catalog_context


@require_safe
def search(request):
    """Courses matching `q` (and the filters), most relevant first; every course without a query."""
    catalog = CourseIndexPage.objects.live().first()
    context = {"catalog": catalog, **catalog_context(request, catalog, per_page=CourseIndexPage.per_page)}
    return TemplateResponse(request, "search/search.html", context)
