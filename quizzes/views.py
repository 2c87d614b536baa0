"""Quizzes in the Wagtail admin: edited with Wagtail's own panels next to their lesson, by the lesson's
teacher and admins only, with per-question statistics and a preview as learners take it."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_valid_next_url_from_request, set_query_params
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton

from courses.models import LessonPage
from lms.admin_scope import ScopedViewSetMixin

from . import services
from .models import Attempt, Quiz


class QuizForm(WagtailAdminModelForm):
    """Checks the questions as the API does: ≥2 choices, ≥1 correct, exactly one for single choice;
    and offers only lessons the user may edit."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "lesson" in self.fields and for_user is not None:
            lessons = LessonPage.objects.order_by("path")
            if not for_user.is_superuser:
                lessons = lessons.taught_by(for_user)
            self.fields["lesson"].queryset = lessons

    def clean(self):
        cleaned = super().clean()
        questions = []
        for question_form in self.formsets["questions"].forms:
            if not question_form.is_valid():
                return cleaned  # the question's own errors (and its choices') say what is wrong
            if question_form.cleaned_data.get("DELETE"):
                continue
            choices = [
                {"correct": choice_form.cleaned_data.get("is_correct", False)}
                for choice_form in question_form.formsets["choices"].forms
                if choice_form.is_valid()
                and choice_form.cleaned_data.get("text")
                and not choice_form.cleaned_data.get("DELETE")
            ]
            questions.append({"kind": question_form.cleaned_data.get("kind"), "choices": choices})
        try:
            services.check_questions(questions)
        except ValidationError as error:
            for message in error.message_dict["questions"]:
                self.add_error(None, message)
        return cleaned


class IndexView(generic.IndexView):
    def get_base_queryset(self):
        # Ordered, so that every listing (sorted by a column or not) pages consistently.
        return Quiz.objects.select_related("lesson").order_by("-updated_at", "-pk")


class BackToNextMixin:
    """After saving, back where the editor came from: `?next=`, a URL of this site only (Wagtail's check, with
    `url_has_allowed_host_and_scheme`), such as the lesson editor whose quiz panel opened the form. The form's
    own address carries it on, so that it outlives a form sent back with errors."""

    @cached_property
    def next_url(self) -> str:
        return get_valid_next_url_from_request(self.request)

    def with_next(self, url: str) -> str:
        return set_query_params(url, {"next": self.next_url}) if self.next_url else url

    def get_success_url(self):
        return self.next_url or super().get_success_url()


class CreateView(BackToNextMixin, generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        if lesson_id := self.request.GET.get("lesson"):
            initial["lesson"] = lesson_id
        return initial

    def get_add_url(self):
        return self.with_next(super().get_add_url())


class EditView(BackToNextMixin, generic.EditView):
    def get_edit_url(self):
        return self.with_next(super().get_edit_url())

    @cached_property
    def header_buttons(self):
        preview = reverse(quiz_viewset.get_url_name("preview"), args=[self.object.pk])
        return [HeaderButton(_("Preview as a learner"), url=preview, icon_name="view")]


class PreviewView(TemplateView):
    """The quiz as learners take it, on the site's own page, for those who may change it (the lesson's teacher,
    admins: the viewset's scope, `lms.admin_scope`). Answers are graded as a learner's would be and kept nowhere."""

    permission_required = "change"
    template_name = "quizzes/admin/preview.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        quizzes = Quiz.objects.editable_by(request.user).select_related("lesson")
        self.quiz = get_object_or_404(quizzes, pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        quiz = self.quiz
        # What the site's quiz form reads (learners.page_parts.lesson_quiz): a learner who has not tried it yet.
        quiz.shown_questions = services.shown_to(quiz, self.request.user)
        quiz.left, quiz.passed_by_user, quiz.last_attempt = quiz.max_attempts, False, None
        return super().get_context_data(
            quiz=quiz,
            page=quiz.lesson,
            quiz_form_action=self.request.path,
            lesson_edit_url=reverse("wagtailadmin_pages:edit", args=[quiz.lesson_id]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            graded, results = services.grade_answers(self.quiz, services.answers_from_form(request.POST))
        except ValidationError:
            error = gettext("These answers do not fit the quiz. Please try again.")
            return self.render_to_response(self.get_context_data(error=error), status=400)
        return self.render_to_response(self.get_context_data(graded=graded, results=results))


class StatisticsView(generic.InspectView):
    """Per question: attempts, the share answered right, and the wrong choice chosen most."""

    template_name = "quizzes/admin/statistics.html"
    page_title = _("Statistics")

    @cached_property
    def statistics(self) -> list[dict]:
        questions = services.questions_of(self.object)
        answered = Counter()
        right = Counter()
        wrong_choices: dict[int, Counter] = {question.pk: Counter() for question in questions}
        # One query for every attempt's kept results; the counting is Python's.
        for results in Attempt.objects.filter(quiz=self.object).values_list("results", flat=True):
            for item in results:
                question_id = item["question"]
                if question_id not in wrong_choices:
                    continue  # a question that was removed since
                answered[question_id] += 1
                right[question_id] += bool(item["right"])
                correct = {choice["id"] for choice in item["choices"] if choice["correct"]}
                wrong_choices[question_id].update(set(item["chosen"]) - correct)
        rows = []
        for question in questions:
            texts = {choice.pk: choice.text for choice in question.choices.all()}
            most_wrong = next(iter(wrong_choices[question.pk].most_common(1)), None)
            rows.append(
                {
                    "question": question,
                    "attempts": answered[question.pk],
                    "right_percent": right[question.pk] * 100 // answered[question.pk]
                    if answered[question.pk]
                    else None,
                    "most_wrong": (texts.get(most_wrong[0], "—"), most_wrong[1]) if most_wrong else None,
                }
            )
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attempts = Attempt.objects.filter(quiz=self.object)
        context.update(
            statistics=self.statistics,
            attempt_count=attempts.count(),
            pass_count=attempts.filter(passed=True).count(),
        )
        return context


class QuizViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = _("Quizzes")
    menu_order = 250
    add_to_admin_menu = True
    inspect_view_enabled = True
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    inspect_view_class = StatisticsView
    list_display = ["title", Column("lesson", label=_("Lesson")), "pass_mark", "max_attempts", "updated_at"]
    ordering = ["-updated_at", "-pk"]
    search_fields = ["title"]

    edit_handler = ObjectList(Quiz.panels, base_form_class=QuizForm)

    @cached_property
    def preview_view(self):
        return self.construct_view(PreviewView)

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("preview/<int:pk>/", self.preview_view, name="preview")]


quiz_viewset = QuizViewSet("quizzes")
