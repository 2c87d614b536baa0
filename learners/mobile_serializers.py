"""Shapes of "Learning on the move" in the API: the course outline, video heartbeats and the offline sync."""

from rest_framework import serializers

from .services import sync, watching

ID = {"min_value": 1, "max_value": 2**31 - 1}


class VideoHeartbeatSerializer(serializers.Serializer):
    media = serializers.IntegerField(**ID, help_text="The video's id (as the lesson's body gives it).")
    ranges = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(min_value=0), min_length=2, max_length=2),
        max_length=watching.MAX_RANGES,
        help_text="What the player played since the last heartbeat: [[start, end], …] in seconds.",
    )
    position = serializers.FloatField(min_value=0, help_text="Where the player stands now, in seconds.")


class VideoStateSerializer(serializers.Serializer):
    media = serializers.IntegerField()
    watched_seconds = serializers.FloatField(help_text="Distinct seconds watched.")
    furthest = serializers.FloatField(help_text="The furthest second watched.")
    position = serializers.FloatField(help_text="The last position reported: where to resume.")
    duration = serializers.FloatField()
    completed = serializers.BooleanField(help_text="Watched the share of it that the lesson asks for.")


class HeartbeatAnswerSerializer(VideoStateSerializer):
    lesson_completed = serializers.BooleanField(help_text="This heartbeat completed the lesson.")
    progress_percent = serializers.IntegerField(
        allow_null=True, help_text="The course's progress, when this heartbeat completed the lesson."
    )


class SyncEventSerializer(serializers.Serializer):
    """One event; the fields of its type (`media`, `ranges`, `position`; `answers`) sit beside these."""

    id = serializers.UUIDField(help_text="Made by the app, once per event.")
    type = serializers.CharField(max_length=32, help_text=", ".join(sync.HANDLERS))
    at = serializers.DateTimeField(help_text="When it happened on the device.")
    lesson = serializers.IntegerField(**ID, required=False, allow_null=True)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        payload = {key: value for key, value in data.items() if key not in self.fields}
        return sync.Event(
            id=values["id"], type=values["type"], at=values["at"], lesson=values.get("lesson"), payload=payload
        )


class SyncBatchSerializer(serializers.Serializer):
    events = serializers.ListField(child=SyncEventSerializer(), max_length=sync.MAX_EVENTS)


class SyncAttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    score = serializers.IntegerField()
    passed = serializers.BooleanField()


class SyncOutcomeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=["applied", "duplicate", "rejected"])
    code = serializers.CharField(allow_blank=True, help_text="Why it was rejected: a stable, machine-readable reason.")
    detail = serializers.CharField(allow_blank=True)
    attempt = SyncAttemptSerializer(allow_null=True, help_text="The quiz attempt the event recorded.")


class SyncProgressSerializer(serializers.Serializer):
    course = serializers.IntegerField()
    progress_percent = serializers.IntegerField()
    completed = serializers.BooleanField()


class SyncAnswerSerializer(serializers.Serializer):
    results = SyncOutcomeSerializer(many=True)
    enrollments = SyncProgressSerializer(many=True, help_text="The progress in the courses the events were about.")


class OutlineCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()


class OutlineQuizSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    passed = serializers.BooleanField()
    attempts_used = serializers.IntegerField()
    attempts_left = serializers.IntegerField(allow_null=True, help_text="null: unlimited.")
    max_attempts = serializers.IntegerField(allow_null=True)
    last_score = serializers.IntegerField(allow_null=True)


class OutlineVideoSerializer(VideoStateSerializer):
    required = serializers.BooleanField(help_text="The lesson is completed by watching this video.")
    required_percent = serializers.IntegerField()


class OutlineLessonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    position = serializers.IntegerField()
    state = serializers.ChoiceField(choices=["done", "open", "locked"])
    locked_reason = serializers.CharField(allow_null=True, help_text="`previous_lesson`: complete `locked_by` first.")
    locked_by = serializers.IntegerField(allow_null=True)
    completes_by = serializers.ListField(child=serializers.ChoiceField(choices=["quiz", "video", "mark_done"]))
    duration_minutes = serializers.IntegerField(allow_null=True)
    quiz = OutlineQuizSerializer(allow_null=True)
    video = OutlineVideoSerializer(allow_null=True)


class OutlineLessonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    position = serializers.IntegerField()


class ProgressItemSerializer(serializers.Serializer):
    lesson = serializers.IntegerField()
    weight_percent = serializers.FloatField()
    counted = serializers.BooleanField()


class ProgressRuleSerializer(serializers.Serializer):
    counts = serializers.CharField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    weight_percent = serializers.FloatField(help_text="What each lesson weighs.")
    formula = serializers.CharField()
    items = ProgressItemSerializer(many=True)
    explanation = serializers.CharField()


class OutlineSerializer(serializers.Serializer):
    course = OutlineCourseSerializer()
    enrolled = serializers.BooleanField()
    completed = serializers.BooleanField()
    progress_percent = serializers.IntegerField()
    progress_rule = ProgressRuleSerializer()
    next_lesson = OutlineLessonRefSerializer(allow_null=True)
    lessons = OutlineLessonSerializer(many=True)
