"""Forms of the account pages: the public site's, and the Wagtail admin's login and password reset."""

import math

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import auth as wagtail_auth_forms

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

    def clean(self):
        if not self.errors:
            try:
                throttles.guard(self.request, self.limits, self.cleaned_data.get(self.email_field))
            except throttles.LimitReached as limit:
                self.limit_reached = limit
                minutes = math.ceil(limit.wait / 60)
                raise forms.ValidationError(
                    ngettext(
                        "Too many attempts. Please try again in %(minutes)d minute.",
                        "Too many attempts. Please try again in %(minutes)d minutes.",
                        minutes,
                    ),
                    code="too_many_attempts",
                    params={"minutes": minutes},
                ) from limit
        return super().clean()


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


__all__ = ["AdminLoginForm", "AdminPasswordResetForm", "LoginForm", "PasswordResetForm", "SignupForm", "User"]
