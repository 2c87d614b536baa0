"""Forms of the account pages: the public site's, and the Wagtail admin's login, password reset and password
change; and the password form of a private page."""

import math

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import auth as wagtail_auth_forms
from wagtail.forms import PasswordViewRestrictionForm

from . import throttles
from .models import User, normalize_email


class LimitedAttemptsMixin:
    """Counts a well-formed submission against the limits of its kind (learners/throttles.py), before the
    form's own checks: a login's password is not even tried once the limit is reached.

    The view gives the form its request; on refusal `limit_reached` holds the wait for the view's answer.
    """

    limits: tuple
    email_field = "email"
    limit_reached: throttles.LimitReached | None = None
    counted = False

    def clean(self):
        if not self.errors and not self.counted:
            self.count_attempt(self.cleaned_data.get(self.email_field))
        return super().clean()

    def count_attempt(self, email):
        """Count this submission once (a form that checks its secret in a field's clean counts there, first)."""
        self.counted = True
        try:
            throttles.guard(self.request, self.limits, email)
        except throttles.LimitReached as limit:
            raise self.refusal(limit) from limit

    def refusal(self, limit: throttles.LimitReached) -> forms.ValidationError:
        self.limit_reached = limit
        minutes = math.ceil(limit.wait / 60)
        return forms.ValidationError(
            ngettext(
                "Too many attempts. Please try again in %(minutes)d minute.",
                "Too many attempts. Please try again in %(minutes)d minutes.",
                minutes,
            ),
            code="too_many_attempts",
            params={"minutes": minutes},
        )


class RequestFormMixin:
    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)


class SignupForm(LimitedAttemptsMixin, RequestFormMixin, forms.Form):
    limits = throttles.SIGNUP

    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )


class LoginForm(LimitedAttemptsMixin, auth_forms.AuthenticationForm):
    limits = throttles.LOGIN
    email_field = "username"

    username = auth_forms.UsernameField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class AdminLoginForm(LimitedAttemptsMixin, wagtail_auth_forms.LoginForm):
    limits = throttles.LOGIN
    email_field = "username"


class AccountsByEmailMixin:
    """Reset mails go to the account the address names in its normalised form, as a login would find it."""

    def get_users(self, email):
        users = User.objects.filter(email=normalize_email(email), is_active=True)
        return (user for user in users if user.has_usable_password())


class PasswordResetForm(LimitedAttemptsMixin, RequestFormMixin, AccountsByEmailMixin, auth_forms.PasswordResetForm):
    limits = throttles.PASSWORD_RESET


class AdminPasswordResetForm(
    LimitedAttemptsMixin, RequestFormMixin, AccountsByEmailMixin, wagtail_auth_forms.PasswordResetForm
):
    limits = throttles.PASSWORD_RESET


class OldPasswordLimitMixin(LimitedAttemptsMixin):
    """A password change's old password is the account's login password: each try counts against the login limits
    of the account and of the address before it is checked (Django checks it in `clean_old_password`, before
    `clean`), so a stolen session cannot find the password, and the right one after the limit is refused."""

    limits = throttles.LOGIN

    def clean_old_password(self):
        self.count_attempt(self.user.email)
        return super().clean_old_password()


class PasswordChangeForm(OldPasswordLimitMixin, RequestFormMixin, auth_forms.PasswordChangeForm):
    pass


class AdminPasswordChangeForm(OldPasswordLimitMixin, RequestFormMixin, wagtail_auth_forms.PasswordChangeForm):
    pass


class PagePasswordForm(LimitedAttemptsMixin, RequestFormMixin, PasswordViewRestrictionForm):
    """Wagtail's form for the shared password of a private page, with the login limits: each try counts against
    its address's allowance, and wrong guesses against the restriction's (throttles.PagePasswordThrottle), before
    the password is compared; once either is spent, the right password is refused too."""

    limits = (throttles.LoginAddressThrottle,)

    def clean_password(self):
        self.count_attempt(None)
        guesses = throttles.PagePasswordThrottle()
        key = guesses.key_for_restriction(self.restriction.pk)
        if guesses.full(key):
            raise self.refusal(throttles.LimitReached(guesses.wait()))
        try:
            return super().clean_password()
        except forms.ValidationError:
            guesses.count(key)
            raise


__all__ = [
    "AdminLoginForm",
    "AdminPasswordChangeForm",
    "AdminPasswordResetForm",
    "LoginForm",
    "PagePasswordForm",
    "PasswordChangeForm",
    "PasswordResetForm",
    "SignupForm",
    "User",
]
