"""Who may do what with quizzes in the Wagtail admin: one permission policy, asked by every admin view.

Django's quiz permissions (teachers hold them through their group) say which actions a user may take at
all; the policy narrows them to the quizzes of the user's own courses (admins: all). The quiz viewset
keeps every one of its views to it (`lms.admin_scope`), and the quizzes' audit log shows each user the
entries of those quizzes only (`QuizLogEntry`).
"""

from wagtail.permission_policies import ModelPermissionPolicy

from .models import Quiz


class TaughtQuizzesPolicy(ModelPermissionPolicy):
    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Quiz.objects.none()
        return Quiz.objects.editable_by(user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.instances_user_has_any_permission_for(user, actions).filter(pk=instance.pk).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)
