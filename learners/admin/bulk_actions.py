"""Wagtail's bulk actions on users, through the accounts service like the user editor and the API.

Wagtail's own "Set active state" writes `is_active` with one `UPDATE` and its "Assign role" adds users to
any group: neither revokes a deactivated user's tokens nor writes the audit entry, and a group given
by hand contradicts the portal's role (`User.role`, which the user's groups follow). These replace them
under the same action types (the bulk action registry keeps the last class registered for a type, and
`wagtail_hooks` registers these after Wagtail's), so the listing's buttons and URLs stay where they were.
Deleting in bulk needs no replacement: the deletion signals keep its books (`services.delete_user`).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.users.views import bulk_actions as wagtail_bulk_actions

from .. import services
from ..models import Role


class SetActiveStateBulkAction(wagtail_bulk_actions.SetActiveStateBulkAction):
    """Each user (de)activated through `services.update_user`: tokens revoked, audit entry written."""

    @classmethod
    def execute_action(cls, objects, mark_as_active=False, user=None, **kwargs):
        users = [obj for obj in objects if obj.pk != user.pk]  # never oneself (the listing already says so)
        for target in users:
            services.update_user(user=target, by=user, is_active=mark_as_active)
        return len(users), 0


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))


class AssignRoleBulkAction(wagtail_bulk_actions.AssignRoleBulkAction):
    """The portal's role (student, teacher, administrator) instead of a group: each user through
    `services.update_user`, so their groups follow the role and the change is audited."""

    template_name = "learners/admin/confirm_bulk_assign_role.html"
    form_class = RoleForm

    def get_actionable_objects(self):
        objects, objects_without_access = super().get_actionable_objects()
        users = [obj for obj in objects if obj.pk != self.request.user.pk]
        if len(users) != len(objects):
            objects_without_access["assign_self"] = [self.request.user]
        return users, objects_without_access

    def get_execution_context(self):
        return {"role": self.cleaned_form.cleaned_data["role"], "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, role=None, user=None, **kwargs):
        users = [obj for obj in objects if obj.pk != user.pk]
        for target in users:
            services.update_user(user=target, by=user, role=role)
        return len(users), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(num_parent_objects)d user has been assigned as %(role)s",
            "%(num_parent_objects)d users have been assigned as %(role)s",
            num_parent_objects,
        ) % {"num_parent_objects": num_parent_objects, "role": Role(self.cleaned_form.cleaned_data["role"]).label}


USER_BULK_ACTIONS = [SetActiveStateBulkAction, AssignRoleBulkAction]
