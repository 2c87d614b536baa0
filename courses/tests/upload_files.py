"""The files the upload tests send, real or built here, and a refusal's error.

The videos and audio under files/ are real (one second made with ffmpeg); PDFs, office files and
the hostile files are built here.
"""

import io
import zipfile
from functools import cache
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtailmedia.models import get_media_model

FILES = Path(__file__).parent / "files"
MB = 1024 * 1024

HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n'
# A GIF header in front of a page: what a browser sniffing for HTML might still render.
POLYGLOT = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;<html><script>alert(1)</script></html>"

Document = get_document_model()
Media = get_media_model()


def real(name: str) -> bytes:
    return (FILES / name).read_bytes()


@cache
def pdf() -> bytes:
    import weasyprint

    return weasyprint.HTML(string="<p>Lesson notes</p>").write_pdf()


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(validate, name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        validate(upload(name, content))
    return raised.value
