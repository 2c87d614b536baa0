"""The absolute addresses the portal gives out of its own pages and files (API answers: course and lesson
pages, covers, files, certificates, the pages of a listing).

One rule: PORTAL_BASE_URL when the environment sets it (a proxy or a load balancer may hand the app
another host than the public one); else the address the request came to, so that an API served at
127.0.0.1:8000 links back to 127.0.0.1:8000 and not to the address of Wagtail's default Site. Outside a
request there is only the setting (its default is `make run`'s address).
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


def base_url(request=None) -> str:
    """Scheme, host and port of the portal, without a trailing slash."""
    if settings.PORTAL_BASE_URL_SET or request is None:
        return settings.PORTAL_BASE_URL
    return request.build_absolute_uri("/").rstrip("/")


def absolute_url(url: str | None, request=None) -> str | None:
    """A path of the portal (`/courses/python/`) as an absolute URL. A URL that already names its host, such
    as a file on object storage or a page of another Wagtail Site, stays as it is."""
    if not url or not url.startswith("/") or url.startswith("//"):
        return url
    return base_url(request) + url


def page_url(page, request=None) -> str | None:
    """A Wagtail page's public address: its path on `base_url` (the portal is one Wagtail Site), or None for a
    page outside the site. Unlike `page.get_url`, it costs no query to find the request's Site."""
    parts = page.get_url_parts(request)
    return None if parts is None else absolute_url(parts[2], request)


def rebased(url: str | None, request=None) -> str | None:
    """A URL built from the request (DRF's pagination links) moved onto `base_url`."""
    if url is None:
        return None
    parts = urlsplit(url)
    return absolute_url(urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment)), request)
