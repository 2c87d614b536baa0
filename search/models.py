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
from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from courses.models import Category, with_card_data
from courses.visibility import visible_q

# The most courses of a search's tier that are ranked (`CatalogEntryQuerySet.keys`); a larger tier comes newest first.
RANKED_MATCHES = 1000
# The search's order (`search.catalog.matching` annotates these): the tier (0 title, 1 the course's other fields,
# 2 its lessons only), the rank within the tier, the newest course first.
RELEVANCE = ("search_tier", "-search_rank", "-pk")


def rows_of(alias: str, sql: str, params, *, through_indexes: bool) -> list[tuple]:
    """The rows of a statement of the catalog on the database `alias`; `through_indexes` for a search's.

    PostgreSQL does not count, in a sequential scan's cost, reading each row's whole vector (`search`) from TOAST, so
    for a word that most courses contain it reads every row and every whole vector rather than the GIN index's
    answer (about ten times slower, and growing with the catalog). The search's statements that match the whole
    vector run with sequential scans off: `SET LOCAL` and the statement go as one message (psycopg2 sends its
    parameters inline), which PostgreSQL runs as one implicit transaction, so the setting ends with the statement and
    costs no round trip. Inside a transaction (a test's) it lasts until that transaction ends; it changes only plans.
    """
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SET LOCAL enable_seqscan = off; {sql}" if through_indexes else sql, params)
        return cursor.fetchall()


def _ids(entries, through_indexes: bool) -> list[int]:
    try:
        sql, params = entries.values_list("pk", flat=True).query.sql_with_params()
    except EmptyResultSet:
        return []
    return [pk for (pk,) in rows_of(entries.db, sql, params, through_indexes=through_indexes)]


def _count(entries, through_indexes: bool) -> int:
    try:
        sql, params = entries.values("pk").query.sql_with_params()
    except EmptyResultSet:
        return 0
    return rows_of(entries.db, f"SELECT count(*) FROM ({sql}) AS tier", params, through_indexes=through_indexes)[0][0]  # noqa: S608


def _slice(tier, start: int, stop: int | None, through_indexes: bool, *, many: bool) -> tuple[list[int], int | None]:
    """The ids of a slice of a search's tier in its order, and the tier's size when that was learnt on the way.

    `many` (the search found more than `RANKED_MATCHES` courses): first the tier's newest `RANKED_MATCHES` + 1
    courses, which for a tier most courses are in is a walk of the primary key's index that stops early (not the GIN
    index's answer for every match). No more than `RANKED_MATCHES`: the tier is ranked, and its size known. More: it
    comes newest first, and those are its head.
    """
    if many:
        newest = tier.order_by("-pk")
        head = _ids(newest[: RANKED_MATCHES + 1], through_indexes)
        if len(head) > RANKED_MATCHES:
            if stop is not None and stop <= len(head):
                return head[start:stop], None
            return _ids(newest[start:stop], through_indexes), None
        if start >= len(head):
            return [], len(head)
        return _ids(tier[start:stop], through_indexes), len(head)
    return _ids(tier[start:stop], through_indexes), None


