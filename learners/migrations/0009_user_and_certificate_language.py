"""A learner's language (their choice on the site) and a certificate's (the learner's when it was issued).

Existing accounts and certificates get the portal's default language (LANGUAGE_CODE, "en" unless set): the one
their certificates' PDFs were rendered in until now.
"""

import lms.languages
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('learners', '0008_video_progress_and_sync_events'),
    ]

    operations = [
        migrations.AddField(
            model_name='certificate',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('ru', 'Russian')], default=lms.languages.default_language, editable=False, max_length=8, verbose_name='language'),
        ),
        migrations.AddField(
            model_name='user',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('ru', 'Russian')], default=lms.languages.default_language, max_length=8, verbose_name='language'),
        ),
    ]
