"""Learning API: enroll and leave, "My learning", completing lessons, quiz attempts."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import CoursePage, LessonPage
from lms.api import as_drf_validation_error
from quizzes import services as quizzes
from quizzes.models import Attempt, Quiz
from quizzes.serializers import AttemptSerializer, AttemptWriteSerializer, attempt_data

from .. import selectors
from ..models import Enrollment
from ..serializers import CompletionSerializer, EnrollmentSerializer
from ..services import learning


class EnrollView(APIView):
    """Enroll in a course, or leave it (progress is kept and comes back on enrolling again)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: EnrollmentSerializer, 409: OpenApiResponse(description="Already enrolled")})
    def post(self, request, pk):
        course = get_object_or_404(CoursePage.objects.live(), pk=pk)
        enrollment = learning.enroll(learner=request.user, course=course)
        enrollment = selectors.my_enrollments(request.user).get(pk=enrollment.pk)
        return Response(EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        course = get_object_or_404(CoursePage.objects.all(), pk=pk)
        learning.leave(learner=request.user, course=course)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyEnrollmentsView(generics.ListAPIView):
    """The caller's courses with progress."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = EnrollmentSerializer
    queryset = Enrollment.objects.none()  # for the schema; the real one is the caller's

    def get_queryset(self):
        return selectors.my_enrollments(self.request.user)


class LessonCompleteView(APIView):
    """Mark a lesson done (a lesson with a quiz is completed by passing the quiz)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: CompletionSerializer})
    def post(self, request, pk):
        lesson = get_object_or_404(LessonPage.objects.live(), pk=pk)
        progress = learning.complete_lesson(learner=request.user, lesson=lesson)
        return Response({"completed": True, "progress_percent": progress.percent, "course_completed": progress.complete})


class QuizAttemptsView(generics.GenericAPIView):
    """Submit an attempt at a lesson's quiz, or list one's own attempts."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = AttemptSerializer
    queryset = Attempt.objects.none()  # for the schema; attempts are looked up per lesson and learner

    def find_quiz(self, pk):
        lesson = get_object_or_404(LessonPage.objects.live().select_related("quiz"), pk=pk)  # and its quiz, at once
        try:
            return lesson, lesson.quiz
        except Quiz.DoesNotExist:
            raise Http404 from None

    @extend_schema(request=AttemptWriteSerializer, responses={201: AttemptSerializer})
    def post(self, request, pk):
        lesson, quiz = self.find_quiz(pk)  # whether the caller may take it, `submit_quiz` checks
        data = AttemptWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with as_drf_validation_error():
            result = learning.submit_quiz(learner=request.user, lesson=lesson, answers=request.data["answers"], quiz=quiz)
        attempt = result.attempt
        body = attempt_data(
            attempt,
            reveal=quizzes.reveals_answers(quiz, request.user, latest=attempt),
            # The attempt's number is the count of attempts, taken under the enrollment's lock.
            attempts_left=quizzes.attempts_left(quiz, request.user, used=attempt.number),
        )
        if result.progress is not None:
            body["progress_percent"] = result.progress.percent
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: AttemptSerializer(many=True)})
    def get(self, request, pk):
        lesson, quiz = self.find_quiz(pk)
        learning.check_can_open(user=request.user, lesson=lesson)
        reveal = quizzes.reveals_answers(quiz, request.user)
        attempts = Attempt.objects.filter(quiz=quiz, learner=request.user).order_by("-number")
        page = self.paginate_queryset(attempts)
        return self.get_paginated_response([attempt_data(attempt, reveal=reveal) for attempt in page])
