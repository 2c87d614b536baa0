"""The facet counts rolled up: besides each combination of category, level, language and teacher that occurs, the
counts with any of these left open (`GROUP BY CUBE`; -1 for an open category or teacher, '*' for an open level or
language), so that each facet under the selected filters is an index lookup of the rows that hold exactly that
selection, a few rows whatever the catalog's size or its number of teachers (`search.facets`).

The ratings' sums stay in the finest rows only: a review changes one row, never a shared rollup, so reviews of
different courses do not wait on each other. A course's publication, removal or move changes its rollups too,
in key order as before. The counts are counted afresh from the entries.
"""

from importlib import import_module

from django.db import migrations, models

KEYS = ("catalog_path", "restricted", "category_id", "level", "language", "teacher_id")
DIMENSIONS = {"category_id": "-1", "level": "'*'", "language": "'*'", "teacher_id": "-1"}  # → the open value
FINEST = f"GROUPING({', '.join(DIMENSIONS)}) = 0"


def rolled_up(source: str) -> str:
    """(keys, courses, ratings, points) of a relation of signed rows, rolled up over every subset of the facets."""
    keys = ", ".join(
        [
            "catalog_path",
            "restricted",
            *(
                f"CASE WHEN GROUPING({name}) = 1 THEN {open_value} ELSE {name} END"
                for name, open_value in DIMENSIONS.items()
            ),
        ]
    )
    return f"""
        SELECT {keys}, sum(courses), CASE WHEN {FINEST} THEN sum(ratings) ELSE 0 END,
               CASE WHEN {FINEST} THEN sum(points) ELSE 0 END
        FROM ({source}) AS change
        GROUP BY catalog_path, restricted, CUBE({", ".join(DIMENSIONS)})
        HAVING sum(courses) <> 0 OR ({FINEST} AND (sum(ratings) <> 0 OR sum(points) <> 0))
        ORDER BY 1, 2, 3, 4, 5, 6"""  # noqa: S608 (our own names and SQL only)


def add(source: str) -> str:
    keys = ", ".join(KEYS)
    return f"""
        INSERT INTO search_catalogfacet ({keys}, courses, ratings, rating_points) {rolled_up(source)}
        ON CONFLICT ({keys}) DO UPDATE SET
            courses = search_catalogfacet.courses + EXCLUDED.courses,
            ratings = search_catalogfacet.ratings + EXCLUDED.ratings,
            rating_points = search_catalogfacet.rating_points + EXCLUDED.rating_points"""


def count_function(add, changes) -> str:
    return f"""
CREATE OR REPLACE FUNCTION search_catalogfacet_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {add(changes("new_entries", "+"))};
    ELSIF TG_OP = 'DELETE' THEN
        {add(changes("old_entries", "-"))};
    ELSE
        {add(changes("new_entries", "+") + " UNION ALL " + changes("old_entries", "-"))};
    END IF;
    RETURN NULL;
END $$;
DELETE FROM search_catalogfacet;
{add(changes("search_catalogentry", "+"))};
"""  # noqa: S608 (our own names and SQL only)


_before = import_module("search.migrations.0004_catalog_facets")
FORWARD = count_function(add, _before._changes)
BACKWARD = count_function(_before._add, _before._changes)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_catalog_course_vectors")]

    operations = [
        migrations.RunSQL(FORWARD, reverse_sql=BACKWARD),
        # Each facet's lookup: the other three facets' values, then its own.
        *(
            migrations.AddIndex(
                model_name="catalogfacet",
                index=models.Index(
                    fields=[*(other for other in DIMENSIONS if other != name), name],
                    name=f"catalog_facet_{name.removesuffix('_id')}",
                ),
            )
            for name in DIMENSIONS
        ),
    ]
