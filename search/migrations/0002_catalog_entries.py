"""The catalog's read model (search/models.py), filled from the pages that exist (search.entries.rebuild); the
search hits' own cache generation goes (search/cache.py).

The backfill runs today's code of `search.entries` (`refresh`, which `manage.py catalog_entries --rebuild` runs
too): a database this migration meets holds the tables that code reads (a new database has no course yet, and
reads none). The facet counts that later migrations add are counted by their own migration (0004).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


def backfill(apps, schema_editor):
    from search.entries import refresh

    refresh(apps.get_model("courses", "CoursePage").objects.filter(live=True).values_list("pk", flat=True))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_site_pages"),
        ("search", "0001_catalog_generation_sequences"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogEntry",
            fields=[
                (
                    "course",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="courses.coursepage",
                        verbose_name="course",
                    ),
                ),
                ("path", models.CharField(max_length=255)),
                ("restricted", models.BooleanField(default=False)),
                ("title", models.CharField(max_length=255)),
                ("level", models.CharField(max_length=16)),
                ("language", models.CharField(max_length=8)),
                ("created_at", models.DateTimeField()),
                ("rating_avg", models.DecimalField(decimal_places=2, max_digits=3, null=True)),
                ("rating_count", models.PositiveIntegerField(default=0)),
                ("popularity", models.PositiveIntegerField(default=0)),
                ("search", django.contrib.postgres.search.SearchVectorField(null=True)),
                (
                    "category",
                    models.ForeignKey(
                        null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="courses.category"
                    ),
                ),
                (
                    "teacher",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "catalog entry",
                "verbose_name_plural": "catalog entries",
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(fields=["search"], name="catalog_search"),
                    models.Index(fields=["-created_at", "-course"], name="catalog_newest"),
                    models.Index(
                        django.db.models.functions.text.Lower("title"), models.F("course"), name="catalog_title"
                    ),
                    models.Index(fields=["-popularity", "-course"], name="catalog_popular"),
                    models.Index(fields=["-rating_count", "-course"], name="catalog_rated"),
                    models.Index(fields=["level"], name="catalog_level"),
                    models.Index(fields=["language"], name="catalog_language"),
                    models.Index(fields=["rating_avg"], name="catalog_rating"),
                    models.Index(fields=["path"], name="catalog_path", opclasses=["varchar_pattern_ops"]),
                ],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        # Search hits are no longer cached apart from the rest of the catalog: their generation goes.
        migrations.RunSQL(
            "DROP SEQUENCE IF EXISTS search_search_generation",
            reverse_sql="CREATE SEQUENCE IF NOT EXISTS search_search_generation",
        ),
    ]
