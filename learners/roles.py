"""Roles and the Django groups that carry their Wagtail permissions.

Admins are superusers. Students and teachers each have a group. Whenever someone is given a role,
its group is made if missing and given at least the role's permissions, so a fresh or flushed
database needs no fixture. Administrators may widen a group in the Wagtail admin; we never narrow it.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from courses.collections import own_collection, withdraw_own_collection
from courses.services import grant_teacher_access

from .models import Role

ROLE_GROUPS = {Role.STUDENT: "Students", Role.TEACHER: "Teachers"}

# "app_label.codename" of the model permissions each role's group starts with.
ROLE_PERMISSIONS = {
    Role.STUDENT: [],
    Role.TEACHER: [
        "wagtailadmin.access_admin",
        # quizzes of their own lessons (the quiz views narrow these to the teacher's courses)
        "quizzes.add_quiz",
        "quizzes.change_quiz",
        "quizzes.delete_quiz",
        "quizzes.view_quiz",
    ],
}

def group_for(role: str) -> Group | None:
    name = ROLE_GROUPS.get(role)
    if name is None:
        return None
    group, _created = Group.objects.get_or_create(name=name)
    wanted = Q(pk__in=[])  # none, for a role without rights of its own
    for label in ROLE_PERMISSIONS[role]:
        app_label, codename = label.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.add(*Permission.objects.filter(wanted).exclude(group=group))  # those it lacks: no-op if none
    if role == Role.TEACHER:
        grant_teacher_access(group)
    return group


def sync_groups(user) -> None:
    """Put the user in exactly their role's group (and in no other role's group); a teacher also in the
    group of their own upload collection, which is made for them here."""
    wanted = group_for(user.role)
    stale = Group.objects.filter(name__in=ROLE_GROUPS.values())
    if wanted is not None:
        stale = stale.exclude(pk=wanted.pk)
    user.groups.remove(*stale)
    if wanted is not None:
        user.groups.add(wanted)
    if user.role == Role.TEACHER:
        own_collection(user)
    else:
        withdraw_own_collection(user)
