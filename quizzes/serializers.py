"""Shapes of quizzes in the API. Learners' shapes never carry which choice is correct."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import QuestionKind


class ChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    choices = ChoiceSerializer(source="shown_choices", many=True)


class QuizSerializer(serializers.Serializer):
    """A quiz as a learner takes it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    pass_mark = serializers.IntegerField()
    max_attempts = serializers.IntegerField(allow_null=True)
    attempts_left = serializers.IntegerField(allow_null=True, help_text=_("Null when attempts are unlimited."))
    passed = serializers.BooleanField()
    questions = QuestionSerializer(many=True)


class ChoiceWriteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    correct = serializers.BooleanField(default=False)


class QuestionWriteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    explanation = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    choices = ChoiceWriteSerializer(many=True, max_length=20)


class QuizWriteSerializer(serializers.Serializer):
    """A whole quiz, as a teacher replaces it."""

    title = serializers.CharField(max_length=255)
    pass_mark = serializers.IntegerField(min_value=0, max_value=100, required=False)
    max_attempts = serializers.IntegerField(min_value=1, max_value=1000, required=False, allow_null=True, default=None)
    shuffle = serializers.BooleanField(required=False, default=False)
    questions = QuestionWriteSerializer(many=True, max_length=100)


class QuestionResultSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    text = serializers.CharField()
    correct = serializers.BooleanField(source="right", help_text=_("Whether the question was answered right."))
    chosen = serializers.ListField(child=serializers.IntegerField())
    explanation = serializers.CharField()
    correct_choices = serializers.ListField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text=_("Given once the learner passed or has no attempts left; null before."),
    )


class AttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    score = serializers.IntegerField()
    passed = serializers.BooleanField()
    pass_mark = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    results = QuestionResultSerializer(many=True)
    attempts_left = serializers.IntegerField(allow_null=True, required=False)


class AnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    choices = serializers.ListField(child=serializers.IntegerField(), max_length=50)


class AttemptWriteSerializer(serializers.Serializer):
    answers = AnswerSerializer(many=True, max_length=200)


def attempt_data(attempt, *, reveal: bool, attempts_left=None) -> dict:
    """An attempt as its learner sees it: correct choices only when `reveal` (passed or out of attempts)."""
    results = [
        {
            **item,
            "correct_choices": [c["id"] for c in item["choices"] if c["correct"]] if reveal else None,
        }
        for item in attempt.results
    ]
    data = {
        "id": attempt.pk,
        "number": attempt.number,
        "score": attempt.score,
        "passed": attempt.passed,
        "pass_mark": attempt.pass_mark,
        "created_at": attempt.created_at,
        "results": results,
        "attempts_left": attempts_left,
    }
    return AttemptSerializer(data).data
