"""The checked addresses of videos, audio and their posters: `/media-files/<id>/<name>` and
`/media-files/<id>/poster/<name>` (`courses.files.media_url`, `poster_url`), streamed with byte ranges.

Who may have a file is not this app's to know (it needs enrolments): as Wagtail's document view asks its
`before_serve_document` hook, these views ask every function registered for the `BEFORE_SERVE_MEDIA` hook
(`fn(media, request)`: None lets the request through, a response or an exception refuses it). With no
function registered, nothing is served.
"""

import mimetypes
import re

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtailmedia.models import get_media_model

from .files import media_url, poster_url

BEFORE_SERVE_MEDIA = "before_serve_media"
CHUNK = 64 * 1024


def refusal(request, media):
    """None when every registered rule lets the request have the file; else the answer that refuses it."""
    rules = hooks.get_hooks(BEFORE_SERVE_MEDIA)
    if not rules:
        raise Http404
    for rule in rules:
        if (answer := rule(media, request)) is not None:
            return answer
    return None


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
    """Stream a stored file from its storage, whichever it is (local folder or bucket), with byte ranges
    (videos seek with them).

    Always through the portal, never by the storage's own address: every request, each of a video's
    ranges too, passes the check of who may have the file, and no link goes round it (lms/storage.py).
    """
    storage, name = file.storage, file.name
    try:
        size = storage.size(name)
    except FileNotFoundError:
        raise Http404 from None  # its record outlived its file
    asked = _asked_range(request, size)
    if asked == ():
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, end = asked or (0, size - 1)
    partial = asked is not None
    response = StreamingHttpResponse(
        _chunks(_opened(storage, name, start, end), end - start + 1),
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


def _opened(storage, name: str, start: int, end: int):
    """The file, read from `start`: fetched from there alone where the storage can (a bucket's ranged read,
    `open_range`), else opened and sought (a local file; `open` of a bucket would download it whole)."""
    if end >= start and (open_range := getattr(storage, "open_range", None)):
        return open_range(name, start, end)
    handle = storage.open(name, "rb")
    handle.seek(start)
    return handle


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
