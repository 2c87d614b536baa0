"""Courses, lessons and categories through the API; teachers author them here as well as in the editor.

Who sees which course and lesson is `courses.visibility`'s rule (the Wagtail admin's Privacy settings):
the API has no session, so it applies the rule without passwords given on the site. A visitor's relation to
a course is asked of `state_for` and who may read a lesson of `lesson_access` (`courses.state`). The
catalog's list (`GET courses/`) is the search app's (`search.api`).
"""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.api import as_drf_validation_error
from lms.permissions import IsTeacher, IsTeacherOrReadOnly

from . import services
from .models import Category, CoursePage, LessonPage, place_of
from .serializers import (
    COVER_SPEC,
    CategorySerializer,
    CourseDetailSerializer,
    CourseWriteSerializer,
    LessonSerializer,
    LessonWriteSerializer,
)
from .state import catalog_only_state, teachers_only_access
from .visibility import can_view, visible, visible_q


class CourseCreateView(APIView):
    """A teacher's new course. Listing the catalog at the same path is the search app's
    (`search.api.CourseListView`, which adds `GET` to this view)."""

    permission_classes = [IsTeacherOrReadOnly]
    state_for = staticmethod(catalog_only_state)

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


def course_detail(course, request, state_for) -> dict:
    """The course's answer: the course (read with its card's data, `CourseQuerySet.with_card_data`) and the visitor's
    state of it with the lessons they see (`state_for`, one query for the learners' answer)."""
    state = state_for(course, request.user)
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
        for position, lesson in enumerate(state.lessons, start=1)
    ]
    course.enrolled = state.enrolled
    course.progress_percent = state.progress_percent
    return CourseDetailSerializer(course, context={"request": request}).data


class CourseDetailView(APIView):
    """One course with its syllabus; its teacher and admins change or delete it."""

    permission_classes = [IsTeacherOrReadOnly]
    state_for = staticmethod(catalog_only_state)

    def get_course(self, pk) -> CoursePage:
        return get_object_or_404(CoursePage.objects.visible_to(self.request.user).with_card_data(COVER_SPEC), pk=pk)

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
        course = get_object_or_404(CoursePage.objects.visible_to(request.user), pk=pk)
        data = LessonWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with as_drf_validation_error():
            lesson = services.add_lesson(course=course, by=request.user, **data.validated_data)
        return Response(lesson_detail(lesson, request), status=status.HTTP_201_CREATED)


def lesson_detail(lesson, request, extra=None) -> dict:
    place = place_of(lesson.pk, list(visible(lesson.course.lessons(), request.user).values_list("pk", flat=True)))
    lesson.position, lesson.previous, lesson.next = place.position, place.previous, place.next
    for name, value in (extra or {"has_quiz": False, "completed": False, "videos": []}).items():
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

