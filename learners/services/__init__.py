"""The functions that change learner state. The site, the API and the admin all call these."""

from .accounts import (
    RegistrationClosed,
    create_user,
    delete_user,
    email_taken,
    record_access_changes,
    register,
    revoke_tokens,
    set_language,
    set_password,
    update_user,
)

__all__ = [
    "RegistrationClosed",
    "create_user",
    "delete_user",
    "email_taken",
    "record_access_changes",
    "register",
    "revoke_tokens",
    "set_language",
    "set_password",
    "update_user",
]
