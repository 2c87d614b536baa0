from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from .models import Quiz
        from .permissions import TaughtQuizzesPolicy

        # Before anything asks for the quizzes' policy (Wagtail would otherwise make a default one).
        register_permission_policy(Quiz, TaughtQuizzesPolicy(Quiz))
