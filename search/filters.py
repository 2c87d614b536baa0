"""Catalog filters for `GET courses/` and the site's catalog (django-filter): unknown values are a 400, never a 500.

`search` keeps the courses that match (see `search.catalog`); the other filters combine with it and with
each other. `ordering` defaults to relevance when searching and to the newest first otherwise.

"Most popular" counts learners, whose records this app does not know: the app that keeps them contributes
the count through the Wagtail hook `POPULARITY_HOOK` (learners' `wagtail_hooks`).
"""

import django_filters
from django import forms
from django.db import models
from django.db.models import F, FloatField, IntegerField, Sum, Value
from django.db.models.functions import Cast, Coalesce, Lower
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from wagtail import hooks

from courses.models import Category, CoursePage, Language, Level

from .catalog import IdIn, normalize_query, order_by_rank, ranked_course_ids

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
        IntegerFilter(field_name="owner_id", min_value=1, max_value=MAX_ID, help_text=_("The teacher's user id."))
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
        model = CoursePage
        fields = ["search", "category", "level", "language", "teacher", "min_rating", "ordering"]

    @cached_property
    def search_ids(self) -> list[int] | None:
        """Ids of the live courses that match `search`, most relevant first; None when not searching."""
        query = normalize_query(self.form.cleaned_data.get("search"))
        return ranked_course_ids(query) if query else None

    @property
    def searching(self) -> bool:
        return bool(normalize_query(self.form.cleaned_data.get("search")))

    def filter_search(self, queryset, name, value):
        return queryset if self.search_ids is None else queryset.filter(IdIn(self.search_ids))

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
            return order_by_rank(queryset, self.search_ids)
        if ordering == Ordering.TITLE:
            return queryset.order_by(Lower("title"), "pk")
        if ordering == Ordering.RATING:
            return with_bayesian_rating(queryset).order_by("-rating_score", "-rating_count", "-pk")
        if ordering == Ordering.POPULARITY:
            return with_popularity(queryset).order_by("-popularity", "-pk")
        return queryset.order_by("-created_at", "-pk")


def rating_prior() -> float:
    """The rating a course without reviews is assumed to have: the catalog's mean, shrunk towards 3★."""
    totals = CoursePage.objects.live().aggregate(
        points=Sum(Cast("rating_avg", FloatField()) * F("rating_count"), output_field=FloatField()),
        ratings=Sum("rating_count"),
    )
    points, ratings = totals["points"] or 0.0, totals["ratings"] or 0
    return (points + PRIOR_WEIGHT * SCALE_MIDPOINT) / (ratings + PRIOR_WEIGHT)


def with_bayesian_rating(queryset, prior: float | None = None):
    """Annotate `rating_score`: (count × average + m × prior) / (count + m), with m = PRIOR_WEIGHT."""
    prior = rating_prior() if prior is None else prior
    average = Coalesce(Cast("rating_avg", FloatField()), Value(0.0))
    return queryset.annotate(
        rating_score=(F("rating_count") * average + Value(PRIOR_WEIGHT * prior))
        / (F("rating_count") + Value(float(PRIOR_WEIGHT)))
    )


POPULARITY_HOOK = "catalog_popularity"


def with_popularity(queryset):
    """Annotate `popularity`: the number of learners enrolled in the course now (who have not left it), as the
    expression that the `POPULARITY_HOOK` function returns (0 for every course when no app contributes one)."""
    contributed = [expression() for expression in hooks.get_hooks(POPULARITY_HOOK)]
    return queryset.annotate(popularity=contributed[0] if contributed else Value(0, output_field=IntegerField()))
