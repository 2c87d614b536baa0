"""The catalog's facet counts (`search.models.CatalogFacet`), kept by triggers on the entries' table.

Statement-level triggers with transition tables: each INSERT, UPDATE or DELETE of entries adds its rows' keys with
+1 (new rows) and −1 (old rows), grouped, to the counts, in its own transaction; groups that net to nothing (an
update of a course's popularity) write nothing, so enrollments never wait on these rows. The rows are written in
the order of their keys, so two transactions lock them in the same order. An `INSERT … ON CONFLICT DO UPDATE` fires
the INSERT triggers for the rows it inserted and the UPDATE triggers for those it updated. A TRUNCATE of the
entries empties the counts. The backfill counts the entries there are.
"""

from django.db import migrations, models

KEYS = ("catalog_path", "restricted", "category_id", "level", "language", "teacher_id")


def _changes(table: str, sign: str) -> str:
    """An entries relation's rows as (keys, courses, ratings, points), each counted with `sign`."""
    return (
        f"SELECT left(path, -4) AS catalog_path, restricted, coalesce(category_id, 0) AS category_id, level, language,"
        f" coalesce(teacher_id, 0) AS teacher_id, {sign}1 AS courses, {sign}rating_count AS ratings,"
        f" {sign}coalesce(rating_avg, 0) * rating_count AS points FROM {table}"
    )


def _add(source: str) -> str:
    keys = ", ".join(KEYS)
    return f"""
        INSERT INTO search_catalogfacet ({keys}, courses, ratings, rating_points)
        SELECT {keys}, sum(courses), sum(ratings), sum(points) FROM ({source}) AS change
        GROUP BY {keys} HAVING sum(courses) <> 0 OR sum(ratings) <> 0 OR sum(points) <> 0
        ORDER BY {keys}
        ON CONFLICT ({keys}) DO UPDATE SET
            courses = search_catalogfacet.courses + EXCLUDED.courses,
            ratings = search_catalogfacet.ratings + EXCLUDED.ratings,
            rating_points = search_catalogfacet.rating_points + EXCLUDED.rating_points"""


FUNCTIONS = f"""
CREATE FUNCTION search_catalogfacet_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_add(_changes("new_entries", "+"))};
    ELSIF TG_OP = 'DELETE' THEN
        {_add(_changes("old_entries", "-"))};
    ELSE
        {_add(_changes("new_entries", "+") + " UNION ALL " + _changes("old_entries", "-"))};
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION search_catalogfacet_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM search_catalogfacet;
    RETURN NULL;
END $$;

CREATE TRIGGER catalog_facets_insert AFTER INSERT ON search_catalogentry
    REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION search_catalogfacet_count();
CREATE TRIGGER catalog_facets_update AFTER UPDATE ON search_catalogentry
    REFERENCING OLD TABLE AS old_entries NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION search_catalogfacet_count();
CREATE TRIGGER catalog_facets_delete AFTER DELETE ON search_catalogentry
    REFERENCING OLD TABLE AS old_entries FOR EACH STATEMENT EXECUTE FUNCTION search_catalogfacet_count();
CREATE TRIGGER catalog_facets_truncate AFTER TRUNCATE ON search_catalogentry
    FOR EACH STATEMENT EXECUTE FUNCTION search_catalogfacet_clear();

{_add(_changes("search_catalogentry", "+"))};
"""

DROP_FUNCTIONS = """
DROP TRIGGER catalog_facets_insert ON search_catalogentry;
DROP TRIGGER catalog_facets_update ON search_catalogentry;
DROP TRIGGER catalog_facets_delete ON search_catalogentry;
DROP TRIGGER catalog_facets_truncate ON search_catalogentry;
DROP FUNCTION search_catalogfacet_count();
DROP FUNCTION search_catalogfacet_clear();
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0003_catalog_entries_narrow_heap")]

    operations = [
        migrations.CreateModel(
            name="CatalogFacet",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("catalog_path", models.CharField(max_length=255)),
                ("restricted", models.BooleanField()),
                ("category_id", models.BigIntegerField()),
                ("level", models.CharField(max_length=16)),
                ("language", models.CharField(max_length=8)),
                ("teacher_id", models.BigIntegerField()),
                ("courses", models.IntegerField()),
                ("ratings", models.BigIntegerField()),
                ("rating_points", models.DecimalField(decimal_places=2, max_digits=20)),
            ],
            options={"verbose_name": "catalog facet count", "verbose_name_plural": "catalog facet counts"},
        ),
        migrations.AddConstraint(
            model_name="catalogfacet",
            constraint=models.UniqueConstraint(fields=KEYS, name="catalog_facet_key"),
        ),
        migrations.AddIndex(
            model_name="catalogentry",
            index=models.Index(
                condition=models.Q(("restricted", True)),
                fields=["path"],
                name="catalog_restricted",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.RunSQL(FUNCTIONS, reverse_sql=DROP_FUNCTIONS),
    ]
