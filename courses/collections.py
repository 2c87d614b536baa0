"""Where uploads live: a collection of each teacher's own, and a shared one.

Wagtail scopes images, documents and videos by collection: its choosers, listings and edit views show a
user the files of the collections their groups hold rights on (`GroupCollectionPermission`, inherited by
sub-collections). So the portal's collection tree says who sees what:

- "Shared" (under the root): what the admins offer every teacher. The Teachers group may choose from it.
- "Teachers › <name> (#id)": one per teacher, made on first need with a group of that teacher's own
  ("Teacher #<id>") that may add to it and choose from it. Whatever a teacher uploads, in the admin or
  through the API, lands there: it is the only collection they may add to. Wagtail lets them change and
  delete their own uploads there.
- The root and anything else: the admins' alone.

The teacher's group is found by its name, which holds the user's id; their collection is the one that
group may add to, so admins may rename or move it freely.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import Collection, GroupCollectionPermission

SHARED = "Shared"
TEACHERS = "Teachers"
# The Wagtail models kept in collections, as (app label, model name) of their permissions.
FILE_MODELS = [("wagtailimages", "image"), ("wagtaildocs", "document"), ("wagtailmedia", "media")]


def file_permissions(*actions: str):
    """Django's permissions for these actions ("add", "choose", ...) on images, documents and media."""
    wanted = Q()
    for app_label, model in FILE_MODELS:
        wanted |= Q(content_type__app_label=app_label, codename__in=[f"{action}_{model}" for action in actions])
    return Permission.objects.filter(wanted)


def root() -> Collection:
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def _child(parent: Collection, name: str) -> Collection:
    return parent.get_children().filter(name=name).first() or parent.add_child(name=name)


def shared_collection() -> Collection:
    return _child(root(), SHARED)


def grant(group: Group, collection: Collection, *actions: str) -> None:
    """Give the group these rights on the collection, those it lacks (one query when it holds them all)."""
    held = GroupCollectionPermission.objects.filter(group=group, collection=collection).values("permission_id")
    GroupCollectionPermission.objects.bulk_create(
        [
            GroupCollectionPermission(group=group, collection=collection, permission=permission)
            for permission in file_permissions(*actions).exclude(pk__in=held)
        ],
        ignore_conflicts=True,  # granted meanwhile by another request: held all the same
    )


def own_group_name(user) -> str:
    return f"Teacher #{user.pk}"


@transaction.atomic
def own_collection(user) -> Collection:
    """The teacher's own collection, made on first need with the group that opens it to them alone."""
    group, _created = Group.objects.get_or_create(name=own_group_name(user))
    group = Group.objects.select_for_update().get(pk=group.pk)  # two first uploads at once make one collection
    held = (
        GroupCollectionPermission.objects.filter(group=group, permission__in=file_permissions("add"))
        .select_related("collection")
        .order_by("pk")
        .first()
    )
    if held is not None:
        collection = held.collection
    else:
        label = f"{user.name} (#{user.pk})" if user.name else f"#{user.pk}"
        collection = _child(root(), TEACHERS).add_child(name=label)
        grant(group, collection, "add", "choose")
    user.groups.add(group)
    return collection


def withdraw_own_collection(user) -> None:
    """Someone who no longer teaches keeps their uploads, but no rights on them (the admins keep theirs)."""
    user.groups.remove(*Group.objects.filter(name=own_group_name(user)))


def upload_collection(user) -> Collection:
    """Where a new upload of this user goes: the admins' into the root, a teacher's into their own."""
    return root() if user.is_superuser else own_collection(user)
