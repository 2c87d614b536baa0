"""The entries' title vector (`title_search`: the title's words, weight A, as `search.entries` writes them), kept in
the row (storage MAIN) with a GIN index of its own: the search's first tier (a title match) is then what the index
answers, without reading every course whose other fields hold the word. Filled from the entries' titles, which are
their courses' live titles (`manage.py catalog_entries --check` compares)."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations


def fill(apps, schema_editor):
    from search.entries import search_config

    schema_editor.execute(
        "UPDATE search_catalogentry SET title_search = setweight(to_tsvector(%s::regconfig, coalesce(title, '')), 'A')",
        [search_config()],
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0007_course_search_index")]

    operations = [
        migrations.AddField(
            model_name="catalogentry",
            name="title_search",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.RunSQL(
            "ALTER TABLE search_catalogentry ALTER COLUMN title_search SET STORAGE MAIN",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="catalogentry",
            index=django.contrib.postgres.indexes.GinIndex(fields=["title_search"], name="catalog_title_search"),
        ),
    ]
