"""The catalog's generations (search/cache.py): two PostgreSQL sequences that every process reads."""

from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.RunSQL(
            sql=[
                "CREATE SEQUENCE IF NOT EXISTS search_catalog_generation",
                "CREATE SEQUENCE IF NOT EXISTS search_search_generation",
            ],
            reverse_sql=[
                "DROP SEQUENCE IF EXISTS search_catalog_generation",
                "DROP SEQUENCE IF EXISTS search_search_generation",
            ],
        ),
    ]
