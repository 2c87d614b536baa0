"""Shapes of accounts in the API."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from .models import Enrollment, Role, User

NAME = {"max_length": 150, "trim_whitespace": True}


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        # `language`: theirs (set at sign-up from the app's or site's), the language of their certificates.
        fields = ["id", "name", "email", "role", "date_joined", "language"]
        read_only_fields = ["id", "email", "role", "date_joined"]


class RegisterSerializer(serializers.Serializer):
    name = serializers.CharField(**NAME)
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


class AdminUserSerializer(serializers.ModelSerializer):
    """A user as administrators see and change it."""

    password = serializers.CharField(max_length=128, write_only=True, required=False, trim_whitespace=False)

    class Meta:
        model = User
        fields = ["id", "name", "email", "role", "is_active", "date_joined", "last_login", "password"]
        read_only_fields = ["id", "date_joined", "last_login"]
        extra_kwargs = {"name": {"max_length": 150}}


class AdminUserCreateSerializer(AdminUserSerializer):
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.STUDENT)


class TokenObtainSerializer(jwt_serializers.TokenObtainPairSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"] = serializers.CharField(max_length=254, write_only=True)
        self.fields["password"] = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=4096)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)


class TokenRefreshSerializer(jwt_serializers.TokenRefreshSerializer):
    """simplejwt's refresh, made strict: one use per token even under races, and never a 500.

    A deleted user, a deactivated user, or a password changed since the token was issued all answer 401.
    """

    refresh = serializers.CharField(max_length=4096)

    default_error_messages = {"no_active_account": _("No active account found for the given token.")}

    def validate(self, attrs):
        with transaction.atomic():
            token = RefreshToken(attrs["refresh"])
            # Lock the token's row so that two refreshes of the same token cannot both succeed.
            outstanding = (
                OutstandingToken.objects.select_for_update(of=("self",))
                .filter(jti=token[jwt_settings.JTI_CLAIM])
                .first()
            )
            if outstanding is not None and hasattr(outstanding, "blacklistedtoken"):
                raise AuthenticationFailed(_("Token is blacklisted"), code="token_not_valid")
            user = get_user_model().objects.filter(pk=token.get(jwt_settings.USER_ID_CLAIM)).first()
            if user is None or not user.is_active:
                raise AuthenticationFailed(self.error_messages["no_active_account"], code="no_active_account")
            if token.get(jwt_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password):
                raise AuthenticationFailed(_("The user's password has been changed."), code="password_changed")
            return super().validate(attrs)


class CourseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()


class EnrollmentSerializer(serializers.ModelSerializer):
    """An enrollment with the learner's progress over the lessons published now."""

    course = serializers.SerializerMethodField()
    progress_percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Enrollment
        fields = ["id", "course", "progress_percent", "completed_at", "enrolled_at", "last_activity_at"]

    @extend_schema_field(CourseRefSerializer)
    def get_course(self, enrollment):
        return {"id": enrollment.course_id, "title": enrollment.course.title if enrollment.course else enrollment.course_title}


class CompletionSerializer(serializers.Serializer):
    completed = serializers.BooleanField()
    progress_percent = serializers.IntegerField()
    course_completed = serializers.BooleanField()


class MyCertificateSerializer(serializers.Serializer):
    code = serializers.CharField()
    course = CourseRefSerializer()
    issued_at = serializers.DateTimeField()
    valid = serializers.BooleanField()
    verify_url = serializers.URLField()
    pdf_url = serializers.URLField()
    credential_url = serializers.URLField()


class CertificateVerificationSerializer(serializers.Serializer):
    """What anyone may learn of a certificate from its code."""

    code = serializers.CharField()
    learner_name = serializers.CharField()
    course_title = serializers.CharField()
    teacher_name = serializers.CharField(allow_blank=True)
    issued_at = serializers.DateTimeField()
    valid = serializers.BooleanField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoked_reason = serializers.CharField(allow_blank=True)
    verify_url = serializers.URLField()
    credential_url = serializers.URLField()


class CredentialSerializer(serializers.Serializer):
    credential = serializers.CharField(help_text="The Open Badges 3.0 credential as a VC-JWT signed with EdDSA (Ed25519).")
    format = serializers.CharField()
    jwks_url = serializers.URLField()
    status_list_url = serializers.URLField(
        help_text="The signed revocation status list (W3C Bitstring Status List, VC-JWT) that the credential's "
        "`credentialStatus` points to; its bit at `statusListIndex` is 1 once the certificate is revoked."
    )


class CredentialGoneSerializer(serializers.Serializer):
    """A revoked certificate's credential is withdrawn."""

    detail = serializers.CharField()
    code = serializers.CharField(help_text="`certificate_revoked`")
    revoked_at = serializers.DateTimeField()
    revoked_reason = serializers.CharField()
