"""Keep the catalog's read model (`search.models.CatalogEntry`) in step with the courses, and check that it is.

A live course has one entry; a draft, a deleted course and a course moved out of the tree have none. Every
field is derived here, from the course's page and the rows it points to, in `_rows`:

- the filter and order columns copy the course's (`category`, `level`, `language`, `owner` as `teacher`,
  `created_at`, `rating_avg`, `rating_count`), `title` its live title, `path` its tree path;
- `restricted`: a view restriction on the course or an ancestor (`courses.visibility` then decides per visitor);
- `popularity`: learners enrolled now, as the app that keeps them counts it (the Wagtail hook
  `POPULARITY_HOOK`: learners' `enrolled_now`);
- `search`: one weighted vector in the search's text configuration (the backend's `SEARCH_CONFIG`, `russian`:
  Russian and English word forms), title A, summary B, description, category and teacher's name C, the live
  lessons' titles and bodies D (their text as Wagtail indexes it, `get_searchable_content`); `course_search` the
  same vector without the lessons (A–C) and `title_search` the title's part (A), small enough to stay in the row,
  so that telling a title match from a lesson match does not read the whole vector from TOAST (`search.catalog`).

The facet counts (`search.models.CatalogFacet`) follow the entries by themselves: triggers on the entries' table
count every write (search/migrations/0004_catalog_facets.py, rolled up since 0006); `_FACET_COUNTS` is what they
must add up to.

Who calls what, in the transaction of the change (so a card never shows what a filter does not):
`search.signal_handlers` refreshes the courses a saved, deleted or moved page, a view restriction, a renamed or
deleted category or teacher concerns, and the counts after a rating's bulk update; learners' signal handlers
refresh the counts after every change of an enrollment (`refresh_counts`). `manage.py catalog_entries` rebuilds
all (`--rebuild`, also run by `update_index`) or lists the differences (`--check`).
"""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, IntegerField, OuterRef, Value
from django.db.models.lookups import StartsWith
from wagtail import hooks
from wagtail.models import COMMENTS_RELATION_NAME, Page, PageViewRestriction

from courses.models import CoursePage, LessonPage
from lms.rows import update_rows

from .models import CatalogEntry, CatalogFacet

POPULARITY_HOOK = "catalog_popularity"
BATCH = 1000
# What Wagtail saves of a page on its own (`update_fields`) to keep its books: a draft's revision, a lock, comments.
# No entry copies these, so a save of them alone leaves the entry as it is (`signal_handlers.page_changed`).
BOOKKEEPING = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        COMMENTS_RELATION_NAME,
    }
)

# The columns `_rows` derives, in the order of `_VALUES` (the vector's four texts come last).
_COLUMNS = (
    ("course_id", "bigint"),
    ("path", "text"),
    ("restricted", "boolean"),
    ("title", "text"),
    ("category_id", "bigint"),
    ("level", "text"),
    ("language", "text"),
    ("teacher_id", "bigint"),
    ("created_at", "timestamptz"),
    ("rating_avg", "numeric"),
    ("rating_count", "integer"),
    ("popularity", "integer"),
)
_TEXTS = ("text_a", "text_b", "text_c", "text_d")
_VALUES = ", ".join(f"%s::{kind}[]" for _, kind in _COLUMNS) + ", " + ", ".join("%s::text[]" for _ in _TEXTS)
_WEIGHED = {
    text: f"setweight(to_tsvector(%s::regconfig, coalesce(v.{text}, '')), '{weight}')"
    for text, weight in zip(_TEXTS, "ABCD", strict=True)
}
# Each part once: the title (A), the course's other words (B–C), the lessons' (D). `title_search` is the first,
# `course_search` the first two, `search` all three.
_VECTORS = (
    f"LATERAL (SELECT {_WEIGHED['text_a']} AS title, {_WEIGHED['text_b']} || {_WEIGHED['text_c']} AS fields, "
    f"{_WEIGHED['text_d']} AS lessons) AS w"
)
_STORED_VECTORS = {
    "title_search": "w.title",
    "course_search": "w.title || w.fields",
    "search": "w.title || w.fields || w.lessons",
}


