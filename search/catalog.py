"""Catalog search: one search over the catalog's read model, answered by PostgreSQL from its GIN index.

What matches
    A live course matches when all the words of the query occur in its entry's vector (`search.entries`): its
    title, summary, description, category name and teacher's name, and its live lessons' titles and bodies. A
    lesson's words lead to its course. The match (`@@`) is what the GIN index on the vector answers, whatever
    the catalog's size; the work after it is proportional to the courses found, not to the catalog.

How results are ordered
    In tiers, a title match first, then a match in the course's own fields, then a match in its lessons only
    (told from the entry's `title_search` and `course_search`, the title's words and the course's own, weights A
    and A–C, which stay in the row), so a title always ranks above a lesson body. Within a tier, by `ts_rank` (the
    weights count a title word more than a summary's), over the course's own words in the first two tiers and over
    the whole vector in the third, then the newest course first; a tier of more than `RANKED_MATCHES` courses comes
    newest first, unranked (`search.models`). A page is taken tier by tier (`CatalogEntryQuerySet.keys`): the
    lessons' words, which PostgreSQL reads from TOAST, are read only for the courses found by their lessons alone,
    and only when a page reaches them, so a word that most courses carry in their lessons costs a page of title
    matches nothing more.

Languages
    The vector and the query use one text search configuration, the search backend's `SEARCH_CONFIG`
    (`WAGTAILSEARCH_BACKENDS["default"]` in lms/settings.py, `russian`), as Wagtail's own index (the admin's
    search) does. PostgreSQL's built-in `russian` configuration stems Cyrillic words with the Russian Snowball
    stemmer and ASCII words with the English one, each with its stop words (`\\dF+ russian`: word →
    russian_stem, asciiword → english_stem). So a course in either language is found by any form of its
    words, in either language: "программирования" finds "Программирование на Python", "running" finds "run".
    Limits: German, French and Spanish words are stemmed as English when spelt in ASCII and not at all when
    they carry diacritics (ü, é, ñ); their exact forms still match. A changed configuration takes effect after
    `manage.py update_index` (which rebuilds the catalog's entries too).
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from .entries import search_config

MAX_QUERY_WORDS = 12

TITLE, COURSE, LESSON = range(3)  # tiers, best first

_WORD = re.compile(r"[^\W_]+")


def normalize_query(text: str | None) -> str:
    """The words of a visitor's query, without punctuation the backends would read as syntax."""
    return " ".join(_WORD.findall(text or "")[:MAX_QUERY_WORDS])


def matching(entries: QuerySet, query: str) -> QuerySet:
    """The entries whose courses match `query` (words, as `normalize_query` leaves them), annotated with
    `search_tier` (0 title, 1 other course fields, 2 lessons only) and `search_rank`; order with `RELEVANCE`
    (`CatalogEntryQuerySet.keys` then takes a page tier by tier)."""
    words = SearchQuery(query, config=search_config(), search_type="plain")
    # The course's own words are in both vectors, its title's in all three; asking the smaller first spares reading
    # the larger (the whole vector is in TOAST).
    in_course = Q(course_search=words)
    tier = Case(
        When(Q(title_search=words), then=Value(TITLE)),
        When(in_course, then=Value(COURSE)),
        default=Value(LESSON),
        output_field=IntegerField(),
    )
    rank = Case(
        When(in_course, then=SearchRank(F("course_search"), words)),
        default=SearchRank(F("search"), words),
    )
    matches = entries.filter(in_course | Q(search=words)).annotate(search_tier=tier, search_rank=rank)
    matches.search_words = words
    return matches
