"""Catalog search: one search over courses and their lessons, through Wagtail's search backend.

What matches
    A live course matches when its own fields do (title, summary, description, category name, teacher's
    name: `CoursePage.search_fields`) or when one of its live lessons does (title, body). All the words
    of a query must occur in the same course or in the same lesson.

How results are ordered
    Three searches of the backend: courses, the titles of the courses found, and lessons (the lessons
    found are mapped to their courses by their tree paths in one more query). Courses come in tiers, a title match first, then a match in the course's
    other fields, then a match in its lessons only, so a title always ranks above a lesson body. Within
    a tier, the ranks of the course among course hits and of each of its lessons among lesson hits add
    up by reciprocal rank fusion (1 / (K + rank)). Fusing ranks rather than scores needs no calibration
    between searches whose scores are on different scales (ts_rank of a title alone and of a whole lesson).
    Each search keeps its best `MAX_HITS` results: more than enough for a person, and it bounds the work.

Languages
    modelsearch's database backend builds every tsvector and tsquery with a single text search
    configuration, the backend option `SEARCH_CONFIG` (`WAGTAILSEARCH_BACKENDS["default"]` in
    lms/settings.py); without it PostgreSQL's `default_text_search_config` applies, usually `english`,
    which leaves Russian words unstemmed. The index holds one vector per object, so "an index per
    language" would take a second backend indexing everything again and a second search per query.
    We need none of that: PostgreSQL's built-in `russian` configuration stems Cyrillic words with the
    Russian Snowball stemmer and ASCII words with the English one, each with its stop words
    (`\\dF+ russian`: word → russian_stem, asciiword → english_stem). So a course in either language
    is found by any form of its words, in either language: "программирования" finds
    "Программирование на Python", "running" finds "run".
    Limits: German, French and Spanish words are stemmed as English when spelt in ASCII and not at all
    when they carry diacritics (ü, é, ñ); their exact forms still match. A changed configuration takes
    effect after `manage.py update_index`.
"""

import re
from collections import defaultdict

from django.db.models import BooleanField, F, Func, IntegerField, QuerySet
from wagtail.search.backends import get_search_backend

from courses.models import CoursePage, LessonPage

from .cache import cached

MAX_QUERY_WORDS = 12
MAX_HITS = 1000
FUSION_K = 60  # the usual constant of reciprocal rank fusion: damps the weight of the very first ranks

TITLE, COURSE, LESSON = range(3)  # tiers, best first

_WORD = re.compile(r"[^\W_]+")


def normalize_query(text: str | None) -> str:
    """The words of a visitor's query, without punctuation the backends would read as syntax."""
    return " ".join(_WORD.findall(text or "")[:MAX_QUERY_WORDS])


def ranked_course_ids(query: str) -> list[int]:
    """Ids of the live courses that match `query` (course fields or lessons), most relevant first.

    Kept in the cache until the catalog changes (`search.cache`): a search runs over the whole catalog.
    """
    query = normalize_query(query)
    if not query:
        return []
    return cached("search", (query,), lambda: _rank(query))


def _rank(query: str) -> list[int]:
    backend = get_search_backend()
    courses = CoursePage.objects.live().only("pk")
    course_hits = [course.pk for course in backend.search(query, courses, operator="and")[:MAX_HITS]]
    # A title match is a course match: only the courses found need their titles searched.
    title_hits = {
        course.pk
        for course in backend.search(query, courses.filter(pk__in=course_hits), fields=["title"], operator="and")
    }
    lesson_hits = [  # each found lesson as its course's tree path
        lesson.course_path
        for lesson in backend.search(query, LessonPage.objects.live().only("pk", "path"), operator="and")[:MAX_HITS]
    ]
    course_of = _courses_by_path(set(lesson_hits))

    score: dict[int, float] = defaultdict(float)
    tier: dict[int, int] = {}
    for rank, pk in enumerate(course_hits):
        score[pk] += 1 / (FUSION_K + rank)
        tier[pk] = TITLE if pk in title_hits else COURSE
    for rank, path in enumerate(lesson_hits):
        pk = course_of.get(path)
        if pk is not None:
            score[pk] += 1 / (FUSION_K + rank)
            tier.setdefault(pk, LESSON)
    return sorted(score, key=lambda pk: (tier[pk], -score[pk], -pk))


def _courses_by_path(paths) -> dict[str, int]:
    """{tree path: id} of the live courses at these paths."""
    return dict(CoursePage.objects.live().filter(path__in=paths).values_list("path", "pk")) if paths else {}


class IdIn(Func):
    """`pk IN ids` with the ids as one array parameter (`= ANY(…)`): a search's hundreds of ids need no
    preparing one by one."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, ids: list[int]):
        self.ids = list(ids)
        super().__init__(F("pk"))

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} = ANY(%s::bigint[])", (*params, self.ids)


class RankIn(Func):
    """The position of a row's id in `ids` (0 first; `len(ids)` when it is not there), by `array_position`."""

    output_field = IntegerField()

    def __init__(self, ids: list[int]):
        self.ids = list(ids)
        super().__init__(F("pk"))

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        # array_position counts from 1 and gives NULL when absent.
        sql = f"COALESCE(array_position(%s::bigint[], {column}) - 1, %s)"
        return sql, (self.ids, *params, len(self.ids))


def order_by_rank(queryset: QuerySet, ids: list[int]) -> QuerySet:
    """`queryset` in the order of `ids` (as `search_rank`, 0 first); courses not in `ids` come last."""
    if not ids:
        return queryset.order_by("-pk")
    return queryset.annotate(search_rank=RankIn(ids)).order_by("search_rank", "-pk")
