"""The search backend (`WAGTAILSEARCH_BACKENDS`, lms/settings.py): PostgreSQL full text, or OpenSearch when
`SEARCH_URL` is set.

Without `SEARCH_URL`, Wagtail's database backend indexes pages, images, documents, media and categories in
PostgreSQL, with the text search configuration `SEARCH_TEXT_CONFIG` (`russian`: Cyrillic words stemmed as Russian,
Latin ones as English, see search/catalog.py).

With `SEARCH_URL` (one or more comma-separated `https://user:password@host:9200` URLs), Wagtail's
OpenSearch/Elasticsearch backend (`SEARCH_BACKEND`: `opensearch3` by default, whose client requirements.txt
pins; `opensearch2`, `elasticsearch7`, `elasticsearch8` or `elasticsearch9` with the matching client installed)
serves the admin's searches and `manage.py update_index`. Its indexes analyse text as PostgreSQL's `russian`
configuration does: the `default` analyzer, which every full-text field of Wagtail's mappings uses, drops Russian
and English stop words and stems a Cyrillic word with the Russian Snowball stemmer and a Latin one with the English
Snowball stemmer (`porter2`, PostgreSQL's `english_stem`); each stemmer leaves the other alphabet's words alone.

The public catalog's search stays on PostgreSQL either way: it searches the catalog's read model
(`search.CatalogEntry`), whose vector is written in the transaction that changes a course and whose matches are
filtered by who may see them, counted for the facets and ordered in the same statement (search/catalog.py). So
`SEARCH_CONFIG` stays in the backend's entry for it (`search.entries.search_config`); the OpenSearch backend
ignores it.
"""

from django.core.exceptions import ImproperlyConfigured

from lms.env import env, env_int, env_list

ENGINES = ("opensearch3", "opensearch2", "elasticsearch9", "elasticsearch8", "elasticsearch7")

# Index settings merged into Wagtail's own (which define its autocomplete's n-gram analyzers).
ANALYSIS = {
    "filter": {
        "russian_stop": {"type": "stop", "stopwords": "_russian_"},
        "russian_stemmer": {"type": "stemmer", "language": "russian"},
        "english_stop": {"type": "stop", "stopwords": "_english_"},
        "english_stemmer": {"type": "stemmer", "language": "porter2"},
    },
    "analyzer": {
        "default": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["lowercase", "russian_stop", "english_stop", "russian_stemmer", "english_stemmer"],
        },
    },
}


def search_backends() -> dict:
    """`WAGTAILSEARCH_BACKENDS` as the environment asks for it."""
    text_config = env("SEARCH_TEXT_CONFIG", "russian")
    urls = env_list("SEARCH_URL")
    if not urls:
        return {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": text_config}}
    engine = env("SEARCH_BACKEND", ENGINES[0])
    if engine not in ENGINES:
        raise ImproperlyConfigured(f"SEARCH_BACKEND must be one of {', '.join(ENGINES)}.")
    return {
        "default": {
            "BACKEND": f"wagtail.search.backends.{engine}",
            "URLS": urls,
            "INDEX_PREFIX": env("SEARCH_INDEX_PREFIX", "lms_"),
            "TIMEOUT": env_int("SEARCH_TIMEOUT", 5),
            "INDEX_SETTINGS": {"settings": {"analysis": ANALYSIS}},
            "SEARCH_CONFIG": text_config,
        }
    }
