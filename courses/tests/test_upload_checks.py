"""Uploads: the content checks (courses/uploads.py) and their limits from settings.

The videos and audio under files/ are real (one second made with ffmpeg); PDFs, office files and
the hostile files are built in upload_files.py.
"""

import pytest

from courses import uploads
from courses.tests.upload_files import HTML, MB, POLYGLOT, SVG, docx, pdf, png, real, refusal, upload

# The checks themselves


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("intro.mp4", real("tiny.mp4"), "video"),
        ("intro.webm", real("tiny.webm"), "video"),
        ("intro.ogv", real("tiny.ogv"), "video"),
        ("intro.ogg", real("tiny.ogv"), "video"),  # an Ogg file with a Theora stream
        ("intro.MOV", real("tiny.mp4"), "video"),  # the ISO family, any case
        ("podcast.mp3", real("tiny.mp3"), "audio"),
        ("podcast.ogg", real("tiny.ogg"), "audio"),
        ("notes.pdf", pdf(), "document"),
        ("notes.docx", docx(), "document"),
        ("notes.zip", docx(), "document"),
        ("notes.txt", "Привет, мир\n".encode(), "document"),
        ("readme.md", b'<div align="center">\n\n# Course\n</div>\n', "document"),
        ("grades.csv", b"\xef\xbb\xbfname,score\nAda,5\n", "document"),
    ],
)
def test_real_files_are_classified(name, content, kind):
    assert uploads.classify(upload(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lesson.mp4", HTML, "This file is not a video: its content looks like HTML."),
        ("lesson.mp4", SVG, "This file is not a video: its content looks like SVG."),
        ("lesson.mp4", POLYGLOT, "This file is not a video: its content looks like GIF."),
        ("lesson.mp4", b"\n  <?xml version='1.0'?><note/>", "This file is not a video: its content looks like XML."),
        (
            "lesson.mp4",
            b"<!doctype html><svg onload=alert(1)>",
            "This file is not a video: its content looks like HTML.",
        ),
        ("lesson.webm", real("tiny.mp4"), "This file is not a video: its content looks like MP4."),
        ("lesson.ogv", real("tiny.ogg"), "This file is not a video: its content looks like OGG."),
        ("lesson.mp4", b"just some bytes", "This file is not a video in a format this site accepts."),
        ("talk.mp3", real("tiny.mp4"), "This file is not an audio file: its content looks like MP4."),
        ("notes.pdf", HTML, "This file is not a real .pdf file: its content looks like HTML."),
        ("notes.pdf", SVG, "This file is not a real .pdf file: its content looks like SVG."),
        ("notes.pdf", POLYGLOT, "This file is not a real .pdf file: its content looks like GIF."),
        ("notes.docx", pdf(), "This file is not a real .docx file: its content looks like PDF."),
        ("notes.docx", b"PK\x03\x04" + HTML, "This file is not a real .docx file."),
        ("notes.txt", HTML, "This file is not plain text: its content looks like HTML."),
        (
            "notes.md",
            b"\xef\xbb\xbf \n<svg onload='alert(1)'/>",
            "This file is not plain text: its content looks like SVG.",
        ),
        ("notes.csv", b"<script>alert(1)</script>", "This file is not plain text: its content looks like HTML."),
        ("notes.csv", b"a,b\x00,c\n", "This file is not plain UTF-8 text."),
        ("notes.txt", b"caf\xe9 cr\xe8me\n", "This file is not plain UTF-8 text."),
        ("page.html", HTML, "Files of type .html are not accepted here."),
        ("drawing.svg", SVG, "Files of type .svg are not accepted here."),
        ("setup.exe", b"MZ\x90\x00", "Files of type .exe are not accepted here."),
        ("README", b"hello", "The file name has no extension."),
        ("empty.pdf", b"", "The file is empty."),
    ],
)
def test_files_that_are_not_what_their_name_says_are_refused(name, content, message):
    error = refusal(uploads.classify, name, content)
    assert error.messages[0].startswith(message)
    assert error.code in {"invalid_content", "file_type", "empty"}


def test_each_validator_accepts_only_its_own_kind():
    uploads.validate_video(upload("a.mp4", real("tiny.mp4")))
    uploads.validate_audio(upload("a.mp3", real("tiny.mp3")))
    uploads.validate_document(upload("a.pdf", pdf()))
    uploads.validate_image(upload("a.png", png()))
    assert refusal(uploads.validate_video, "a.mp3", real("tiny.mp3")).code == "file_type"
    assert refusal(uploads.validate_document, "a.mp4", real("tiny.mp4")).code == "file_type"
    assert refusal(uploads.validate_image, "a.svg", SVG).code == "file_type"
    assert refusal(uploads.validate_image, "a.png", HTML).messages == [
        "This file is not an image: its content looks like HTML."
    ]


def test_size_limits_come_from_settings(settings, db):
    settings.UPLOAD_MAX_DOCUMENT_MB = 1
    settings.UPLOAD_MAX_VIDEO_MB = 1
    big_pdf = pdf() + b"\n%" + b"0" * MB
    error = refusal(uploads.validate_document, "big.pdf", big_pdf)
    assert error.code == "file_too_large"
    assert error.messages[0].startswith("This file is too large")
    assert refusal(uploads.validate_video, "big.mp4", real("tiny.mp4") + b"\0" * MB).code == "file_too_large"
    settings.UPLOAD_MAX_DOCUMENT_MB = 2
    uploads.validate_document(upload("big.pdf", big_pdf))


def test_type_lists_from_settings_narrow_what_is_accepted(settings):
    settings.UPLOAD_VIDEO_EXTENSIONS = ["WEBM", "avi"]  # avi: no content rule, so never accepted
    assert uploads.accepted_extensions("video") == ["webm"]
    assert refusal(uploads.validate_video, "a.mp4", real("tiny.mp4")).code == "file_type"
