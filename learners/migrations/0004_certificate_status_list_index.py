"""Status list indices for certificates (their bit in the revocation status list): random, unique, and
given to every certificate issued before this migration; 0005 then makes the index required and unique."""

import random

import django.utils.timezone
from django.db import migrations, models

STATUS_LIST_BLOCK = 131_072  # as in learners.models: the smallest Bitstring Status List (16 KB)


def give_indices(apps, schema_editor):
    Certificate = apps.get_model("learners", "Certificate")
    certificates = list(Certificate.objects.filter(status_list_index__isnull=True).order_by("pk").only("pk"))
    size = STATUS_LIST_BLOCK * (1 + 2 * len(certificates) // STATUS_LIST_BLOCK)
    indices = random.SystemRandom().sample(range(size), len(certificates))
    for certificate, index in zip(certificates, indices, strict=True):
        certificate.status_list_index = index
    Certificate.objects.bulk_update(certificates, ["status_list_index"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("learners", "0003_certificates_and_reviews"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="status_list_index",
            field=models.PositiveIntegerField(editable=False, null=True, verbose_name="status list index"),
        ),
        migrations.CreateModel(
            name="RetiredStatusIndex",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("index", models.PositiveIntegerField(unique=True, verbose_name="status list index")),
                (
                    "retired_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="retired"),
                ),
            ],
            options={
                "verbose_name": "retired status list index",
                "verbose_name_plural": "retired status list indices",
            },
        ),
        migrations.RunPython(give_indices, migrations.RunPython.noop),
    ]
