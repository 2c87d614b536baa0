"""Learning on the move: a course screen in one call, video heartbeats, and events recorded offline."""

import hashlib
import json

from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags, quote_etag
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import CoursePage, LessonPage
from lms.api import as_drf_validation_error

from ..mobile_serializers import (
    HeartbeatAnswerSerializer,
    OutlineSerializer,
    SyncAnswerSerializer,
    SyncBatchSerializer,
    VideoHeartbeatSerializer,
)
from ..outline import outline
from ..services import learning, sync, watching


class OutlineView(APIView):
    """The course screen: lessons in order with their state, quiz and video, the next lesson, and the progress with
    its rule. Send the `ETag` back in `If-None-Match`: 304 while nothing changed."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("If-None-Match", str, OpenApiParameter.HEADER, required=False)],
        responses={200: OutlineSerializer, 304: OpenApiResponse(description="Not modified since that ETag.")},
    )
    def get(self, request, pk):
        course = get_object_or_404(CoursePage.objects.all(), pk=pk)
        data = OutlineSerializer(outline(request.user, course)).data
        # The answer's own digest: it changes when, and only when, what the learner would see changes.
        etag = quote_etag(hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32])
        matches = etag in parse_etags(request.headers.get("If-None-Match", "").replace("W/", ""))
        response = Response(status=status.HTTP_304_NOT_MODIFIED) if matches else Response(data)
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Authorization", "Accept-Language"])
        return response


class VideoProgressView(APIView):
    """A heartbeat of the lesson's video player: the ranges played since the last one, and the position."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VideoHeartbeatSerializer, responses={200: HeartbeatAnswerSerializer})
    def post(self, request, pk):
        lesson = get_object_or_404(LessonPage.objects.live(), pk=pk)
        data = VideoHeartbeatSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with as_drf_validation_error():
            beat = watching.record_heartbeat(learner=request.user, lesson=lesson, **data.validated_data)
        return Response(HeartbeatAnswerSerializer(beat.answer()).data)


class SyncView(APIView):
    """Apply learning events an app recorded offline, in the order they happened; the same batch twice changes
    nothing. Each event is reported applied, duplicate or rejected (with a `code`)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=SyncBatchSerializer, responses={200: SyncAnswerSerializer})
    def post(self, request):
        data = SyncBatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = sync.apply_events(learner=request.user, events=data.validated_data["events"])
        enrollments = []
        for course in CoursePage.objects.filter(pk__in=result.courses).order_by("pk"):
            progress = learning.Standing(request.user, course).progress
            enrollments.append(
                {"course": course.pk, "progress_percent": progress.percent, "completed": progress.complete}
            )
        results = [
            {
                "id": outcome.id,
                "status": outcome.status,
                "code": outcome.code,
                "detail": outcome.detail,
                "attempt": outcome.attempt,
            }
            for outcome in result.outcomes
        ]
        return Response(SyncAnswerSerializer({"results": results, "enrollments": enrollments}).data)
