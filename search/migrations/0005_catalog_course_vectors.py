"""The entries' course vector (`course_search`: the title, summary, description, category and teacher, weights A–C),
kept in the row (storage MAIN) while the whole vector goes to TOAST: the search tells its tiers from it without
reading every match's whole vector. Filled from the whole vector, whose A–C part it is (`search.entries` writes it
so afterwards; `manage.py catalog_entries --check` compares)."""

import django.contrib.postgres.search
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0004_catalog_facets")]

    operations = [
        migrations.AddField(
            model_name="catalogentry",
            name="course_search",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.RunSQL(
            "ALTER TABLE search_catalogentry ALTER COLUMN course_search SET STORAGE MAIN",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            """UPDATE search_catalogentry SET course_search = ts_filter(search, '{a,b,c}')""",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
