from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_action("learners.role_change", _("Change role"), _("Role changed"))
    actions.register_action("learners.deactivate", _("Deactivate"), _("User deactivated"))
    actions.register_action("learners.activate", _("Activate"), _("User activated"))
