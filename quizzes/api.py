"""Quiz API: learners read a lesson's quiz (never its answers), teachers replace it.

Who may read a quiz is the lesson's rule (enrolled and the lesson open): `lms.api_routes` plugs in the
learners' check as `lesson_access`, as it does for lessons.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import LessonPage
from courses.state import teachers_only_access
from lms.api import as_drf_validation_error

from . import services
from .models import Quiz
from .serializers import QuizSerializer, QuizWriteSerializer


def quiz_data(quiz: Quiz, user) -> dict:
    return QuizSerializer(
        {
            "id": quiz.pk,
            "title": quiz.title,
            "pass_mark": quiz.pass_mark,
            "max_attempts": quiz.max_attempts,
            "attempts_left": services.attempts_left(quiz, user),
            "passed": services.has_passed(quiz, user),
            "questions": services.shown_to(quiz, user),
        }
    ).data


class QuizView(APIView):
    """The quiz of a lesson."""

    permission_classes = [IsAuthenticated]
    lesson_access = staticmethod(teachers_only_access)

    def get_lesson(self, pk) -> LessonPage:
        return get_object_or_404(LessonPage.objects.live(), pk=pk)

    @extend_schema(responses={200: QuizSerializer})
    def get(self, request, pk):
        lesson = self.get_lesson(pk)
        self.lesson_access(lesson, request.user)
        quiz = Quiz.objects.filter(lesson=lesson).first()
        if quiz is None:
            raise NotFound("This lesson has no quiz.")
        return Response(quiz_data(quiz, request.user))

    @extend_schema(request=QuizWriteSerializer, responses={200: QuizSerializer, 201: QuizSerializer})
    def put(self, request, pk):
        lesson = get_object_or_404(LessonPage.objects.all(), pk=pk)
        data = QuizWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        existed = Quiz.objects.filter(lesson=lesson).exists()
        with as_drf_validation_error():
            quiz = services.replace_quiz(lesson=lesson, by=request.user, **data.validated_data)
        return Response(
            quiz_data(quiz, request.user), status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )
