"""People of the portal: users with an email login, a name and a role."""

import os

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")
    ADMIN = "admin", _("Administrator")


def normalize_email(email: str) -> str:
    """Emails are compared case-insensitively: we store them lower-cased and trimmed."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=normalize_email(username))

    def create_user(self, email, password=None, *, name="", role=Role.STUDENT, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalize_email(email), name=name, role=role, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, name="", **extra):
        """An admin; `createsuperuser --noinput` takes the name from DJANGO_SUPERUSER_NAME, if set."""
        extra.pop("is_superuser", None)
        extra.pop("is_staff", None)
        name = name or os.environ.get("DJANGO_SUPERUSER_NAME") or email.split("@")[0]
        return self.create_user(email, password, name=name, role=Role.ADMIN, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone with an account: a student, a teacher or an administrator."""

    email = models.EmailField(_("email"), max_length=254, unique=True)
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STUDENT)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive users cannot log in and their tokens stop working.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def is_staff(self):
        """Django's own admin is not mounted; the flag only tells that someone manages the portal."""
        return self.role == Role.ADMIN

    @property
    def is_teacher(self):
        return self.role in (Role.TEACHER, Role.ADMIN)

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    def save(self, *args, **kwargs):
        # The role is the one source of truth for access: the superuser flag and the role's group are
        # derived from it here, so that every path that saves a user (the Wagtail user editor, the API,
        # createsuperuser, a shell) keeps them in step with no further step.
        self.email = normalize_email(self.email)
        self.is_superuser = self.role == Role.ADMIN
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_superuser"}
        with transaction.atomic():
            super().save(*args, **kwargs)
            if update_fields is None or "role" in update_fields:
                from .roles import sync_groups

                sync_groups(self)