# What the facet counts must hold: the entries grouped by catalog and facet values, and rolled up over every subset
# of the facets (an open facet: `CatalogFacet.OPEN`), the ratings' sums in the finest rows, as the triggers count.
_FACET_KEYS = "catalog_path, restricted, category_id, level, language, teacher_id"
_FINEST = f"GROUPING({', '.join(CatalogFacet.OPEN)}) = 0"
_OPENED = ", ".join(
    f"CASE WHEN GROUPING({name}) = 1 THEN {value!r} ELSE {name} END AS {name}"
    for name, value in CatalogFacet.OPEN.items()
)
_FACET_COUNTS = f"""
    SELECT catalog_path, restricted, {_OPENED}, count(*) AS courses,
           CASE WHEN {_FINEST} THEN sum(rating_count) ELSE 0 END AS ratings,
           (CASE WHEN {_FINEST} THEN sum(coalesce(rating_avg, 0) * rating_count) ELSE 0 END)::numeric(20, 2)
               AS rating_points
    FROM (
        SELECT left(path, -4) AS catalog_path, restricted, coalesce(category_id, 0) AS category_id, level, language,
               coalesce(teacher_id, 0) AS teacher_id, rating_count, rating_avg
        FROM {CatalogEntry._meta.db_table}
    ) AS entry
    GROUP BY catalog_path, restricted, CUBE({", ".join(CatalogFacet.OPEN)})"""  # noqa: S608 (our names only)


def search_config() -> str:
    return settings.WAGTAILSEARCH_BACKENDS["default"].get("SEARCH_CONFIG", "russian")


def popularity():
    """The number of learners enrolled in a course now, as an expression over courses (0 when no app counts)."""
    contributed = [expression() for expression in hooks.get_hooks(POPULARITY_HOOK)]
    return contributed[0] if contributed else Value(0, output_field=IntegerField())


def _restricted():
    return Exists(PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path"))))


def _rows(course_ids: Iterable[int]) -> list[dict]:
    """What the entries of these courses hold (live courses only): two queries, whatever their number."""
    courses = list(
        CoursePage.objects.live()
        .filter(pk__in=list(course_ids))
        .select_related("category", "owner")
        .annotate(popularity=popularity(), restricted=_restricted())
        .order_by("pk")
    )
    if not courses:
        return []
    body = LessonPage._meta.get_field("body")
    lessons = defaultdict(list)
    for lesson in (
        LessonPage.objects.live()
        .of_courses(CoursePage.objects.filter(pk__in=[course.pk for course in courses]))
        .only("path", "title", "body")
        .order_by("path")
    ):
        lessons[lesson.course_path] += [lesson.title, *map(str, body.get_searchable_content(lesson.body))]
    description = CoursePage._meta.get_field("description")
    return [
        {
            "course_id": course.pk,
            "path": course.path,
            "restricted": course.restricted,
            "title": course.title,
            "category_id": course.category_id,
            "level": course.level,
            "language": course.language,
            "teacher_id": course.owner_id,
            "created_at": course.created_at,
            "rating_avg": course.rating_avg,
            "rating_count": course.rating_count,
            "popularity": course.popularity,
            "text_a": course.title,
            "text_b": course.summary,
            "text_c": " ".join(
                [
                    *map(str, description.get_searchable_content(course.description)),
                    course.category.all_names if course.category else "",  # in every language
                    course.owner.name if course.owner else "",
                ]
            ),
            "text_d": " ".join(lessons[course.path]),
        }
        for course in courses
    ]


def _unnest(rows: list[dict]) -> tuple[str, list]:
    """`unnest(…) AS v(…), LATERAL (…) AS w`: the rows as a relation, one array parameter per column, with their
    vectors (`w.course`, `w.lessons`)."""
    names = [*(name for name, _ in _COLUMNS), *_TEXTS]
    params = [[row[name] for row in rows] for name in names]
    return f"unnest({_VALUES}) AS v({', '.join(names)}) CROSS JOIN {_VECTORS}", [*params, *[search_config()] * 4]


def refresh(course_ids: Iterable[int]) -> None:
    """Make the entries of these courses what their pages say now: written, rewritten or removed."""
    course_ids = sorted(set(course_ids))
    for start in range(0, len(course_ids), BATCH):
        batch = course_ids[start : start + BATCH]
        _write(_rows(batch), batch)


def _write(rows: list[dict], course_ids: list[int]) -> None:
    table = CatalogEntry._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        live = [row["course_id"] for row in rows]
        cursor.execute(
            f"DELETE FROM {table} WHERE course_id = ANY(%s::bigint[]) AND NOT course_id = ANY(%s::bigint[])",  # noqa: S608
            [course_ids, live],
        )
        if not rows:
            return
        relation, params = _unnest(rows)
        names = [*(name for name, _ in _COLUMNS), *_STORED_VECTORS]
        values = [*(f"v.{name}" for name, _ in _COLUMNS), *_STORED_VECTORS.values()]
        updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in names[1:])
        sql = (
            f"INSERT INTO {table} ({', '.join(names)}) "  # noqa: S608 (our names; every value is a parameter)
            f"SELECT {', '.join(values)} FROM {relation} "
            f"ON CONFLICT (course_id) DO UPDATE SET {updates}"
        )
        cursor.execute(sql, params)


