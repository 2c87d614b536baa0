"""The quiz attempts listing, and each attempt inspected whole: the questions as they were, with what was chosen."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets import BooleanRadioSelect

from courses.models import LessonPage
from quizzes.models import Attempt, Quiz

from .listing import ExportMixin, LearnerFilterSet, RecordViewSet, course_choices, date_range


class AttemptFilterSet(LearnerFilterSet):
    course = django_filters.ModelChoiceFilter(label=_("Course"), queryset=course_choices, method="filter_course")
    quiz = django_filters.ModelChoiceFilter(label=_("Quiz"), queryset=Quiz.objects.order_by("title"))
    passed = django_filters.BooleanFilter(label=_("Passed"), widget=BooleanRadioSelect)
    created_at = date_range(_("Submitted"))

    def filter_course(self, queryset, name, course):
        # An attempt knows its lesson; the course is the lesson's parent page.
        return queryset.filter(lesson__in=LessonPage.objects.child_of(course))

    class Meta:
        model = Attempt
        fields = []


def lesson_title(attempt) -> str:
    return attempt.lesson.title if attempt.lesson else ""


class AttemptIndexView(ExportMixin, generic.IndexView):
    export_values = {"lesson": lesson_title}

    def get_base_queryset(self):
        return Attempt.objects.select_related("learner", "lesson")


class AttemptInspectView(generic.InspectView):
    """The whole attempt: who, when, the score, and each question as it was, with what was chosen."""

    template_name = "learners/admin/attempt_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        questions = []
        for item in self.object.results or []:
            chosen = set(item.get("chosen", []))
            choices = [
                {"text": choice["text"], "correct": choice["correct"], "chosen": choice["id"] in chosen}
                for choice in item.get("choices", [])
            ]
            questions.append({**item, "choices": choices})
        context["questions"] = questions
        return context


class AttemptViewSet(RecordViewSet):
    model = Attempt
    icon = "tasks"
    menu_label = _("Quiz attempts")
    inspect_view_enabled = True
    index_view_class = AttemptIndexView
    inspect_view_class = AttemptInspectView
    inspect_view_fields = ["learner", "quiz_title", "lesson", "number", "score", "pass_mark", "passed", "created_at"]
    filterset_class = AttemptFilterSet
    search_fields = ["learner__name", "learner__email", "quiz_title"]
    ordering = "-created_at"
    list_display = [
        "learner__name",
        Column("quiz_title", label=_("Quiz"), sort_key="quiz_title"),
        Column("lesson", label=_("Lesson"), accessor=lesson_title),
        Column("number", label=_("Attempt"), sort_key="number"),
        Column("score", label=_("Score (%)"), sort_key="score"),
        BooleanColumn("passed", label=_("Passed"), sort_key="passed"),
        DateColumn("created_at", label=_("Submitted"), sort_key="created_at"),
    ]
    list_export = [
        "learner.name",
        "learner.email",
        "quiz_title",
        "lesson",
        "number",
        "score",
        "pass_mark",
        "passed",
        "created_at",
    ]
    export_headings = {
        "learner.name": _("Learner"),
        "learner.email": _("Email"),
        "quiz_title": _("Quiz"),
        "lesson": _("Lesson"),
        "number": _("Attempt"),
        "score": _("Score (%)"),
        "pass_mark": _("Pass mark (%)"),
        "passed": _("Passed"),
        "created_at": _("Submitted"),
    }
    export_filename = "quiz-attempts"


attempt_viewset = AttemptViewSet("quiz-attempts")
