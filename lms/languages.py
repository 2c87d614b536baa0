"""The portal's languages (settings.LANGUAGES): which of them a language code names."""

from django.conf import settings
from django.utils import translation


def portal_language(code: str | None) -> str:
    """The portal's language that `code` names ("ru", "ru-RU" → "ru"), else its default one (LANGUAGE_CODE)."""
    for candidate in (code, settings.LANGUAGE_CODE):
        try:
            return translation.get_supported_language_variant(candidate or "")
        except LookupError:
            continue
    return settings.LANGUAGES[0][0]


def default_language() -> str:
    """The language of an account or a certificate that none was chosen for: the portal's default one."""
    return portal_language(None)


def remember_language(response, language: str):
    """Make `language` the browser's choice on the site: the cookie Django's `set_language` sets, with its settings."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
