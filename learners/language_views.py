"""The site's language switch: Django's `set_language`, which also keeps a signed-in visitor's choice on their
account (the language of the certificates issued to them from then on)."""

from django.conf import settings
from django.views import i18n

from . import services


def switch_language(request):
    """Django's `set_language` (a POST of `language` and `next`); the language it set, when it set one (a valid
    POST), becomes the signed-in visitor's."""
    response = i18n.set_language(request)
    cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie is not None and request.user.is_authenticated:
        services.set_language(user=request.user, language=cookie.value)
    return response