def refresh_counts(course_ids: Iterable[int]) -> None:
    """Bring the popularity and ratings of these courses' entries up to date (after an enrollment or a rating
    changed). The entries are locked first, so that of two changes at once the later one counts the earlier."""
    course_ids = sorted(set(course_ids))
    if not course_ids:
        return
    with transaction.atomic():
        locked = list(
            CatalogEntry.objects.select_for_update().filter(course_id__in=course_ids).values_list("pk", flat=True)
        )
        if not locked:
            return
        counts = CoursePage.objects.filter(pk__in=locked).annotate(popularity=popularity())
        for pk, enrolled, average, ratings in counts.values_list("pk", "popularity", "rating_avg", "rating_count"):
            update_rows(
                CatalogEntry.objects.filter(pk=pk), popularity=enrolled, rating_avg=average, rating_count=ratings
            )


def courses_below(page: Page) -> list[int]:
    """Ids of the courses that are, or lie below, a page."""
    return list(CoursePage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


def courses_of(page: Page) -> list[int]:
    """Ids of the course a course or lesson page is, or belongs to (none for other pages), read from the page's
    own path: a course being deleted still names itself, after its lessons (whose deletion refreshed it), so
    that its entry goes last."""
    kind = page.specific_class
    if kind is not None and issubclass(kind, CoursePage):
        return [page.pk]
    if kind is not None and issubclass(kind, LessonPage):
        return list(CoursePage.objects.ancestor_of(page).values_list("pk", flat=True))
    return []


def rebuild() -> int:
    """Every entry again, from the pages (backfill, `manage.py catalog_entries --rebuild`); the number of entries."""
    live = list(CoursePage.objects.live().order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        CatalogEntry.objects.exclude(pk__in=live).delete()
        refresh(live)
        # The triggers kept the counts; counting afresh also mends counts written while they were off.
        CatalogFacet.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {CatalogFacet._meta.db_table} ({_FACET_KEYS}, courses, ratings, rating_points) "
                f"{_FACET_COUNTS}"
            )
    return len(live)


def differences() -> list[str]:
    """How the entries differ from what the pages say: one line per course, none when they agree."""
    table = CatalogEntry._meta.db_table
    live = list(CoursePage.objects.live().order_by("pk").values_list("pk", flat=True))
    stored = set(CatalogEntry.objects.values_list("pk", flat=True))
    found = [f"course {pk}: no entry" for pk in sorted(set(live) - stored)]
    found += [f"course {pk}: an entry but not live" for pk in sorted(stored - set(live))]
    compared = ", ".join(
        [
            *(f"e.{name} IS DISTINCT FROM v.{name} AS {name}" for name, _ in _COLUMNS[1:]),
            *(f"e.{name} IS DISTINCT FROM {value} AS {name}" for name, value in _STORED_VECTORS.items()),
        ]
    )
    for start in range(0, len(live), BATCH):
        rows = _rows(live[start : start + BATCH])
        if not rows:
            continue
        relation, params = _unnest(rows)
        sql = f"SELECT e.course_id, {compared} FROM {relation} JOIN {table} e ON e.course_id = v.course_id"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [column.name for column in cursor.description][1:]
            for pk, *unequal in cursor.fetchall():
                fields = [name for name, differs in zip(names, unequal, strict=True) if differs]
                if fields:
                    found.append(f"course {pk}: {', '.join(fields)} differ")
    return found + _facet_differences()


def _facet_differences() -> list[str]:
    """The facet counts that differ from the entries' (a count of 0 is no count)."""
    stored = (
        f"SELECT {_FACET_KEYS}, courses, ratings, rating_points FROM {CatalogFacet._meta.db_table} "  # noqa: S608
        "WHERE courses <> 0 OR ratings <> 0 OR rating_points <> 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 'counted', * FROM ({stored} EXCEPT {_FACET_COUNTS}) AS surplus "  # noqa: S608
            f"UNION ALL SELECT 'entries', * FROM ({_FACET_COUNTS} EXCEPT {stored}) AS missing ORDER BY 2, 3, 4, 5, 6, 7, 1"
        )
        names = [column.name for column in cursor.description][1:]
        return [
            f"facet counts of {where}: " + ", ".join(f"{name} {value}" for name, value in zip(names, row, strict=True))
            for where, *row in cursor.fetchall()
        ]
