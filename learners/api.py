"""Accounts API: registration, JWT tokens, the caller's profile and user management for admins."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from courses.models import CoursePage, LessonPage
from lms.api import Pagination, as_drf_validation_error
from lms.permissions import IsAdmin
from quizzes import services as quizzes
from quizzes.models import Attempt, Quiz
from quizzes.serializers import AttemptSerializer, AttemptWriteSerializer, attempt_data

from . import selectors, services
from .models import User
from .serializers import (
    AdminUserCreateSerializer,
    AdminUserSerializer,
    CompletionSerializer,
    EnrollmentSerializer,
    LogoutSerializer,
    RegisterSerializer,
    TokenObtainSerializer,
    TokenPairSerializer,
    UserSerializer,
)
from .services import learning
from .throttles import LoginAddressThrottle, LoginEmailThrottle


class RegisterView(APIView):
    """Create a student account."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(request=RegisterSerializer, responses={201: UserSerializer})
    def post(self, request):
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with as_drf_validation_error():
            user = services.register(**data.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


@extend_schema(
    request=TokenObtainSerializer,
    responses={200: TokenPairSerializer, 401: OpenApiResponse(description="Wrong credentials or inactive user")},
)
class TokenView(TokenObtainPairView):
    """Exchange an email and password for an access and a refresh token."""

    serializer_class = TokenObtainSerializer
    throttle_classes = [LoginAddressThrottle, LoginEmailThrottle]


@extend_schema(responses={200: TokenPairSerializer})
class TokenRefreshRotateView(TokenRefreshView):
    """Exchange a refresh token for a new pair; the old refresh token stops working."""


class LogoutView(APIView):
    """Revoke a refresh token of the caller."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=LogoutSerializer, responses={205: None})
    def post(self, request):
        data = LogoutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            token = RefreshToken(data.validated_data["refresh"])
        except TokenError as error:
            raise DRFValidationError({"refresh": [str(error)]}) from error
        if str(token.get(jwt_settings.USER_ID_CLAIM)) != str(request.user.pk):
            raise DRFValidationError({"refresh": ["This token belongs to another user."]})
        token.blacklist()
        return Response(status=status.HTTP_205_RESET_CONTENT)


class MeView(generics.RetrieveUpdateAPIView):
    """The caller's own profile; name is editable, email and role are not."""

    serializer_class = UserSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "patch", "options", "head"]

    def get_object(self):
        return self.request.user


class UserListView(generics.ListCreateAPIView):
    """All users, for administrators."""

    permission_classes = [IsAdmin]
    queryset = User.objects.order_by("id")
    filterset_fields = ["role", "is_active"]

    def get_serializer_class(self):
        return AdminUserCreateSerializer if self.request.method == "POST" else AdminUserSerializer

    @extend_schema(request=AdminUserCreateSerializer, responses={201: AdminUserSerializer})
    def post(self, request, *args, **kwargs):
        data = AdminUserCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with as_drf_validation_error():
            user = services.create_user(by=request.user, **data.validated_data)
        return Response(AdminUserSerializer(user).data, status=status.HTTP_201_CREATED)


class UserDetailView(generics.RetrieveUpdateDestroyAPIView):
    """One user, for administrators: change name, email, role, active state, password; or delete."""

    permission_classes = [IsAdmin]
    queryset = User.objects.all()
    serializer_class = AdminUserSerializer
    http_method_names = ["get", "patch", "delete", "options", "head"]

    def perform_update(self, serializer):
        changes = dict(serializer.validated_data)
        password = changes.pop("password", None)
        with as_drf_validation_error():
            if password is not None:
                services.set_password(user=serializer.instance, password=password)
            serializer.instance = services.update_user(user=serializer.instance, by=self.request.user, **changes)

    def perform_destroy(self, instance):
        with as_drf_validation_error():
            services.delete_user(user=instance, by=self.request.user)


# --- learning ---------------------------------------------------------------------------------------


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


class QuizAttemptsView(APIView):
    """Submit an attempt at a lesson's quiz, or list one's own attempts."""

    permission_classes = [permissions.IsAuthenticated]

    def get_quiz(self, pk):
        lesson = get_object_or_404(LessonPage.objects.live(), pk=pk)
        learning.check_can_open(user=self.request.user, lesson=lesson)
        return lesson, get_object_or_404(Quiz, lesson=lesson)

    @extend_schema(request=AttemptWriteSerializer, responses={201: AttemptSerializer})
    def post(self, request, pk):
        lesson, quiz = self.get_quiz(pk)
        data = AttemptWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with as_drf_validation_error():
            result = learning.submit_quiz(learner=request.user, lesson=lesson, answers=request.data["answers"])
        body = attempt_data(
            result.attempt,
            reveal=quizzes.reveals_answers(quiz, request.user),
            attempts_left=quizzes.attempts_left(quiz, request.user),
        )
        if result.progress is not None:
            body["progress_percent"] = result.progress.percent
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: AttemptSerializer(many=True)})
    def get(self, request, pk):
        lesson, quiz = self.get_quiz(pk)
        reveal = quizzes.reveals_answers(quiz, request.user)
        attempts = Attempt.objects.filter(quiz=quiz, learner=request.user).order_by("-number")
        page = self.paginator.paginate_queryset(attempts, request, view=self)
        return self.paginator.get_paginated_response([attempt_data(a, reveal=reveal) for a in page])

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = Pagination()
        return self._paginator
