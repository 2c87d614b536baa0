"""Who may have an uploaded file, and the views that serve videos by that rule.

One rule (`may_download`) for documents (Wagtail's serving view asks it through the `before_serve_document`
hook), videos, audio and their posters (`media_file`, `media_poster`), whichever door a link came from:
the site's lessons, the API's blocks, the admin. A file goes to

- the admins, its uploader, and whoever may choose or change it in the admin (Wagtail's collection
  permissions: a teacher's own collection, the shared one);
- and to anyone who may see a page that uses it (Wagtail's reference index says which): the page is
  live and its view restrictions let the visitor in (courses.visibility); for a lesson's material, the
  visitor is also enrolled in its (live) course. A course's teacher has the files of their course's pages.

A file that no page uses stays with the first group. Refused: a visitor who is not signed in is sent to
log in; anyone else gets 404, which does not tell whether the file exists.

The API's clients have no session: the views also take the API's `Authorization: Bearer` token.
"""

import mimetypes
import re

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, re_path
from django.utils.http import content_disposition_header
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from rest_framework.exceptions import APIException
from rest_framework_simplejwt.authentication import JWTAuthentication
from wagtail.documents.views import serve
from wagtail.models import Page
from wagtail.permissions import policy_registry
from wagtailmedia.models import get_media_model

from courses.files import media_url, pages_using, poster_url
from courses.models import CoursePage, LessonPage
from courses.visibility import is_admin, visible

from .models import Enrollment

CHUNK = 64 * 1024


def may_download(user, item, session=None) -> bool:
    """Whether the user (with this site session, if any) may have the file: a document or a video."""
    user = user if user is not None else AnonymousUser()
    if is_admin(user):
        return True
    if user.is_authenticated and item.uploaded_by_user_id == user.pk:
        return True
    if policy_registry.get_by_type(type(item)).user_has_any_permission_for_instance(user, ["choose", "change"], item):
        return True
    return _a_page_lets_in(pages_using(item), user, session)


def _a_page_lets_in(pages, user, session) -> bool:
    steplen = Page.steplen
    if user.is_authenticated:
        paths = pages.values_list("path", flat=True)
        courses = {path[:end] for path in paths for end in range(steplen, len(path) + 1, steplen)}
        if CoursePage.objects.filter(owner=user, path__in=courses).exists():
            return True
    seen = visible(pages.live(), user, session)
    if seen.not_type(LessonPage).exists():
        return True
    if not user.is_authenticated:
        return False
    courses = {path[:-steplen] for path in seen.type(LessonPage).values_list("path", flat=True)}
    return Enrollment.objects.active().filter(learner=user, course__live=True, course__path__in=courses).exists()


def viewer(request):
    """The signed-in user of a site request, or the user of the API token it carries (else anonymous)."""
    if request.user.is_authenticated:
        return request.user
    try:
        authenticated = JWTAuthentication().authenticate(request)
    except APIException:
        authenticated = None  # a bad or expired token: no one
    return authenticated[0] if authenticated else AnonymousUser()


def refusal(request, item):
    """None when the request may have the file; else the answer that refuses it."""
    user = viewer(request)
    if may_download(user, item, getattr(request, "session", None)):
        return None
    if user.is_authenticated or "authorization" in request.headers:
        raise Http404
    return redirect_to_login(request.get_full_path())


# Wagtail's document URLs, its serving view marked private: it answers by permission, so no shared cache
# may keep what it sends. Ids of at most 18 digits, as everywhere (lms.api.IdConverter).
document_urls = [
    re_path(r"^(\d{1,18})/(.*)$", cache_control(private=True)(serve.serve), name="wagtaildocs_serve"),
    path(
        "authenticate_with_password/<int:restriction_id>/",
        serve.authenticate_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
]


@require_safe
def media_file(request, media_id: int, filename: str):
    media = get_object_or_404(get_media_model(), pk=media_id)
    if media.filename != filename:
        raise Http404
    return refusal(request, media) or send(request, media.file, attachment=False)


@require_safe
def media_poster(request, media_id: int, filename: str):
    media = get_object_or_404(get_media_model(), pk=media_id)
    if not media.thumbnail or media.thumbnail_filename != filename:
        raise Http404
    return refusal(request, media) or send(request, media.thumbnail, attachment=False)


@require_safe
def stored_media_path(request, path: str):
    """An old link to a video's (or poster's) stored file, as `Media.url` and the admin still give it:
    sent on to its checked address. Nothing is served from here."""
    if "\x00" in path:
        raise Http404  # the database takes no NUL in a string
    Media = get_media_model()
    if media := Media.objects.filter(file=path).first():
        return redirect(media_url(media))
    if media := Media.objects.filter(thumbnail=path).first():
        return redirect(poster_url(media))
    raise Http404


# At most 18 digits a side: longer numbers (no file is that large) leave the header unread.
_RANGE = re.compile(r"^bytes=(\d{0,18})-(\d{0,18})$")


def send(request, file, *, attachment: bool):
    """Stream a stored file from its storage, with byte ranges (videos seek with them).

    A storage with no local files (object storage) is not streamed through the portal: the request is
    sent on to the storage's own address for the file, signed by the storage when it signs its URLs.
    """
    storage, name = file.storage, file.name
    try:
        storage.path(name)
    except NotImplementedError:
        return redirect(storage.url(name))
    size = storage.size(name)
    asked = _asked_range(request, size)
    if asked == ():
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, end = asked or (0, size - 1)
    partial = asked is not None
    handle = storage.open(name, "rb")
    handle.seek(start)
    response = StreamingHttpResponse(
        _chunks(handle, end - start + 1),
        status=206 if partial else 200,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    if partial:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Disposition"] = content_disposition_header(attachment, name.rsplit("/", 1)[-1])
    # Served by permission: no shared cache may keep it, and it is never a page of the site.
    response["Cache-Control"] = "private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _asked_range(request, size: int):
    """The one byte range asked for, as (start, end); None for the whole file; () when it lies past the end.

    Several ranges, a malformed one, or one that depends on the file's version (If-Range) get the whole
    file, as HTTP allows.
    """
    wanted = _RANGE.match(request.headers.get("Range", "").strip())
    if not wanted or "If-Range" in request.headers:
        return None
    first, last = wanted.groups()
    if first:
        if last and int(last) < int(first):
            return None
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    elif last:  # the last N bytes
        if int(last) == 0:
            return ()
        start, end = max(size - int(last), 0), size - 1
    else:
        return None
    return (start, end) if start < size else ()


def _chunks(handle, length: int):
    try:
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()
