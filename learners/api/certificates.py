"""Certificates API: one's own certificates, public verification, the PDF and the signed credential."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import CoursePage
from courses.visibility import visible
from lms.links import absolute_url

from .. import credentials
from ..certificate_views import pdf_download
from ..models import Certificate
from ..serializers import (
    CertificateVerificationSerializer,
    CredentialGoneSerializer,
    CredentialSerializer,
    MyCertificateSerializer,
)
from ..services import certificates


def find(code: str) -> Certificate:
    return get_object_or_404(Certificate, code=code.upper())  # the URL converter lets only the code's letters through


def public_data(certificate: Certificate, request) -> dict:
    return {
        "code": certificate.code,
        "learner_name": certificate.learner_name,
        "course_title": certificate.course_title,
        "teacher_name": certificate.teacher_name,
        "issued_at": certificate.issued_at,
        "valid": certificate.is_valid,
        "revoked_at": certificate.revoked_at,
        "revoked_reason": certificate.revoked_reason,
        "verify_url": absolute_url(reverse("certificate-verify", args=[certificate.code]), request),
        "credential_url": absolute_url(reverse("api:certificate-credential", args=[certificate.code]), request),
    }


class MyCertificatesView(generics.ListAPIView):
    """The caller's certificates."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = MyCertificateSerializer
    queryset = Certificate.objects.none()  # for the schema; the real one is the caller's

    def get_queryset(self):
        return Certificate.objects.filter(learner=self.request.user).order_by("-issued_at")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        # The certificate is the learner's whatever happens to the course; the course itself is named by
        # its id only while they may see it (`courses.visibility`), as when it is deleted.
        courses = CoursePage.objects.filter(pk__in=[certificate.course_id for certificate in page])
        seen = set(visible(courses, request.user).values_list("pk", flat=True))
        data = [
            {
                **public_data(certificate, request),
                "course": {
                    "id": certificate.course_id if certificate.course_id in seen else None,
                    "title": certificate.course_title,
                },
                "pdf_url": absolute_url(reverse("api:certificate-pdf", args=[certificate.code]), request),
            }
            for certificate in page
        ]
        return self.get_paginated_response(MyCertificateSerializer(data, many=True).data)


class CertificateVerifyView(APIView):
    """Public verification: who earned what and when, and whether the certificate is valid."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: CertificateVerificationSerializer, 404: OpenApiResponse(description="Unknown code")})
    def get(self, request, code):
        return Response(CertificateVerificationSerializer(public_data(find(code), request)).data)


class CertificatePdfView(APIView):
    """The certificate's PDF, for its owner and administrators."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, code):
        return pdf_download(request.user, find(code))


class CertificateCredentialView(APIView):
    """The certificate as an Open Badges 3.0 credential signed by the portal (VC-JWT, EdDSA).

    Withdrawn once the certificate is revoked: 410 with the date and the reason.
    """

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        responses={
            200: CredentialSerializer,
            404: OpenApiResponse(description="Unknown code"),
            410: OpenApiResponse(CredentialGoneSerializer, description="The certificate was revoked"),
        }
    )
    def get(self, request, code):
        certificate = find(code)
        return Response(
            {
                "credential": certificates.credential(certificate),
                "format": "vc+jwt",
                "jwks_url": absolute_url(reverse("jwks"), request),
                "status_list_url": credentials.status_list_url(settings.PORTAL_BASE_URL),
            }
        )
