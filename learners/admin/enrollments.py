"""The enrollments listing: who takes which course, how far they got, and whether they left."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, StatusFlagColumn
from wagtail.admin.views import generic

from ..models import Enrollment
from .listing import ExportMixin, LearnerFilterSet, RecordViewSet, date_range


class EnrollmentFilterSet(LearnerFilterSet):
    STATES = [("active", _("Active")), ("left", _("Left")), ("completed", _("Completed"))]

    state = django_filters.ChoiceFilter(
        label=_("State"), choices=STATES, method="filter_state", widget=forms.RadioSelect, empty_label=_("All")
    )
    enrolled_at = date_range(_("Enrolled"))
    completed_at = date_range(_("Completed"))

    def filter_state(self, queryset, name, value):
        return queryset.in_state(value)

    class Meta:
        model = Enrollment
        fields = []


def enrollment_state(enrollment) -> str:
    return str(_("Active") if enrollment.left_at is None else _("Left"))


def enrollment_progress_columns() -> list:
    """The columns an enrollment shows in every listing: when it began, how far it got, and whether it is active."""
    return [
        DateColumn("enrolled_at", label=_("Enrolled"), sort_key="enrolled_at"),
        Column("progress", label=_("Progress (%)"), accessor="progress_percent", sort_key="progress_percent"),
        DateColumn("last_activity_at", label=_("Last activity"), sort_key="last_activity_at"),
        DateColumn("completed_at", label=_("Completed"), sort_key="completed_at"),
        StatusFlagColumn(
            "state",
            label=_("State"),
            accessor=lambda e: e.left_at is None,
            true_label=_("Active"),
            false_label=_("Left"),
        ),
    ]


class EnrollmentIndexView(ExportMixin, generic.IndexView):
    export_values = {"state": enrollment_state}

    def get_base_queryset(self):
        # Progress in two correlated subqueries, the learner joined: the same queries for any number of rows.
        return Enrollment.objects.with_progress().select_related("learner")


class EnrollmentViewSet(RecordViewSet):
    model = Enrollment
    icon = "group"
    menu_label = _("Enrollments")
    index_view_class = EnrollmentIndexView
    filterset_class = EnrollmentFilterSet
    search_fields = ["learner__name", "learner__email", "course_title"]
    ordering = "-enrolled_at"
    list_display = [
        "learner__name",
        Column("email", label=_("Email"), accessor="learner.email"),
        Column("course_title", label=_("Course"), sort_key="course_title"),
        *enrollment_progress_columns(),
    ]
    list_export = [
        "learner.name",
        "learner.email",
        "course_title",
        "enrolled_at",
        "progress_percent",
        "lesson_done",
        "lesson_total",
        "last_activity_at",
        "completed_at",
        "state",
    ]
    export_headings = {
        "learner.name": _("Learner"),
        "learner.email": _("Email"),
        "course_title": _("Course"),
        "enrolled_at": _("Enrolled"),
        "progress_percent": _("Progress (%)"),
        "lesson_done": _("Lessons done"),
        "lesson_total": _("Lessons"),
        "last_activity_at": _("Last activity"),
        "completed_at": _("Completed"),
        "state": _("State"),
    }
    export_filename = "enrollments"


enrollment_viewset = EnrollmentViewSet("enrollments")
