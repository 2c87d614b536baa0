"""Catalog API: courses, lessons and categories; teachers author them here as well as in the editor.

Who sees which course and lesson is `courses.visibility`'s rule (the Wagtail admin's Privacy settings):
the API has no session, so it applies the rule without passwords given on the site.

The catalog knows nothing of learners. What a visitor's relation to a course is (enrolled,
progress, which lessons are done or locked, which carry a quiz) is asked of `state_for`, and who
may read a lesson of `lesson_access`; `lms.api` plugs in the learners' answers when it mounts
these views, so the dependency points from learners to courses and never back.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django_filters import utils as filter_utils
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.images import get_image_model

from lms.api import Forbidden, Pagination, as_drf_validation_error
from lms.links import base_url
from lms.permissions import IsTeacher, IsTeacherOrReadOnly
from search.cache import cached, peek
from search.facets import catalog_summary

from . import services
from .filters import CourseFilter, Ordering
from .models import Category, CoursePage, LessonPage
from .serializers import (
    COVER_SPEC,
    CategorySerializer,
    CourseDetailSerializer,
    CourseSerializer,
    CourseWriteSerializer,
    LessonSerializer,
    LessonWriteSerializer,
)
from .visibility import can_view, restriction_scope, visible, visible_q


@dataclass
class CourseState:
    """A visitor's relation to a course and its lessons."""

    enrolled: bool = False
    progress_percent: int = 0
    completed: set = field(default_factory=set)
    locked: set = field(default_factory=set)
    with_quiz: set = field(default_factory=set)


def catalog_only_state(course, lessons, user) -> CourseState:
    """Without learner records: the course's teacher and admins see every lesson open, others none."""
    can_see_all = user.is_authenticated and (user.is_superuser or course.owner_id == user.pk)
    return CourseState(locked=set() if can_see_all else {lesson.pk for lesson in lessons})


def teachers_only_access(lesson, user) -> None:
    """Without learner records: only the course's teacher and admins read lessons through the API."""
    if not (user.is_authenticated and (user.is_superuser or lesson.course.owner_id == user.pk)):
        raise Forbidden("Only the course's teacher and administrators may read this lesson.", code="not_enrolled")


def courses_visible_to(user):
    """Live courses the user may see (`courses.visibility`), and for a teacher also their own drafts (admins see all)."""
    courses = CoursePage.objects.all()
    if user.is_authenticated and user.is_superuser:
        return courses
    if user.is_authenticated:
        return courses.filter(Q(live=True) | Q(owner=user)).filter(visible_q(user))
    return visible(courses.live(), user)


def with_card_data(courses):
    """What a course card needs, in a fixed number of queries whatever the page size.

    The cover comes in the courses' own query; its rendition in one more (none without covers).
    """
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=COVER_SPEC)
    return courses.select_related("owner", "category", "cover_image").prefetch_related(
        Prefetch("cover_image__renditions", queryset=renditions, to_attr="prefetched_renditions")
    )


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
        paginator = DjangoPaginator(queryset, page_size)
        if self.total is not None:
            paginator.count = self.total
        return paginator

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["facets"] = FACETS_SCHEMA
        schema["required"] = [*schema.get("required", []), "facets"]
        return schema


