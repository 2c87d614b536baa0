"""Checks of uploaded videos, audio, documents and thumbnails: by name, by size and by content.

A file's name says what it claims to be; its first bytes say what it is. Both must agree, so that an
HTML page renamed to `lesson.mp4` or `notes.pdf` never reaches the media folder, where a browser could
be talked into rendering it as a page of the site. Every check raises Django's ValidationError with a
stable code: `file_type` (extension not accepted), `empty`, `file_too_large` and `invalid_content`.

Size limits are the portal's (see `limit_mb`): administrators change them in the admin, with no restart.
"""

import codecs
import os
import re
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageSequence

from lms.models import PortalSettings

VIDEO = "video"
AUDIO = "audio"
DOCUMENT = "document"
IMAGE = "image"

# The content types (as `filetype` names them) that each extension may sniff as.
_ISO_VIDEO = {"video/mp4", "video/x-m4v", "video/quicktime", "video/3gpp"}
_ZIP = {
    "application/zip",
    "application/epub+zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
# Text formats have no magic bytes: None in a kind's types has them checked as UTF-8 text instead.
_TEXT = None


@dataclass(frozen=True)
class _Kind:
    """What one kind of upload accepts, and how a refusal of its content is worded."""

    types: dict[str, set[str] | None]
    extensions_setting: str
    portal_field: str  # its limit in the portal's settings; the server's ceiling is PortalSettings.UPLOAD_LIMITS'
    looks_like: Promise
    unrecognised: Promise


_KINDS = {
    VIDEO: _Kind(
        types={
            "mp4": _ISO_VIDEO,
            "m4v": _ISO_VIDEO,
            "mov": _ISO_VIDEO,
            "webm": {"video/webm"},
            "ogv": {"video/ogg"},
            "ogg": {"video/ogg"},
        },
        extensions_setting="UPLOAD_VIDEO_EXTENSIONS",
        portal_field="max_video_mb",
        looks_like=_("This file is not a video: its content looks like %(format)s."),
        unrecognised=_("This file is not a video in a format this site accepts."),
    ),
    AUDIO: _Kind(
        types={"mp3": {"audio/mpeg"}, "m4a": {"audio/mp4", "video/mp4"}, "ogg": {"audio/ogg"}},
        extensions_setting="UPLOAD_AUDIO_EXTENSIONS",
        portal_field="max_video_mb",
        looks_like=_("This file is not an audio file: its content looks like %(format)s."),
        unrecognised=_("This file is not audio in a format this site accepts."),
    ),
    DOCUMENT: _Kind(
        types={
            "pdf": {"application/pdf"},
            "zip": _ZIP,
            "docx": _ZIP,
            "xlsx": _ZIP,
            "pptx": _ZIP,
            "odt": _ZIP,
            "ods": _ZIP,
            "odp": _ZIP,
            "txt": _TEXT,
            "md": _TEXT,
            "csv": _TEXT,
            "vtt": _TEXT,  # captions (WebVTT): text that starts with its signature (_validate)
        },
        extensions_setting="UPLOAD_DOCUMENT_EXTENSIONS",
        portal_field="max_document_mb",
        looks_like=_("This file is not a real .%(extension)s file: its content looks like %(format)s."),
        unrecognised=_("This file is not a real .%(extension)s file."),
    ),
    IMAGE: _Kind(
        types={
            "avif": {"image/avif"},
            "gif": {"image/gif"},
            "jpg": {"image/jpeg"},
            "jpeg": {"image/jpeg"},
            "png": {"image/png", "image/apng"},
            "webp": {"image/webp"},
        },
        extensions_setting="WAGTAILIMAGES_EXTENSIONS",
        portal_field="max_image_mb",
        looks_like=_("This file is not an image: its content looks like %(format)s."),
        unrecognised=_("This file is not an image in a format this site accepts."),
    ),
}

# What a browser would take for a page or a drawing, after an optional byte order mark and whitespace.
# Markdown may start with other tags (`<div align="center">` is common); those cannot run scripts alone.
_MARKUP = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*<(!doctype\s+svg|!doctype|html|head|body|script|iframe|svg|\?xml)\b", re.IGNORECASE
)
# A WebVTT file's signature: "WEBVTT" after an optional byte order mark, then a space, a tab, a line end or nothing.
_WEBVTT = re.compile(rb"\A(?:\xef\xbb\xbf)?WEBVTT(?:[ \t\r\n]|\Z)")
# filetype reads at most this many bytes.
_HEAD_BYTES = 8192
MB = 1024 * 1024
# The portal's limits are whole megabytes, one at least: a file this small passes whatever they say.
_SMALLEST_PORTAL_LIMIT = 1 * MB


