"""What the record listings (enrollments, quiz attempts, certificates, reviews) and the course report share:
filters by course, learner and date, spreadsheet cells, and a viewset for records nobody adds by hand."""

from collections import OrderedDict

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.coreutils import multigetattr

from courses.models import CoursePage
from lms.admin_scope import ScopedViewSetMixin


def course_choices(request):
    return CoursePage.objects.order_by("title")


def date_range(label):
    return django_filters.DateFromToRangeFilter(label=label, widget=DateRangePickerWidget)


class LearnerFilterSet(WagtailFilterSet):
    """Filters by course and by learner (part of a name or an email address)."""

    course = django_filters.ModelChoiceFilter(label=_("Course"), queryset=course_choices)
    learner = django_filters.CharFilter(label=_("Learner"), method="filter_learner", help_text=_("Name or email"))

    def filter_learner(self, queryset, name, value):
        return queryset.filter(Q(learner__name__icontains=value) | Q(learner__email__icontains=value))


class ExportMixin:
    """Spreadsheet cells by attribute path, or by a function of the row where a path does not say it."""

    export_values = {}

    def to_row_dict(self, item):
        return OrderedDict(
            (field, self.export_values[field](item) if field in self.export_values else multigetattr(item, field))
            for field in self.list_export
        )


class RecordViewSet(ScopedViewSetMixin, ModelViewSet):
    """A listing of records the portal makes. Their permission policy refuses adding and editing them,
    so Wagtail's add and edit views turn everyone away; they are given an empty form all the same."""

    add_to_reference_index = False
    copy_view_enabled = False
    form_fields = []
