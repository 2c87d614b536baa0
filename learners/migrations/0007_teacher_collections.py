"""Each teacher's uploads into a collection of their own (courses.collections), for sites made before.

Until now the Teachers group could add and choose files in the root collection, so every teacher saw
everyone's files. This takes those rights away, lets teachers choose from a "Shared" collection, and
gives each teacher their collection (with their own group) and moves there the files they uploaded
into the root. A fresh database has no teachers and no permissions yet: the portal makes all of this on
first need.
"""

from django.db import migrations
from django.db.models import F

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # django-treebeard's, as Wagtail's collections use it
STEPLEN = 4
FILES = [("wagtailimages", "image"), ("wagtaildocs", "document"), ("wagtailmedia", "media")]


def _step(number: int) -> str:
    digits = ""
    while number:
        number, digit = divmod(number, len(ALPHABET))
        digits = ALPHABET[digit] + digits
    return digits.rjust(STEPLEN, "0")


def _child(Collection, parent, name):
    """The child collection of this name, added at the end of the parent's children if missing."""
    children = Collection.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    if found := children.filter(name=name).first():
        return found
    last = children.order_by("-path").first()
    number = int(last.path[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    child = Collection.objects.create(name=name, path=parent.path + _step(number), depth=parent.depth + 1, numchild=0)
    Collection.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    return child


def forwards(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("learners", "User")

    root = Collection.objects.filter(depth=1).order_by("path").first()
    permissions = {
        (app_label, permission.codename): permission
        for app_label, model in FILES
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename__in=[f"add_{model}", f"choose_{model}"]
        )
    }
    if root is None or not permissions:
        return

    def grant(group, collection, action):
        for app_label, model in FILES:
            if permission := permissions.get((app_label, f"{action}_{model}")):
                GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)

    if teachers := Group.objects.filter(name="Teachers").first():
        GroupCollectionPermission.objects.filter(
            group=teachers, collection=root, permission__in=permissions.values()
        ).delete()
        grant(teachers, _child(Collection, root, "Shared"), "choose")

    for user in User.objects.filter(role="teacher").order_by("pk"):
        group, _created = Group.objects.get_or_create(name=f"Teacher #{user.pk}")
        held = GroupCollectionPermission.objects.filter(
            group=group, permission__codename__in=[f"add_{model}" for _app, model in FILES]
        ).first()
        if held is not None:
            collection = Collection.objects.get(pk=held.collection_id)
        else:
            label = f"{user.name} (#{user.pk})" if user.name else f"#{user.pk}"
            collection = _child(Collection, _child(Collection, root, "Teachers"), label)
            grant(group, collection, "add")
            grant(group, collection, "choose")
        user.groups.add(group)
        for app_label, model in FILES:
            Model = apps.get_model(app_label, model)
            Model.objects.filter(uploaded_by_user=user, collection=root).update(collection=collection)


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0006_normalize_emails"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailmedia", "0005_alter_media_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
