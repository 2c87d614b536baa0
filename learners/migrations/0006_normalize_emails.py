"""Stores every email address in the one normalised form (NFKC, case-folded) that logins look up exactly.

Addresses were stored lower-cased; those that differ in their new form are rewritten. Two accounts that the
new form makes one address (`ſtudent@…` next to `student@…`) cannot both keep it: the migration stops and
names them, for an administrator to change or remove one before migrating again.
"""

import unicodedata

from django.db import migrations


def normalize_email(email):
    # Frozen copy of learners.models.normalize_email at the time of this migration.
    folded = unicodedata.normalize("NFKC", (email or "").strip()).casefold()
    return unicodedata.normalize("NFKC", folded)


def normalize_emails(apps, schema_editor):
    User = apps.get_model("learners", "User")
    emails = dict(User.objects.values_list("pk", "email"))
    owners = {}
    for email in emails.values():
        owners.setdefault(normalize_email(email), []).append(email)
    clashes = sorted(sorted(spellings) for spellings in owners.values() if len(spellings) > 1)
    if clashes:
        raise RuntimeError(
            "These accounts' email addresses are one address once normalised; change or delete all but one of "
            f"each group, then migrate again: {clashes}"
        )
    for pk, email in emails.items():
        if normalize_email(email) != email:
            User.objects.filter(pk=pk).update(email=normalize_email(email))


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0005_certificate_status_list_index_required"),
    ]

    operations = [
        migrations.RunPython(normalize_emails, migrations.RunPython.noop, elidable=True),
    ]
