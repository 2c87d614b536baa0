"""The catalog's read model: one narrow row per live course, what the catalog filters, orders and searches by.

The catalog list (API and site), its facet counts and its search read only this table; a page of cards is one
query of it, ordered and limited on its indexes, with the page's courses joined in (`Cards`). `search.entries`
keeps the rows in step with the pages, in the transaction that changed them, and says how each field is derived.
`CatalogFacet` counts the entries by their facets' values, for the catalog's facets without a search, whatever its
size.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from courses.models import Category, with_card_data
from courses.visibility import visible_q


class CatalogEntryQuerySet(models.QuerySet):
    def under(self, page):
        """The entries of courses below a page (the catalog page their pages are children of)."""
        return self.filter(path__startswith=page.path)

    def visible_to(self, user, session=None):
        """The entries of the courses the user (with this site session) may see (`courses.visibility`): an entry
        without a restriction on its way passes without the rule's subquery."""
        rule = visible_q(user, session)
        return self.filter(models.Q(restricted=False) | rule) if rule else self


class Cards:
    """The courses of an ordered queryset of entries, as a sequence that a paginator slices: a slice is one query,
    which orders and limits the entries alone (on their indexes) and joins only the page's courses in, with what
    their cards show; ordering after joining every course would cost a join per course of the catalog."""

    ordered = True

    def __init__(self, entries, cover_spec: str):
        self.entries = entries
        self.cover_spec = cover_spec

    def count(self) -> int:
        return self.entries.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        page = self.entries.filter(pk__in=models.Subquery(self.entries.values("pk")[index]))
        return [entry.course for entry in with_card_data(page, self.cover_spec, course="course")]


class CatalogEntry(models.Model):
    course = models.OneToOneField(
        "courses.CoursePage", primary_key=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )
    # The course's tree path, and whether a view restriction applies to it (on it or on an ancestor): most
    # courses have none, so most rows pass `courses.visibility` without its subquery.
    path = models.CharField(max_length=255)
    restricted = models.BooleanField(default=False)
    title = models.CharField(max_length=255)
    category = models.ForeignKey(Category, null=True, on_delete=models.SET_NULL, related_name="+")
    level = models.CharField(max_length=16)
    language = models.CharField(max_length=8)
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    rating_avg = models.DecimalField(max_digits=3, decimal_places=2, null=True)
    rating_count = models.PositiveIntegerField(default=0)
    popularity = models.PositiveIntegerField(default=0)  # learners enrolled now
    # Title (A), summary (B), description, category and teacher (C), the live lessons' titles and bodies (D).
    search = SearchVectorField(null=True)
    # The same without the lessons (A–C): kept in the row (storage MAIN, while `search` goes to TOAST), for the
    # search's tiers.
    course_search = SearchVectorField(null=True)

    objects = CatalogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalog entry")
        verbose_name_plural = _("catalog entries")
        indexes = [
            GinIndex(fields=["search"], name="catalog_search"),
            models.Index(fields=["-created_at", "-course"], name="catalog_newest"),
            models.Index(Lower("title"), "course", name="catalog_title"),
            models.Index(fields=["-popularity", "-course"], name="catalog_popular"),
            models.Index(fields=["-rating_count", "-course"], name="catalog_rated"),
            models.Index(fields=["level"], name="catalog_level"),
            models.Index(fields=["language"], name="catalog_language"),
            models.Index(fields=["rating_avg"], name="catalog_rating"),
            models.Index(fields=["path"], name="catalog_path", opclasses=["varchar_pattern_ops"]),
            # The few restricted entries, which the facets count one by one (`search.facets`).
            models.Index(
                fields=["path"],
                name="catalog_restricted",
                opclasses=["varchar_pattern_ops"],
                condition=models.Q(restricted=True),
            ),
        ]

    def __str__(self):
        return self.title


class CatalogFacetQuerySet(models.QuerySet):
    def under(self, page):
        """The counts of the courses that are children of a page (a catalog page), none without one."""
        return self.filter(catalog_path=page.path) if page else self.none()


class CatalogFacet(models.Model):
    """How many entries of a catalog have one combination of the facets' values, and their ratings' sums; and the
    same rolled up, with any of the facets left open (-1 for a category or teacher, '*' for a level or language:
    `OPEN`), the ratings' sums only in the finest rows (search/migrations/0006_catalog_facet_rollups.py).

    A database trigger on the entries' table keeps these rows (search/migrations/0004_catalog_facets.py): every
    write of an entry, whoever makes it (the services, a cascade, a bulk update, the shell), changes them in the
    same statement's transaction, and a change that moves no count (an enrollment's popularity) writes nothing
    here. The facet counts of a catalog without a search read these few rows instead of every entry
    (`search.facets`), and "best rated" its mean rating (`search.filters.rating_prior`). A row whose courses went
    elsewhere stays, at 0; `search.entries.differences` compares the rows with the entries.
    """

    catalog_path = models.CharField(max_length=255)  # the catalog page's path: the entries' parent
    restricted = models.BooleanField()
    category_id = models.BigIntegerField()  # 0: no category
    level = models.CharField(max_length=16)
    language = models.CharField(max_length=8)
    teacher_id = models.BigIntegerField()  # 0: no teacher
    courses = models.IntegerField()
    ratings = models.BigIntegerField()  # the sum of the entries' rating counts
    rating_points = models.DecimalField(max_digits=20, decimal_places=2)  # the sum of count × average

    objects = CatalogFacetQuerySet.as_manager()

    OPEN = {"category_id": -1, "level": "*", "language": "*", "teacher_id": -1}  # a facet left open

    class Meta:
        verbose_name = _("catalog facet count")
        verbose_name_plural = _("catalog facet counts")
        constraints = [
            models.UniqueConstraint(
                fields=["catalog_path", "restricted", "category_id", "level", "language", "teacher_id"],
                name="catalog_facet_key",
            )
        ]
        # A facet's lookup (`search.facets`): the other facets' values, then its own.
        indexes = [
            models.Index(fields=["level", "language", "teacher_id", "category_id"], name="catalog_facet_category"),
            models.Index(fields=["category_id", "language", "teacher_id", "level"], name="catalog_facet_level"),
            models.Index(fields=["category_id", "level", "teacher_id", "language"], name="catalog_facet_language"),
            models.Index(fields=["category_id", "level", "language", "teacher_id"], name="catalog_facet_teacher"),
        ]

    def __str__(self):
        return f"{self.catalog_path}: {self.courses}"
