"""The course report in the Wagtail admin: a course's learners, for its teacher and admins, with progress,
last activity, the best score at each quiz and completion. A few aggregate queries, whatever the number of rows."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import HeaderButton

from courses.models import CoursePage
from quizzes.models import Attempt, Quiz

from ..models import Enrollment
from .enrollments import enrollment_progress_columns, enrollment_state
from .listing import ExportMixin


def can_see_report(user, course: CoursePage) -> bool:
    """Those who may edit the course see its report: its teacher and admins."""
    return user.is_active and course.permissions_for_user(user).can_edit()


class CourseReportFilterSet(WagtailFilterSet):
    STATES = [
        ("active", _("Active")),
        ("left", _("Left")),
        ("completed", _("Completed")),
        ("not_completed", _("Not completed")),
    ]

    state = django_filters.ChoiceFilter(
        label=_("State"), choices=STATES, method="filter_state", widget=forms.RadioSelect, empty_label=_("All")
    )

    def filter_state(self, queryset, name, value):
        return queryset.in_state(value)

    class Meta:
        model = Enrollment
        fields = []


def quiz_result(quiz: Quiz):
    """A learner's result at a quiz as a cell: the best score, and whether any attempt passed."""

    def result(enrollment) -> str:
        best = getattr(enrollment, f"quiz_{quiz.pk}_best")
        if best is None:
            return "—"
        passed = getattr(enrollment, f"quiz_{quiz.pk}_passed")
        return f"{best}% · {gettext('passed') if passed else gettext('not passed')}"

    return result


class CourseReportView(ExportMixin, generic.IndexView):
    """Every learner of one course: progress, last activity, best score at each quiz, completion."""

    model = Enrollment
    # Access follows the course (its teacher and admins), not a permission on enrollments: see dispatch.
    permission_policy = None
    any_permission_required = None
    index_url_name = "course_report:index"
    index_results_url_name = "course_report:index_results"
    filterset_class = CourseReportFilterSet
    search_fields = ["learner__name", "learner__email"]
    default_ordering = "learner__name"
    paginate_by = 50
    page_title = _("Course report")
    header_icon = "table"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.course = get_object_or_404(CoursePage, pk=kwargs["course_id"])
        # The quizzes of the lessons published now, in syllabus order: one column (two in exports) each.
        self.quizzes = list(Quiz.objects.filter(lesson__in=self.course.lessons()).order_by("lesson__path"))
        self.list_export = [
            "learner.name",
            "learner.email",
            "enrolled_at",
            "state",
            "progress_percent",
            "lesson_done",
            "lesson_total",
            "last_activity_at",
            "completed_at",
        ]
        self.export_headings = {
            "learner.name": _("Learner"),
            "learner.email": _("Email"),
            "enrolled_at": _("Enrolled"),
            "state": _("State"),
            "progress_percent": _("Progress (%)"),
            "lesson_done": _("Lessons done"),
            "lesson_total": _("Lessons"),
            "last_activity_at": _("Last activity"),
            "completed_at": _("Completed"),
        }
        self.export_values = {"state": enrollment_state}
        for quiz in self.quizzes:
            best, passed = f"quiz_{quiz.pk}_best", f"quiz_{quiz.pk}_passed"
            self.list_export += [best, passed]
            self.export_headings[best] = _("%(quiz)s: best score (%%)") % {"quiz": quiz.title}
            self.export_headings[passed] = _("%(quiz)s: passed") % {"quiz": quiz.title}
            self.export_values[passed] = self._passed_cell(best, passed)

    @staticmethod
    def _passed_cell(best, passed):
        def cell(enrollment):
            if getattr(enrollment, best) is None:
                return ""  # no attempt yet
            return gettext("yes") if getattr(enrollment, passed) else gettext("no")

        return cell

    def dispatch(self, request, *args, **kwargs):
        if not can_see_report(request.user, self.course):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        enrollments = Enrollment.objects.filter(course=self.course).with_progress().select_related("learner")
        for quiz in self.quizzes:
            attempts = Attempt.objects.filter(learner=OuterRef("learner"), quiz=quiz)
            enrollments = enrollments.annotate(
                **{
                    f"quiz_{quiz.pk}_best": Subquery(attempts.order_by("-score").values("score")[:1]),
                    f"quiz_{quiz.pk}_passed": Exists(attempts.filter(passed=True)),
                }
            )
        return enrollments

    @cached_property
    def columns(self):
        columns = [
            Column("learner", label=_("Learner"), accessor="learner.name", sort_key="learner__name"),
            Column("email", label=_("Email"), accessor="learner.email", sort_key="learner__email"),
            *enrollment_progress_columns(),
        ]
        for quiz in self.quizzes:
            columns.append(
                Column(f"quiz_{quiz.pk}", label=quiz.title, accessor=quiz_result(quiz), sort_key=f"quiz_{quiz.pk}_best")
            )
        return columns

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.course.pk])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.course.pk])

    def get_filename(self):
        return f"course-report-{self.course.slug}"

    def get_page_subtitle(self):
        return self.course.title

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Edit course"), url=reverse("wagtailadmin_pages:edit", args=[self.course.pk]), icon_name="edit"
            )
        ]

    @cached_property
    def verbose_name_plural(self):
        return _("learners")


class CourseReportViewSet(ViewSet):
    """The course report's URLs: `/admin/course-report/<course id>/` (and its results-only twin)."""

    name = "course_report"
    url_prefix = "course-report"
    icon = "table"

    def get_urlpatterns(self):
        return [
            path("<int:course_id>/", CourseReportView.as_view(), name="index"),
            path("<int:course_id>/results/", CourseReportView.as_view(results_only=True), name="index_results"),
        ]


course_report_viewset = CourseReportViewSet()


def course_report_url(course) -> str:
    return reverse(course_report_viewset.get_url_name("index"), args=[course.pk])


def course_header_buttons(page, user) -> list[HeaderButton]:
    """ "Course report" in the header of a course's editor (`courses.admin_views.COURSE_HEADER_BUTTONS`), for those
    who may see it."""
    if not can_see_report(user, page):
        return []
    return [HeaderButton(_("Course report"), url=course_report_url(page), icon_name="table")]
