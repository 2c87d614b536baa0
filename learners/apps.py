from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class LearnersConfig(AppConfig):
    name = "learners"
    verbose_name = _("Learners")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()  # deleting users, reviews and certificates keeps the same books at every door

        from django.urls import register_converter

        from .converters import CertificateCodeConverter

        register_converter(CertificateCodeConverter, "certificate_code")  # before any URLconf is loaded

        from .admin.permissions import register_permission_policies

        # Before anything asks for the learner records' policies (Wagtail would otherwise make default ones).
        register_permission_policies()


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with our user viewset (name and role instead of first/last name and groups)."""

    user_viewset = "learners.admin.users.UserViewSet"
