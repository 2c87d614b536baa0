"""Editors' texts in each language (courses/translation.py): a column per language for the categories' names and
descriptions and the home page's and catalog's intros, with a new heading for both pages.

What is there moves into the English columns, on the pages and in their revisions (which the editor opens and
publishes from), so that a database migrated from before keeps every text it had.
"""

import wagtail.fields
from django.db import migrations, models
from django.db.models import F

PAGES = {"homepage": ("intro",), "courseindexpage": ("intro",)}


def into_english(apps, schema_editor):
    Category = apps.get_model("courses", "Category")
    Category.objects.update(name_en=F("name"), description_en=F("description"))
    for model, fields in PAGES.items():
        apps.get_model("courses", model).objects.update(**{f"{field}_en": F(field) for field in fields})
    Revision = apps.get_model("wagtailcore", "Revision")
    revisions = Revision.objects.filter(content_type__app_label="courses", content_type__model__in=list(PAGES))
    for revision in revisions.select_related("content_type").iterator():
        content = revision.content
        for field in PAGES[revision.content_type.model]:
            if content.get(f"{field}_en") is None:
                content[f"{field}_en"] = content.get(field, "")
        revision.save(update_fields=["content"])


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0003_lesson_require_watching'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.AddField(
            model_name='category',
            name='description_en',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='category',
            name='description_ru',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='category',
            name='name_en',
            field=models.CharField(max_length=100, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='category',
            name='name_ru',
            field=models.CharField(max_length=100, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='courseindexpage',
            name='heading',
            field=models.CharField(blank=True, help_text="The page's main heading, as visitors see it. Empty: the page's title.", max_length=255, verbose_name='heading'),
        ),
        migrations.AddField(
            model_name='courseindexpage',
            name='heading_en',
            field=models.CharField(blank=True, help_text="The page's main heading, as visitors see it. Empty: the page's title.", max_length=255, null=True, verbose_name='heading'),
        ),
        migrations.AddField(
            model_name='courseindexpage',
            name='heading_ru',
            field=models.CharField(blank=True, help_text="The page's main heading, as visitors see it. Empty: the page's title.", max_length=255, null=True, verbose_name='heading'),
        ),
        migrations.AddField(
            model_name='courseindexpage',
            name='intro_en',
            field=wagtail.fields.RichTextField(blank=True, null=True, verbose_name='intro'),
        ),
        migrations.AddField(
            model_name='courseindexpage',
            name='intro_ru',
            field=wagtail.fields.RichTextField(blank=True, null=True, verbose_name='intro'),
        ),
        migrations.AddField(
            model_name='homepage',
            name='heading',
            field=models.CharField(blank=True, help_text="The page's main heading, as visitors see it. Empty: the page's title.", max_length=255, verbose_name='heading'),
        ),
        migrations.AddField(
            model_name='homepage',
            name='heading_en',
            field=models.CharField(blank=True, help_text="The page's main heading, as visitors see it. Empty: the page's title.", max_length=255, null=True, verbose_name='heading'),
        ),
        migrations.AddField(
            model_name='homepage',
            name='heading_ru',
            field=models.CharField(blank=True, help_text="The page's main heading, as visitors see it. Empty: the page's title.", max_length=255, null=True, verbose_name='heading'),
        ),
        migrations.AddField(
            model_name='homepage',
            name='intro_en',
            field=wagtail.fields.RichTextField(blank=True, null=True, verbose_name='intro'),
        ),
        migrations.AddField(
            model_name='homepage',
            name='intro_ru',
            field=wagtail.fields.RichTextField(blank=True, null=True, verbose_name='intro'),
        ),
        migrations.RunPython(into_english, migrations.RunPython.noop),
    ]
