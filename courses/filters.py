"""Catalog filters for `GET courses/` (django-filter): unknown values are a 400, never a 500."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Category, CoursePage, Language, Level


class CourseFilter(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(
        field_name="category", to_field_name="slug", queryset=Category.objects.all(), help_text=_("Category slug.")
    )
    level = django_filters.ChoiceFilter(choices=Level.choices)
    language = django_filters.ChoiceFilter(choices=Language.choices)
    teacher = django_filters.NumberFilter(field_name="owner_id", help_text=_("The teacher's user id."))
    min_rating = django_filters.NumberFilter(field_name="rating_avg", lookup_expr="gte", min_value=0, max_value=5)
    ordering = django_filters.OrderingFilter(
        fields=(("title", "title"), ("created_at", "created"), ("rating_avg", "rating")),
        help_text=_("One of title, -created, -rating."),
    )

    class Meta:
        model = CoursePage
        fields = ["category", "level", "language", "teacher", "min_rating"]
