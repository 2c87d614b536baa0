"""Accounts API: registration, JWT tokens, the caller's profile and user management for admins."""

from django.utils import translation
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from lms.api import as_drf_validation_error
from lms.permissions import IsAdmin

from .. import services, throttles
from ..models import User
from ..serializers import (
    AdminUserCreateSerializer,
    AdminUserSerializer,
    LogoutSerializer,
    RegisterSerializer,
    TokenObtainSerializer,
    TokenPairSerializer,
    UserSerializer,
)

TOO_MANY = OpenApiResponse(description="Too many attempts for this email or from this address; see Retry-After")


class RegisterView(APIView):
    """Create a student account."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = throttles.SIGNUP

    @extend_schema(request=RegisterSerializer, responses={201: UserSerializer, 429: TOO_MANY})
    def post(self, request):
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with as_drf_validation_error():
            user = services.register(**data.validated_data, language=translation.get_language())
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


@extend_schema(
    request=TokenObtainSerializer,
    responses={
        200: TokenPairSerializer,
        401: OpenApiResponse(description="Wrong credentials or inactive user"),
        429: TOO_MANY,
    },
)
class TokenView(TokenObtainPairView):
    """Exchange an email and password for an access and a refresh token."""

    serializer_class = TokenObtainSerializer
    throttle_classes = throttles.LOGIN


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
