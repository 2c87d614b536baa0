"""URLs of the benchmark's server: the portal's own, plus two references mounted only here.

* The *floor*, `bench/floor/courses/?page=N[&page_size=M]`: the same page of courses as `GET /api/v1/courses/?page=N`
  (live courses, newest first, 20 a page, the card's fields with teacher and category), made by one
  `.values()` query and `JsonResponse`. No serializer, no filters, no facets, no count, no
  authentication or throttling: about the least Django can do to answer that request, so the ratio to
  it says how much the catalog's own machinery costs.
* The *peer*, `bench/api/v2/pages/`: Wagtail's own API v2 (`PagesAPIViewSet`), which a Wagtail site gets
  for free, asked for the same page of courses with the same card fields (`CoursePage.api_fields` is set
  here, for the benchmark only).

The portal's catch-all page route comes last in `lms.urls`, so these come first.
"""

from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_safe
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from courses.models import Category, CoursePage
from learners.models import User
from lms.urls import urlpatterns as lms_urlpatterns

FLOOR_PAGE_SIZE = 20
# column → key in the JSON: the catalog card's fields, teacher and category included.
FLOOR_FIELDS = {
    "id": "id",
    "title": "title",
    "slug": "slug",
    "summary": "summary",
    "url_path": "url_path",
    "level": "level",
    "language": "language",
    "duration_minutes": "duration_minutes",
    "created_at": "created",
    "rating_avg": "rating_avg",
    "rating_count": "rating_count",
    "owner_id": "teacher_id",
    "owner__name": "teacher_name",
    "category__name": "category_name",
    "category__slug": "category_slug",
}


@require_safe
def floor_courses(request):
    """One page of live courses, newest first, in a single `.values()` query."""
    try:
        page = max(1, int(request.GET.get("page", "1")))
        size = min(100, max(1, int(request.GET.get("page_size", FLOOR_PAGE_SIZE))))
    except ValueError:
        page, size = 1, FLOOR_PAGE_SIZE
    start = (page - 1) * size
    rows = list(
        CoursePage.objects.filter(live=True).order_by("-created_at", "-pk").values(*FLOOR_FIELDS)[start : start + size]
    )
    results = [{FLOOR_FIELDS[column]: value for column, value in row.items()} for row in rows]
    return JsonResponse({"page": page, "results": results})


class _CategoryBrief(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]


class _TeacherBrief(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "name"]


# The catalog card's fields, exposed to Wagtail's API as a site would do it (benchmark only).
CoursePage.api_fields = [
    APIField("summary"),
    APIField("level"),
    APIField("language"),
    APIField("duration_minutes"),
    APIField("created_at"),
    APIField("rating_avg"),
    APIField("rating_count"),
    APIField("owner", serializer=_TeacherBrief(read_only=True)),
    APIField("category", serializer=_CategoryBrief(read_only=True)),
]

peer_router = WagtailAPIRouter("bench_wagtailapi")
peer_router.register_endpoint("pages", PagesAPIViewSet)

urlpatterns = [
    path("bench/floor/courses/", floor_courses, name="bench-floor"),
    path("bench/api/v2/", peer_router.urls),
    path("", include(lms_urlpatterns)),
]
