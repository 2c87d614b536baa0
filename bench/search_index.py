"""The search index of the seeded catalog, built in bulk and checked against modelsearch's own.

Wagtail's `update_index` loads every page through the ORM and pages through them with OFFSET, which is
quadratic in the catalog's size. Instead the seeder stages the texts each page contributes (`index_shape`,
`index_row`: modelsearch's `ObjectIndexer`, walked here), `build_index` turns them into the same weighted
tsvectors in one INSERT … SELECT, and `verify_index` re-indexes a sample through modelsearch itself and
compares.
"""

from django.db import connection


def index_shape(model) -> list[tuple[str, str, tuple[str, ...]]]:
    """How an object of `model` feeds the index: `(bucket, weight, path)` in modelsearch's order.

    `bucket` is `title`, `body` or `autocomplete`; `path` names the value, e.g. `("category", "name")`
    for a `RelatedFields`. Mirrors `modelsearch.backends.database.postgres.ObjectIndexer`.
    """
    from modelsearch.backends.database.postgres.weights import get_weight
    from modelsearch.index import AutocompleteField, RelatedFields, SearchField

    shape = []

    def walk(search_field, prefix):
        if isinstance(search_field, SearchField):
            bucket = "title" if search_field.field_name == "title" else "body"
            shape.append((bucket, get_weight(search_field.boost), (*prefix, search_field.field_name)))
        elif isinstance(search_field, AutocompleteField):
            shape.append(("autocomplete", "D", (*prefix, search_field.field_name)))
        elif isinstance(search_field, RelatedFields):
            for sub_field in search_field.fields:
                walk(sub_field, (*prefix, search_field.field_name))

    for search_field in model.get_search_fields():
        walk(search_field, ())
    return shape


def index_row(content_type_id: int, object_id: int, shape, values: dict) -> tuple:
    """One staging row: the texts and weights of each bucket, in order, and the plain texts.

    `values` maps a path (see `index_shape`) to its text; a missing path is a related object that is
    None, which modelsearch skips.
    """
    buckets = {"title": ([], []), "body": ([], []), "autocomplete": ([], [])}
    for bucket, weight, path in shape:
        if path not in values:
            continue
        text = values[path].strip()
        if text:
            buckets[bucket][0].append(text)
            buckets[bucket][1].append(weight)
    return (
        content_type_id,
        str(object_id),
        buckets["title"][0],
        buckets["title"][1],
        buckets["body"][0],
        buckets["body"][1],
        buckets["autocomplete"][0],
        " ".join(buckets["title"][0]),
        " ".join(buckets["body"][0]),
    )


INDEX_STAGE_COLUMNS = [
    "content_type_id",
    "object_id",
    "title_texts",
    "title_weights",
    "body_texts",
    "body_weights",
    "auto_texts",
    "title_text",
    "body_text",
]


def build_index(cursor, config: str, autocomplete_config: str) -> None:
    """Turn the staged texts into the index table's weighted tsvectors, then set the title norms.

    The GIN indexes are dropped and made again after the load: building them once is much faster than
    updating them row by row.
    """
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = 'wagtailsearch_indexentry' AND indexdef ILIKE '%% USING gin %%'"
    )
    gin_indexes = cursor.fetchall()
    for name, _definition in gin_indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    # Concatenates tsvectors in order, as `a || b || c` in modelsearch's SQL (an empty vector is neutral).
    cursor.execute(
        "CREATE OR REPLACE AGGREGATE bench_tsvector_agg(tsvector) "
        "(SFUNC = pg_catalog.tsvector_concat, STYPE = tsvector, INITCOND = '')"
    )

    def vector(texts: str, weights: str | None, config_param: str) -> str:
        weight = 'w::"char"' if weights else "'D'::\"char\""
        arrays = f"s.{texts}, s.{weights}" if weights else f"s.{texts}"
        columns = "t, w, i" if weights else "t, i"
        return (
            f"COALESCE((SELECT bench_tsvector_agg(setweight(to_tsvector({config_param}::regconfig, t), {weight}) "  # noqa: S608
            f"ORDER BY i) FROM unnest({arrays}) WITH ORDINALITY AS u({columns})), ''::tsvector)"
        )

    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    cursor.execute(
        f"""
        INSERT INTO wagtailsearch_indexentry
            (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
        SELECT s.content_type_id, s.object_id,
               {vector("title_texts", "title_weights", "%(config)s")},
               {vector("auto_texts", None, "%(autocomplete)s")},
               {vector("body_texts", "body_weights", "%(config)s")},
               1.0, s.title_text, s.body_text
        FROM bench_index_stage AS s
        ON CONFLICT (content_type_id, object_id) DO NOTHING
        """,  # noqa: S608 (no outside input)
        {"config": config, "autocomplete": autocomplete_config},
    )
    for _name, definition in gin_indexes:
        cursor.execute(definition)
    # modelsearch's `_refresh_title_norms(full=True)`: the average title length over each one's.
    cursor.execute(
        """
        UPDATE wagtailsearch_indexentry SET title_norm = avg_length / length(title)
        FROM (SELECT AVG(length(title)) AS avg_length FROM wagtailsearch_indexentry WHERE length(title) > 0) AS a
        WHERE length(title) > 0
        """
    )


def verify_index(course_ids: list[int], lesson_ids: list[int]) -> None:
    """Re-index a sample through modelsearch itself and check that the bulk path wrote the same entries."""
    from wagtail.search.backends import get_search_backend

    from courses.models import CoursePage, LessonPage

    backend = get_search_backend()
    query = (
        "SELECT content_type_id, object_id, title::text, autocomplete::text, body::text, title_text, body_text "
        "FROM wagtailsearch_indexentry WHERE object_id = ANY(%s) ORDER BY content_type_id, object_id"
    )
    object_ids = [str(pk) for pk in (*course_ids, *lesson_ids)]
    with connection.cursor() as cursor:
        cursor.execute(query, [object_ids])
        bulk = cursor.fetchall()
        for model, pks in ((CoursePage, course_ids), (LessonPage, lesson_ids)):
            backend.add_bulk(model, list(model.get_indexed_objects().filter(pk__in=pks)))
        cursor.execute(query, [object_ids])
        reference = cursor.fetchall()
    if len(bulk) != len(object_ids) or bulk != reference:
        differences = [(mine, theirs) for mine, theirs in zip(bulk, reference, strict=False) if mine != theirs]
        raise RuntimeError(
            f"The bulk search index differs from modelsearch's for {len(differences) or 'some'} of "
            f"{len(object_ids)} sampled objects; first: {differences[:1]}"
        )
