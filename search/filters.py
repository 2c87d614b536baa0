"""Catalog filters for `GET courses/` and the site's catalog (django-filter): unknown values are a 400, never a 500.

They filter and order the catalog's read model (`search.models.CatalogEntry`): every filter and ordering is a
column of it, with its index. `search` keeps the courses that match (see `search.catalog`); the other filters
combine with it and with each other. `ordering` defaults to relevance when searching and to the newest first
otherwise.
"""

import django_filters
from django import forms
from django.db import models
from django.db.models import F, FloatField, Sum, Value
from django.db.models.functions import Cast, Coalesce, Lower
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from courses.models import Category, Language, Level

from .catalog import matching, normalize_query
from .models import RELEVANCE, CatalogEntry, CatalogFacet

MAX_ID = 2**63 - 1  # larger ids are a 400 rather than an overflow in the database driver
MAX_QUERY_LENGTH = 200

# "Best rated" is a Bayesian average: a course's ratings plus PRIOR_WEIGHT imaginary ratings at the
# catalog's mean, so that one 5★ review does not outrank two hundred averaging 4.8. The catalog's mean is
# itself pulled towards the middle of the scale by PRIOR_WEIGHT ratings, so that a young catalog whose
# few reviews are all glowing does not give every course a 5★ prior.
PRIOR_WEIGHT = 10
SCALE_MIDPOINT = 3.0


class Ordering(models.TextChoices):
    RELEVANCE = "relevance", _("Best match")
    NEWEST = "-created", _("Newest")
    TITLE = "title", _("Title")
    RATING = "-rating", _("Best rated")
    POPULARITY = "-popularity", _("Most popular")


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class CourseFilter(django_filters.FilterSet):
    """The catalog's search, filters and ordering, as the API and the site take them from a query string."""

    search = django_filters.CharFilter(
        method="filter_search",
        max_length=MAX_QUERY_LENGTH,
        help_text=_("Words to find in the courses' titles, descriptions, categories, teachers and lessons."),
    )
    category = django_filters.ModelChoiceFilter(
        field_name="category", to_field_name="slug", queryset=Category.objects.all(), help_text=_("Category slug.")
    )
    level = django_filters.ChoiceFilter(choices=Level.choices)
    language = django_filters.ChoiceFilter(choices=Language.choices)
    teacher = extend_schema_field({"type": "integer", "description": "The teacher's user id."})(
        IntegerFilter(field_name="teacher_id", min_value=1, max_value=MAX_ID, help_text=_("The teacher's user id."))
    )
    min_rating = django_filters.NumberFilter(field_name="rating_avg", lookup_expr="gte", min_value=0, max_value=5)
    ordering = django_filters.ChoiceFilter(
        choices=Ordering.choices,
        method="ordered_later",
        help_text=_(
            "relevance (the default when searching), title, -created (newest first, the default otherwise), "
            "-rating (best rated: a Bayesian average) or -popularity (most learners enrolled now)."
        ),
        error_messages={
            "invalid_choice": _(
                "Unknown ordering “%(value)s”: use one of relevance, title, -created, -rating, -popularity."
            )
        },
    )

    class Meta:
        model = CatalogEntry
        fields = ["search", "category", "level", "language", "teacher", "min_rating", "ordering"]

    @cached_property
    def query(self) -> str:
        """The words searched for ("" when not searching)."""
        return normalize_query(self.form.cleaned_data.get("search"))

    @property
    def searching(self) -> bool:
        return bool(self.query)

    def filter_search(self, queryset, name, value):
        return matching(queryset, self.query) if self.query else queryset

    def ordered_later(self, queryset, name, value):
        return queryset  # see `sort`: ordering comes after every filter, and has a default

    def filter_queryset(self, queryset):
        return self.sort(super().filter_queryset(queryset))

    @property
    def current_ordering(self) -> str:
        """The ordering asked for, or the default: relevance when searching, else the newest first."""
        chosen = self.form.cleaned_data.get("ordering")
        if chosen == Ordering.RELEVANCE or not chosen:
            return Ordering.RELEVANCE if self.searching else Ordering.NEWEST
        return chosen

    def sort(self, queryset):
        ordering = self.current_ordering
        if ordering == Ordering.RELEVANCE:
            return queryset.order_by(*RELEVANCE)
        if ordering == Ordering.TITLE:
            return queryset.order_by(Lower("title"), "pk")
        if ordering == Ordering.RATING:
            return with_bayesian_rating(queryset).order_by("-rating_score", "-rating_count", "-pk")
        if ordering == Ordering.POPULARITY:
            return queryset.order_by("-popularity", "-pk")
        return queryset.order_by("-created_at", "-pk")


def rating_prior() -> float:
    """The rating a course without reviews is assumed to have: the catalog's mean, shrunk towards 3★ (summed from
    the catalog's facet counts, whose finest rows hold the ratings' sums, rather than from every entry: only the rows
    that hold any, which their partial index `catalog_facet_rated` lists)."""
    totals = CatalogFacet.objects.filter(ratings__gt=0).aggregate(points=Sum("rating_points"), ratings=Sum("ratings"))
    points, ratings = float(totals["points"] or 0), totals["ratings"] or 0
    return (points + PRIOR_WEIGHT * SCALE_MIDPOINT) / (ratings + PRIOR_WEIGHT)


def with_bayesian_rating(queryset, prior: float | None = None):
    """Annotate `rating_score`: (count × average + m × prior) / (count + m), with m = PRIOR_WEIGHT."""
    prior = rating_prior() if prior is None else prior
    average = Coalesce(Cast("rating_avg", FloatField()), Value(0.0))
    return queryset.annotate(
        rating_score=(F("rating_count") * average + Value(PRIOR_WEIGHT * prior))
        / (F("rating_count") + Value(float(PRIOR_WEIGHT)))
    )
