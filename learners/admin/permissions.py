"""Who may see and do what with the records the portal makes: enrollments, quiz attempts, certificates
and reviews. `register_permission_policies` is called once, from `LearnersConfig.ready`, before anything
asks for these models' policies (Wagtail would otherwise make a default one)."""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from quizzes.models import Attempt

from ..models import Certificate, Enrollment, Review


class AdminsOnly(ModelPermissionPolicy):
    """Only active administrators see these records, and do with them only the given actions.

    The portal makes them (enrolling, submitting a quiz, completing a course): nobody adds them by hand.
    """

    actions = frozenset({"view"})

    def __init__(self, model, actions=None):
        super().__init__(model)
        if actions is not None:
            self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser and action in self.actions

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class AdminsRevokeOnly(AdminsOnly):
    """Certificates are issued by the portal, never added or deleted by hand; admins may revoke them."""

    actions = frozenset({"change", "view"})


class AdminsModerate(AdminsOnly):
    """Reviews are the learners' words: admins hide, show or delete them, and never edit them."""

    actions = frozenset({"view", "moderate", "delete"})


def register_permission_policies() -> None:
    register_permission_policy(Enrollment, AdminsOnly(Enrollment))
    register_permission_policy(Attempt, AdminsOnly(Attempt))
    register_permission_policy(Certificate, AdminsRevokeOnly(Certificate))
    register_permission_policy(Review, AdminsModerate(Review))
