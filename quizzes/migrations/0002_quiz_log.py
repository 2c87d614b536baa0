"""The quizzes get a log of their own (see quizzes.models.QuizLogEntry); their entries in Wagtail's shared log
move there."""

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FIELDS = [
    "content_type_id",
    "label",
    "action",
    "data",
    "timestamp",
    "uuid",
    "user_id",
    "revision_id",
    "content_changed",
    "deleted",
    "object_id",
]


def move(apps, source: str, target: str) -> None:
    """Move the quizzes' entries from one log to the other (Wagtail's shared one, or the quizzes' own)."""
    quiz_type = apps.get_model("contenttypes", "ContentType").objects.filter(app_label="quizzes", model="quiz").first()
    if quiz_type is None:
        return
    source_model, target_model = apps.get_model(*source.split(".")), apps.get_model(*target.split("."))
    entries = source_model.objects.filter(content_type=quiz_type)
    target_model.objects.bulk_create(
        target_model(**{field: getattr(entry, field) for field in FIELDS}) for entry in entries.iterator()
    )
    entries.delete()


def to_the_quizzes_log(apps, schema_editor):
    move(apps, "wagtailcore.ModelLogEntry", "quizzes.QuizLogEntry")


def to_the_shared_log(apps, schema_editor):
    move(apps, "quizzes.QuizLogEntry", "wagtailcore.ModelLogEntry")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("quizzes", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="QuizLogEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("label", models.TextField()),
                ("action", models.CharField(blank=True, db_index=True, max_length=255)),
                (
                    "data",
                    models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder),
                ),
                ("timestamp", models.DateTimeField(db_index=True, verbose_name="timestamp (UTC)")),
                (
                    "uuid",
                    models.UUIDField(
                        blank=True,
                        editable=False,
                        help_text="Log entries that happened as part of the same user action are assigned the same UUID",
                        null=True,
                    ),
                ),
                ("content_changed", models.BooleanField(db_index=True, default=False)),
                ("deleted", models.BooleanField(default=False)),
                ("object_id", models.CharField(db_index=True, max_length=255)),
                (
                    "content_type",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="content type",
                    ),
                ),
                (
                    "revision",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="wagtailcore.revision",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "quiz log entry",
                "verbose_name_plural": "quiz log entries",
                "ordering": ["-timestamp", "-id"],
                "abstract": False,
                "indexes": [models.Index(fields=["uuid", "action", "-timestamp"], name="quizzes_qui_uuid_388988_idx")],
            },
        ),
        migrations.RunPython(to_the_quizzes_log, to_the_shared_log),
    ]
