"""`POST /api/v1/media/`: teachers upload a video, an audio file or a material for their lessons."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.documents import get_document_model
from wagtailmedia.models import get_media_model

from lms.links import absolute_url
from lms.permissions import IsTeacher

from . import uploads
from .collections import upload_collection
from .files import media_url

# Room for the multipart envelope and the title around the file itself.
_ENVELOPE_BYTES = 64 * 1024


class FileTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The file is too large.")
    default_code = "file_too_large"


class MediaUploadSerializer(serializers.Serializer):
    """The multipart form of an upload."""

    file = serializers.FileField(help_text="A video (mp4, webm, ogv, mov, m4v), audio (mp3, ogg, m4a) or document.")
    title = serializers.CharField(max_length=255)


class UploadedMediaSerializer(serializers.Serializer):
    """What an upload became: a wagtailmedia item (video, audio) or a Wagtail document."""

    id = serializers.IntegerField(help_text="Use it as the value of a lesson's `video` or `file` block.")
    url = serializers.URLField(
        help_text="Where the file downloads: served to its uploader and the admins, and to those who may see a "
        "page that uses it."
    )
    kind = serializers.ChoiceField(choices=[uploads.VIDEO, uploads.AUDIO, uploads.DOCUMENT])
    title = serializers.CharField()


class MediaUploadView(APIView):
    """Upload a video, audio file or document, checked by size and by content, into the uploader's collection
    (a teacher's own; the root for admins): the one their admin form would put it in."""

    permission_classes = [IsTeacher]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": MediaUploadSerializer},
        responses={
            201: UploadedMediaSerializer,
            400: OpenApiResponse(description="Missing or invalid field; a file whose content is not its type."),
            401: OpenApiResponse(description="Not authenticated."),
            403: OpenApiResponse(description="Not a teacher or administrator (code `teacher_only`)."),
            413: OpenApiResponse(
                response=inline_serializer(
                    "FileTooLarge", {"detail": serializers.CharField(), "code": serializers.CharField()}
                ),
                description="The file is over the limit of its kind (code `file_too_large`).",
            ),
        },
    )
    def post(self, request):
        self._refuse_oversized_body(request)
        data = MediaUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload, title = data.validated_data["file"], data.validated_data["title"]
        try:
            kind = uploads.classify(upload)
        except DjangoValidationError as error:
            if error.code == "file_too_large":
                raise FileTooLarge(error.messages[0]) from error
            raise exceptions.ValidationError({"file": error.messages}) from error

        collection = upload_collection(request.user)
        if kind == uploads.DOCUMENT:
            item = get_document_model()(title=title, file=upload, collection=collection, uploaded_by_user=request.user)
            # File size and hash, as Wagtail's own upload views record them.
            item._set_document_file_metadata()
        else:
            item = get_media_model()(
                title=title, file=upload, type=kind, collection=collection, uploaded_by_user=request.user
            )
        item.save()
        url = item.url if kind == uploads.DOCUMENT else media_url(item)
        body = {"id": item.pk, "url": absolute_url(url, request), "kind": kind, "title": item.title}
        return Response(UploadedMediaSerializer(body).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _refuse_oversized_body(request):
        """Answer 413 from the Content-Length alone, before Django parses a body no limit could accept."""
        limit = max(uploads.max_bytes(kind) for kind in (uploads.VIDEO, uploads.AUDIO, uploads.DOCUMENT))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return  # Django reads a malformed length as none, and so do we
        if length > limit + _ENVELOPE_BYTES:
            raise FileTooLarge(
                _("The request is too large. The largest accepted file is %(limit)s.")
                % {"limit": filesizeformat(limit)}
            )