class CourseListView(generics.ListCreateAPIView):
    """The catalog: published courses, searched, filtered and ordered, with facet counts; teachers create courses here."""

    permission_classes = [IsTeacherOrReadOnly]
    filterset_class = CourseFilter
    pagination_class = CatalogPagination

    def get_queryset(self):
        return with_card_data(visible(CoursePage.objects.live(), self.request.user))

    def list(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        summary = catalog_summary(filterset, scope=f"api:{restriction_scope(request.user)}")
        self.paginator.total = summary.total
        key = self.page_key(filterset, summary)
        results = peek("page", key) if key else None
        # A cached page reads no courses and needs no search hits: only the total, for its links.
        page = self.paginate_queryset(filterset.qs if results is None else CoursePage.objects.none().order_by("pk"))
        if results is None:

            def cards():
                return list(self.get_serializer(page, many=True).data)

            results = cached("page", key, cards) if key else cards()
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

    def get_serializer_class(self):
        return CourseWriteSerializer if self.request.method == "POST" else CourseSerializer

    @extend_schema(request=CourseWriteSerializer, responses={201: CourseDetailSerializer})
    def post(self, request):
        data = CourseWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        owner = fields.pop("owner", None)
        teacher = owner if owner is not None and request.user.is_superuser else request.user
        with as_drf_validation_error():
            course = services.create_course(teacher=teacher, **fields)
        return Response(course_detail(course, request, self.state_for), status=status.HTTP_201_CREATED)

    state_for = staticmethod(catalog_only_state)


def course_detail(course, request, state_for) -> dict:
    lessons = list(visible(course.lessons(), request.user))
    state = state_for(course, lessons, request.user)
    course.syllabus = [
        {
            "id": lesson.pk,
            "title": lesson.title,
            "position": position,
            "duration_minutes": lesson.duration_minutes,
            "has_quiz": lesson.pk in state.with_quiz,
            "completed": lesson.pk in state.completed,
            "locked": lesson.pk in state.locked,
        }
        for position, lesson in enumerate(lessons, start=1)
    ]
    course.enrolled = state.enrolled
    course.progress_percent = state.progress_percent
    return CourseDetailSerializer(course, context={"request": request}).data


class CourseDetailView(APIView):
    """One course with its syllabus; its teacher and admins change or delete it."""

    permission_classes = [IsTeacherOrReadOnly]
    state_for = staticmethod(catalog_only_state)

    def get_course(self, pk) -> CoursePage:
        return get_object_or_404(with_card_data(courses_visible_to(self.request.user)), pk=pk)

    @extend_schema(responses={200: CourseDetailSerializer})
    def get(self, request, pk):
        return Response(course_detail(self.get_course(pk), request, self.state_for))

    @extend_schema(request=CourseWriteSerializer(partial=True), responses={200: CourseDetailSerializer})
    def patch(self, request, pk):
        course = self.get_course(pk)
        data = CourseWriteSerializer(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        with as_drf_validation_error():
            course = services.update_course(course=course, by=request.user, **data.validated_data)
        return Response(course_detail(self.get_course(course.pk), request, self.state_for))

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        with as_drf_validation_error():
            services.delete_page(page=self.get_course(pk), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LessonCreateView(APIView):
    """Append a lesson to a course."""

    permission_classes = [IsTeacher]

    @extend_schema(request=LessonWriteSerializer, responses={201: LessonSerializer})
    def post(self, request, pk):
        course = get_object_or_404(courses_visible_to(request.user), pk=pk)
        data = LessonWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with as_drf_validation_error():
            lesson = services.add_lesson(course=course, by=request.user, **data.validated_data)
        return Response(lesson_detail(lesson, request), status=status.HTTP_201_CREATED)


def lesson_detail(lesson, request, extra=None) -> dict:
    ids = list(visible(lesson.course.lessons(), request.user).values_list("pk", flat=True))
    index = ids.index(lesson.pk) if lesson.pk in ids else None
    lesson.position = index + 1 if index is not None else None
    lesson.previous = ids[index - 1] if index else None
    lesson.next = ids[index + 1] if index is not None and index + 1 < len(ids) else None
    for name, value in (extra or {"has_quiz": False, "completed": False}).items():
        setattr(lesson, name, value)
    return LessonSerializer(lesson, context={"request": request}).data


class LessonDetailView(APIView):
    """One lesson with its rendered body; its course's teacher and admins change or delete it."""

    permission_classes = [IsAuthenticated]
    lesson_access = staticmethod(teachers_only_access)
    lesson_extra = None

    def get_lesson(self, pk) -> LessonPage:
        lesson = LessonPage.objects.filter(pk=pk).first()
        if lesson is None:
            raise NotFound()
        course = lesson.course
        published = lesson.live and course.live
        if not published and not (self.request.user.is_superuser or course.owner_id == self.request.user.pk):
            raise NotFound()
        if not can_view(lesson, self.request.user):
            raise NotFound()
        return lesson

    @extend_schema(responses={200: LessonSerializer})
    def get(self, request, pk):
        lesson = self.get_lesson(pk)
        self.lesson_access(lesson, request.user)
        extra = self.lesson_extra(lesson, request.user) if self.lesson_extra else None
        return Response(lesson_detail(lesson, request, extra))

    @extend_schema(request=LessonWriteSerializer(partial=True), responses={200: LessonSerializer})
    def patch(self, request, pk):
        lesson = self.get_lesson(pk)
        data = LessonWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        with as_drf_validation_error():
            lesson = services.update_lesson(lesson=lesson, by=request.user, **data.validated_data)
        return Response(lesson_detail(lesson, request))

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        with as_drf_validation_error():
            services.delete_page(page=self.get_lesson(pk), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CategoryListView(generics.ListAPIView):
    """Categories with the number of published courses in each that the caller may see."""

    permission_classes = [AllowAny]
    serializer_class = CategorySerializer

    def get_queryset(self):
        counted = Q(courses__live=True) & visible_q(self.request.user, prefix="courses__")
        return Category.objects.annotate(course_count=Count("courses", filter=counted)).order_by("name")