def extension(name: str) -> str:
    """The lower-case extension of a file name, without the dot; "" when there is none."""
    return os.path.splitext(os.path.basename(name or ""))[1][1:].lower()


def accepted_extensions(kind: str) -> list[str]:
    """The extensions the settings accept for a kind, among those whose content this module can check."""
    known = _KINDS[kind].types
    return [ext for ext in (e.lower() for e in getattr(settings, _KINDS[kind].extensions_setting)) if ext in known]


def server_limit_mb(kind: str) -> int:
    """The server's limit for a kind (the environment's UPLOAD_MAX_*_MB), fixed until a restart."""
    return getattr(settings, PortalSettings.UPLOAD_LIMITS[_KINDS[kind].portal_field])


def limit_mb(kind: str) -> int:
    """The size limit of a kind of upload, in MB, as it stands at this moment.

    The rule: administrators set the limits under *Settings → Portal settings* (`PortalSettings.max_video_mb`,
    `max_document_mb`, `max_image_mb`), and a change holds from the next upload on, with no restart. The
    server's setting from the environment (`UPLOAD_MAX_VIDEO_MB`, `UPLOAD_MAX_DOCUMENT_MB`,
    `UPLOAD_MAX_IMAGE_MB`) is both the default, when the portal leaves a limit empty, and the ceiling: the
    portal may lower a limit, never raise it (the settings form refuses a larger value, and one left from a
    larger ceiling counts as the ceiling), because what is sized once at start-up from the server's setting,
    Wagtail's own upload limits (`WAGTAILDOCS_MAX_UPLOAD_SIZE`, `WAGTAILIMAGES_MAX_UPLOAD_SIZE`) and a web
    server's body limit in front of the portal, cannot follow a larger value.
    """
    ceiling = server_limit_mb(kind)
    chosen = getattr(PortalSettings.load(), _KINDS[kind].portal_field)
    return min(chosen, ceiling) if chosen else ceiling


def max_bytes(kind: str) -> int:
    """The size limit of a kind of upload in bytes, as `limit_mb` gives it."""
    return limit_mb(kind) * MB


def validate_video(file) -> None:
    """Refuse a file that is not an accepted video, by name and by content, or that is too large."""
    _validate(file, VIDEO)


def validate_audio(file) -> None:
    """Refuse a file that is not an accepted audio file, by name and by content, or that is too large."""
    _validate(file, AUDIO)


def validate_document(file) -> None:
    """Refuse a file that is not an accepted document (PDF, office file, archive, text), or that is too large."""
    _validate(file, DOCUMENT)


def validate_image(file) -> None:
    """Refuse a file that is not a raster image of an accepted format, that is too large, or that cannot be
    read to its end (thumbnails)."""
    _validate(file, IMAGE)
    check_image_reads(file)


def check_image_reads(file) -> None:
    """Refuse an image that its decoder cannot read to the end, or whose frames hold more pixels than
    `WAGTAILIMAGES_MAX_IMAGE_PIXELS`.

    Right first bytes say little: a malformed GIF, PNG or JPEG passes `_sniff`, and would then fail in a
    rendition or a thumbnail, as a server error, long after the upload. Decoding it here once turns that
    into a refusal of the upload. (A PNG's chunks are checked to its end whatever Pillow's
    `LOAD_TRUNCATED_IMAGES` says; once WeasyPrint has turned that on for the process, the decoder pads other
    truncated images instead of failing, here as in every rendition.)
    """
    limit = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", None)
    file.seek(0)
    try:
        with PILImage.open(file) as image:
            image.verify()  # checksums and structure, where the format has them; the image is spent after
        file.seek(0)
        with PILImage.open(file) as image:
            pixels = 0
            for frame in ImageSequence.Iterator(image):
                pixels += frame.width * frame.height
                if limit is not None and pixels > limit:
                    raise ValidationError(
                        _("This image has too many pixels: the limit is %(limit)s."),
                        code="file_too_large",
                        params={"limit": limit},
                    )
                frame.load()
    except ValidationError:
        raise
    except Exception as error:  # Pillow's decoders fail in many ways: OSError, SyntaxError, ValueError, EOFError…
        raise unreadable_image() from error
    finally:
        file.seek(0)


def unreadable_image() -> ValidationError:
    """The refusal of an image that cannot be opened or read to its end."""
    return ValidationError(_("This image is damaged or incomplete: it cannot be read."), code="invalid_content")


def classify(file) -> str:
    """Validate an upload of the API and say what it is: "video", "audio" or "document"."""
    ext = extension(file.name)
    is_video, is_audio = ext in accepted_extensions(VIDEO), ext in accepted_extensions(AUDIO)
    if is_video and is_audio:
        # .ogg is either: an Ogg file with a Theora stream is a video.
        kind = VIDEO if _sniff(_head(file))[0] == "video/ogg" else AUDIO
    elif is_video:
        kind = VIDEO
    elif is_audio:
        kind = AUDIO
    elif ext in accepted_extensions(DOCUMENT):
        kind = DOCUMENT
    else:
        raise _not_accepted(
            ext, [*accepted_extensions(VIDEO), *accepted_extensions(AUDIO), *accepted_extensions(DOCUMENT)]
        )
    _validate(file, kind)
    return kind


def _validate(file, kind: str) -> None:
    spec = _KINDS[kind]
    ext = extension(file.name)
    accepted = accepted_extensions(kind)
    if ext not in accepted:
        raise _not_accepted(ext, accepted)
    if not file.size:
        raise ValidationError(_("The file is empty."), code="empty")
    _check_size(file, kind)
    head = _head(file)
    if spec.types[ext] is _TEXT:
        _check_text(file, head)
        if ext == "vtt" and not _WEBVTT.match(head):
            raise ValidationError(
                _("This file is not a WebVTT captions file: its first line must be “WEBVTT”."), code="invalid_content"
            )
        return
    mime, found = _sniff(head)
    params = {"extension": ext, "format": found}
    if mime not in spec.types[ext]:
        raise ValidationError(spec.looks_like if found else spec.unrecognised, code="invalid_content", params=params)
    if mime in _ZIP and not _is_zip(file):
        # The first bytes of a ZIP are easy to fake; its central directory, at the end, is not.
        raise ValidationError(spec.unrecognised, code="invalid_content", params=params)


def _check_size(file, kind: str) -> None:
    """Refuse a file over the kind's limit: the server's first, then the portal's (read only when it may matter)."""
    limit = server_limit_mb(kind) * MB
    if _SMALLEST_PORTAL_LIMIT < file.size <= limit:
        limit = max_bytes(kind)
    if file.size > limit:
        raise ValidationError(
            _("This file is too large (%(size)s). The limit is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )


def _not_accepted(ext: str, accepted: list[str]) -> ValidationError:
    params = {"extension": ext, "accepted": ", ".join(f".{e}" for e in accepted)}
    if not ext:
        return ValidationError(
            _("The file name has no extension. Accepted types: %(accepted)s."), code="file_type", params=params
        )
    return ValidationError(
        _("Files of type .%(extension)s are not accepted here. Accepted types: %(accepted)s."),
        code="file_type",
        params=params,
    )


def _head(file) -> bytes:
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    file.seek(0)
    return head


def _sniff(head: bytes) -> tuple[str | None, str | None]:
    """The content type that the first bytes show, and a short name of their format for messages."""
    guess = filetype.guess(head)
    if guess is None:
        return None, _markup(head)
    if guess.mime == "audio/ogg" and b"\x80theora" in head:
        return "video/ogg", "OGG"
    return guess.mime, guess.extension.upper()


def _markup(head: bytes) -> str | None:
    """The kind of markup ("HTML", "SVG" or "XML") that the first bytes start, if any."""
    match = _MARKUP.match(head)
    if match is None:
        return None
    tag = match.group(1).lower()
    if tag.endswith(b"svg") or (tag == b"?xml" and b"<svg" in head.lower()):
        return "SVG"
    return "XML" if tag == b"?xml" else "HTML"


def _is_zip(file) -> bool:
    try:
        return zipfile.is_zipfile(file)
    finally:
        file.seek(0)


def _check_text(file, head: bytes) -> None:
    """Refuse text that starts like HTML, SVG or XML, that is not UTF-8, or that holds NUL bytes."""
    markup = _markup(head)
    if markup is not None:
        raise ValidationError(
            _("This file is not plain text: its content looks like %(format)s."),
            code="invalid_content",
            params={"format": markup},
        )
    if not _is_utf8_text(file):
        raise ValidationError(_("This file is not plain UTF-8 text."), code="invalid_content")


def _is_utf8_text(file) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in file.chunks():
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    return True
