from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("learners", "0004_certificate_status_list_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="status_list_index",
            field=models.PositiveIntegerField(editable=False, unique=True, verbose_name="status list index"),
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(
                condition=models.Q(("revoked_at__isnull", False)),
                fields=["status_list_index"],
                name="certificate_revoked",
            ),
        ),
    ]
