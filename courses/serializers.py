"""Shapes of courses, lessons and categories in the API."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from lms.links import absolute_url, page_url

from .blocks import LessonBodyBlock
from .models import Category, CoursePage, Language, LessonPage, Level

COVER_SPEC = "fill-640x360"


class CategorySerializer(serializers.ModelSerializer):
    course_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description", "course_count"]


class CategoryBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]


class TeacherSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "name"]


class CourseBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoursePage
        fields = ["id", "title"]


class CourseSerializer(serializers.ModelSerializer):
    """A course as the catalog lists it."""

    url = serializers.SerializerMethodField(help_text=_("The course's public page."))
    teacher = TeacherSerializer(source="owner", read_only=True, allow_null=True)
    category = CategoryBriefSerializer(read_only=True, allow_null=True)
    cover = serializers.SerializerMethodField()
    created = serializers.DateTimeField(source="created_at", read_only=True)
    rating_avg = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = CoursePage
        fields = [
            "id",
            "title",
            "slug",
            "summary",
            "url",
            "teacher",
            "category",
            "level",
            "language",
            "duration_minutes",
            "cover",
            "created",
            "rating_avg",
            "rating_count",
            "live",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, course) -> str:
        return page_url(course, self.context.get("request"))

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_cover(self, course) -> str | None:
        if course.cover_image is None:
            return None
        url = course.cover_image.get_rendition(COVER_SPEC).url
        request = self.context.get("request")
        return absolute_url(url, request)


class LessonBriefSerializer(serializers.Serializer):
    """A lesson in a course's syllabus, with the learner's state of it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    position = serializers.IntegerField()
    duration_minutes = serializers.IntegerField(allow_null=True)
    has_quiz = serializers.BooleanField()
    completed = serializers.BooleanField()
    locked = serializers.BooleanField()


class CourseDetailSerializer(CourseSerializer):
    description = serializers.SerializerMethodField()
    lessons = LessonBriefSerializer(source="syllabus", many=True, read_only=True)
    enrolled = serializers.BooleanField(read_only=True)
    progress_percent = serializers.IntegerField(read_only=True)

    class Meta(CourseSerializer.Meta):
        fields = [*CourseSerializer.Meta.fields, "description", "lessons", "enrolled", "progress_percent"]

    def get_description(self, course) -> str:
        return expand_db_html(course.description)


class CourseWriteSerializer(serializers.Serializer):
    """What a teacher sends to create or change a course."""

    title = serializers.CharField(max_length=255)
    summary = serializers.CharField(max_length=300)
    description = serializers.CharField(max_length=100_000, required=False, allow_blank=True, default="")
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), required=False, allow_null=True
    )
    level = serializers.ChoiceField(choices=Level.choices, default=Level.BEGINNER)
    language = serializers.ChoiceField(choices=Language.choices, default=Language.ENGLISH)
    duration_minutes = serializers.IntegerField(min_value=1, max_value=100_000, required=False, allow_null=True)
    teacher = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(role__in=["teacher", "admin"], is_active=True),
        required=False,
        source="owner",
        help_text=_("Administrators only: give the course to another teacher."),
    )


class BlockSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=list(LessonBodyBlock.base_blocks))  # the editor's block types
    value = serializers.JSONField(
        help_text=_(
            "text: HTML; video and file: the id from POST media/ (a video with captions: {video, captions, "
            "captions_language, captions_label, captions_kind}, captions the id of a .vtt document); heading: a string."
        )
    )


class LessonWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    body = BlockSerializer(many=True, required=False, max_length=500)
    duration_minutes = serializers.IntegerField(min_value=1, max_value=100_000, required=False, allow_null=True)
    require_watching = serializers.BooleanField(
        required=False, help_text="Completed only by watching the first video's `watch_percent` (it needs a duration)."
    )
    watch_percent = serializers.IntegerField(min_value=1, max_value=100, required=False)


class VideoResumeSerializer(serializers.Serializer):
    """The caller's progress in one video of the lesson: where to resume, how much is watched."""

    media = serializers.IntegerField()
    position = serializers.FloatField(help_text="The last position reported: where to resume, in seconds.")
    watched_seconds = serializers.FloatField()
    furthest = serializers.FloatField()
    duration = serializers.FloatField()
    completed = serializers.BooleanField()


class LessonSerializer(serializers.ModelSerializer):
    """A lesson with its rendered body."""

    course = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    position = serializers.IntegerField(read_only=True)
    previous = serializers.IntegerField(read_only=True, allow_null=True)
    next = serializers.IntegerField(read_only=True, allow_null=True)
    has_quiz = serializers.BooleanField(read_only=True)
    completed = serializers.BooleanField(read_only=True)
    videos = VideoResumeSerializer(many=True, read_only=True, help_text="The caller's progress in each video.")

    class Meta:
        model = LessonPage
        fields = [
            "id",
            "title",
            "course",
            "url",
            "position",
            "duration_minutes",
            "body",
            "previous",
            "next",
            "has_quiz",
            "completed",
            "live",
            "require_watching",
            "watch_percent",
            "videos",
        ]

    @extend_schema_field(CourseBriefSerializer)
    def get_course(self, lesson):
        return {"id": lesson.course.pk, "title": lesson.course.title}

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, lesson) -> str:
        return page_url(lesson, self.context.get("request"))

    @extend_schema_field(BlockSerializer(many=True))
    def get_body(self, lesson):
        # The course: a video's captions without a language of their own are in the course's.
        context = {**self.context, "course": lesson.course}
        return lesson.body.stream_block.get_api_representation(lesson.body, context=context)
