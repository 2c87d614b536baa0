"""Changes to accounts: sign-up, role changes, deactivation, deletion. The site, the API and the admin call these."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from wagtail.log_actions import LogContext, log

from lms.errors import Denied
from lms.languages import portal_language
from lms.models import PortalSettings

from ..models import Role, User, normalize_email


def email_taken(email: str, *, exclude: User | None = None) -> bool:
    """Whether an account has this address; addresses are stored normalised, so every spelling of it matches."""
    users = User.objects.filter(email=normalize_email(email))
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.exists()


class RegistrationClosed(Denied):
    code = "registration_closed"


def register(*, name: str, email: str, password: str, language: str | None = None) -> User:
    """Self-registration from the site or the API: always a student, and only while sign-up is open. `language`:
    the one the site or the app was in (their certificates'), else the portal's default."""
    if not PortalSettings.load().registration_open:
        raise RegistrationClosed(_("Registration is closed."))
    return create_user(name=name, email=email, password=password, role=Role.STUDENT, language=language)


@transaction.atomic
def create_user(
    *,
    name: str,
    email: str,
    password: str | None,
    role: str = Role.STUDENT,
    by: User | None = None,
    language: str | None = None,
) -> User:
    """A new account. Self-registration always passes the student role; only admins choose another."""
    email = normalize_email(email)
    if email_taken(email):
        raise ValidationError({"email": [_("A user with this email already exists.")]}, code="duplicate_email")
    user = User(email=email, name=name.strip(), role=role, language=portal_language(language))
    if password is not None:
        try:
            validate_password(password, user=user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}, code="weak_password") from error
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # two sign-ups with the same email raced past the check above
        raise ValidationError(
            {"email": [_("A user with this email already exists.")]}, code="duplicate_email"
        ) from error
    log(instance=user, action="wagtail.create", user=by)
    return user


@transaction.atomic
def update_user(*, user: User, by: User, **changes) -> User:
    """Change a user's name, email, role or active state, logging role and activation changes."""
    if "email" in changes:
        changes["email"] = normalize_email(changes["email"])
        if email_taken(changes["email"], exclude=user):
            raise ValidationError({"email": [_("A user with this email already exists.")]}, code="duplicate_email")
    if user.pk == by.pk and (
        ("role" in changes and changes["role"] != user.role) or ("is_active" in changes and not changes["is_active"])
    ):
        raise ValidationError(
            {"role" if "role" in changes else "is_active": [_("You cannot demote or deactivate yourself.")]},
            code="self_lockout",
        )
    old_role, was_active = user.role, user.is_active
    for field, value in changes.items():
        setattr(user, field, value)
    user.save()
    record_access_changes(user=user, by=by, old_role=old_role, was_active=was_active)
    return user


def record_access_changes(*, user: User, by: User | None, old_role: str, was_active: bool) -> None:
    """After a user was saved: log a role change or (de)activation, and end a deactivated user's sessions.

    The entries of each user are an action of their own (a log context of their own): a request that
    changes many users (the admin's bulk actions) shares one log context, and Wagtail's history keeps
    one entry per context and action, which would leave every user's history but the last one's without it.
    """
    with LogContext(user=by):
        if old_role != user.role:
            log(
                instance=user,
                action="learners.role_change",
                user=by,
                data={"old": old_role, "new": user.role},
            )
        if was_active and not user.is_active:
            revoke_tokens(user=user)
            log(instance=user, action="learners.deactivate", user=by)
        elif not was_active and user.is_active:
            log(instance=user, action="learners.activate", user=by)


def revoke_tokens(*, user: User) -> None:
    """Blacklist every refresh token of the user: no new access token can be made from them."""
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )


@transaction.atomic
def delete_user(*, user: User, by: User) -> None:
    """Delete an account, by an administrator (the admin's user views, the API's `DELETE users/{id}/`).

    What goes with it, and the books kept, are the same for every deletion of a user, this one or any
    other (Wagtail's bulk delete, a shell), through the deletion signals (`learners.signal_handlers`):
    `account_deleting` revokes their tokens and writes the audit entry; the database cascades to their
    enrollments, completed lessons, quiz attempts, certificates and reviews, and to their comments in the
    page editor, while the pages, revisions and files they own or made stay, with no owner (Wagtail's
    SET_NULL). Each review leaves through `reviews.review_deleting`/`review_deleted` (audited, the course's
    rating recomputed without it), each certificate's PDF leaves the media storage once the deletion is
    committed, and the catalog forgets a deleted teacher's name. The log context names `by` as the actor
    of every entry.
    """
    if user.pk == by.pk:
        raise ValidationError(_("You cannot delete your own account here."), code="self_delete")
    with LogContext(user=by):
        user.delete()


def account_deleting(user: User) -> None:
    """Before a user is deleted, whatever the door: no refresh token of theirs works any more, and the
    audit log says who deleted them (the log context's user; None from a shell), while they still exist."""
    revoke_tokens(user=user)
    log(instance=user, action="wagtail.delete", deleted=True)


def set_language(*, user: User, language: str) -> User:
    """The user's language (the site's switch, the API's profile): the one of the certificates issued to them from
    now on; those issued before keep theirs."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Choose one of the portal's languages.")]}, code="unknown_language")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def set_password(*, user: User, password: str) -> User:
    """A new password; every token issued before it stops working (simplejwt's revoke claim)."""
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}, code="weak_password") from error
    user.set_password(password)
    user.save(update_fields=["password"])
    revoke_tokens(user=user)
    return user
