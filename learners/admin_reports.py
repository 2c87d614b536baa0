"""Reports in the Wagtail admin: a course's learners (for its teacher and admins) and the admins'
dashboard panels. Each costs a few aggregate queries, whatever the number of rows."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import HeaderButton

from courses.models import CoursePage
from quizzes.models import Attempt, Quiz

from .admin_views import ExportMixin, enrollment_progress_columns, enrollment_state, review_viewset
from .models import Enrollment, Review, User

# --- the course report ----------------------------------------------------------------------------------


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
        self.quizzes = list(
            Quiz.objects.filter(
                lesson__live=True, lesson__path__startswith=self.course.path, lesson__depth=self.course.depth + 1
            ).order_by("lesson__path")
        )
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


# --- dashboard panels -------------------------------------------------------------------------------------


def weekly_activity(*, weeks: int = 8, now: datetime | None = None) -> list[dict]:
    """Sign-ups, enrollments and completions per week (Monday to Sunday), oldest first: three queries."""
    today = timezone.localdate(now or timezone.now())
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    start = timezone.make_aware(datetime.combine(first, time.min))

    def per_week(queryset, field) -> dict:
        rows = (
            queryset.filter(**{f"{field}__gte": start})
            .order_by()
            .annotate(week=TruncWeek(field))
            .values("week")
            .annotate(n=Count("pk"))
        )
        return {timezone.localtime(row["week"]).date(): row["n"] for row in rows}

    counts = {
        "signups": per_week(User.objects.all(), "date_joined"),
        "enrollments": per_week(Enrollment.objects.all(), "enrolled_at"),
        "completions": per_week(Enrollment.objects.all(), "completed_at"),
    }
    return [
        {"week": week, **{kind: by_week.get(week, 0) for kind, by_week in counts.items()}}
        for week in (first + timedelta(weeks=n) for n in range(weeks))
    ]


class ActivityPanel(Component):
    """Sign-ups, enrollments and completions over the last eight weeks."""

    name = "learning_activity"
    template_name = "learners/admin/panels/activity.html"
    order = 90

    def get_context_data(self, parent_context):
        weeks = weekly_activity()
        peak = max([1, *(week[kind] for week in weeks for kind in ("signups", "enrollments", "completions"))])
        totals = {kind: sum(week[kind] for week in weeks) for kind in ("signups", "enrollments", "completions")}
        return {"weeks": weeks, "peak": peak, "totals": totals}


class ReviewsPanel(Component):
    """The newest visible reviews, for moderation."""

    name = "reviews_to_moderate"
    template_name = "learners/admin/panels/reviews.html"
    order = 95
    limit = 5

    def get_context_data(self, parent_context):
        visible = Review.objects.filter(is_hidden=False)
        week_ago = timezone.now() - timedelta(days=7)
        return {
            "reviews": list(visible.select_related("learner", "course").order_by("-created_at", "-pk")[: self.limit]),
            "this_week": visible.filter(created_at__gte=week_ago).count(),
            "index_url": reverse(review_viewset.get_url_name("index")),
            "inspect_url_name": review_viewset.get_url_name("inspect"),
        }


class PopularCoursesPanel(Component):
    """The courses with the most active enrollments, with links to their reports."""

    name = "popular_courses"
    template_name = "learners/admin/panels/popular_courses.html"
    order = 96
    limit = 5

    def get_context_data(self, parent_context):
        courses = list(
            CoursePage.objects.annotate(
                active=Count("enrollments", filter=Q(enrollments__left_at__isnull=True)),
                completed=Count("enrollments", filter=Q(enrollments__completed_at__isnull=False)),
            )
            .filter(active__gt=0)
            .order_by("-active", "title")[: self.limit]
        )
        for course in courses:
            course.report_url = course_report_url(course)
        return {"courses": courses}


def dashboard_panels() -> list[Component]:
    return [ActivityPanel(), ReviewsPanel(), PopularCoursesPanel()]