class CatalogEntryQuerySet(models.QuerySet):
    search_words = None  # the query of `search.catalog.matching`, kept by every copy of the queryset

    def _clone(self):
        clone = super()._clone()
        clone.search_words = self.search_words
        return clone

    def keys(self, index: slice, total: int | None = None):
        """The ids of a slice of the ordered entries (`total` of them, if known): a subquery, or, in the search's
        order, a list.

        In the search's order a slice is taken tier by tier, from a tier only what remains of it after the tiers
        before: a page of title matches reads no other course, and the whole vectors (in TOAST) are read only for the
        courses found by their lessons alone, only when a page reaches them. When no more than `RANKED_MATCHES`
        courses match (`total` tells), the course's own fields (title and other fields) are one ranked query and the
        lessons another. Past that, each of the three tiers is ranked only if it holds no more than `RANKED_MATCHES`
        courses, else taken newest first on the primary key's index, which stops at the slice's end instead of ranking
        every match (`_slice`): a word that so many courses contain says little about any of them (its inverse
        document frequency is near zero, and a ranking by it is noise).
        """
        words = self.search_words
        if words is None or tuple(self.query.order_by) != RELEVANCE:
            return models.Subquery(self.values("pk")[index])
        many = total is not None and total > RANKED_MATCHES
        in_course, in_lessons = self.filter(course_search=words), self.exclude(course_search=words)
        if many:
            tiers = [self.filter(title_search=words), in_course.exclude(title_search=words), in_lessons]
        else:
            tiers = [in_course, in_lessons]
        start, stop = index.start or 0, index.stop
        keys, passed = [], 0
        for tier in tiers:
            if stop is not None and start >= stop:
                break
            whole_vectors = tier is in_lessons  # matched on `search`: through the GIN index (`rows_of`)
            found, size = _slice(tier, start, stop, whole_vectors, many=many)
            keys += found
            if stop is not None and start + len(found) >= stop:
                break
            if found:
                size = start + len(found)  # the tier ended within the slice
            elif size is None:
                size = _count(tier.order_by(), whole_vectors)
            passed += size
            if total is not None and passed >= total:
                break
            start, stop = max(start - size, 0), None if stop is None else stop - size
        return keys

    def under(self, page):
        """The entries of courses below a page (the catalog page their pages are children of)."""
        return self.filter(path__startswith=page.path)

    def visible_to(self, user, session=None):
        """The entries of the courses the user (with this site session) may see (`courses.visibility`): an entry
        without a restriction on its way passes without the rule's subquery."""
        rule = visible_q(user, session)
        return self.filter(models.Q(restricted=False) | rule) if rule else self


class Cards:
    """The courses of an ordered queryset of entries, as a sequence that a paginator slices: a slice orders and limits
    the entries alone (on their indexes: `CatalogEntryQuerySet.keys`) and joins only the page's courses in, with what
    their cards show; ordering after joining every course would cost a join per course of the catalog. `total`, when
    the entries were counted already (with the facets), spares counting them again."""

    ordered = True

    def __init__(self, entries, cover_spec: str, total: int | None = None):
        self.entries = entries
        self.cover_spec = cover_spec
        self.total = total

    def count(self) -> int:
        return self.entries.count() if self.total is None else self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        keys = self.entries.keys(index, total=self.total)
        page = with_card_data(self.entries.filter(pk__in=keys), self.cover_spec, course="course")
        if isinstance(keys, list):  # the search's order as `keys` took it, tier by tier
            page = sorted(page.order_by(), key=lambda entry: keys.index(entry.pk))
        return [entry.course for entry in page]


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
    # The same without the lessons (A–C), and the title alone (A): kept in the row (storage MAIN, while `search` goes
    # to TOAST), for the search's tiers.
    course_search = SearchVectorField(null=True)
    title_search = SearchVectorField(null=True)

    objects = CatalogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalog entry")
        verbose_name_plural = _("catalog entries")
        indexes = [
            GinIndex(fields=["search"], name="catalog_search"),
            # A match in the course's own words (the search's first tiers) without reading the whole vector.
            GinIndex(fields=["course_search"], name="catalog_course_search"),
            # A title match (the first tier) without reading the courses whose other fields hold the word.
            GinIndex(fields=["title_search"], name="catalog_title_search"),
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
            # The ratings' sums (`search.filters.rating_prior`) from the few rows that hold any, read from the index.
            models.Index(
                fields=["catalog_path"],
                include=["ratings", "rating_points"],
                condition=models.Q(ratings__gt=0),
                name="catalog_facet_rated",
            ),
        ]

    def __str__(self):
        return f"{self.catalog_path}: {self.courses}"
