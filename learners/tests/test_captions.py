"""A video's captions track (issue 17): a WebVTT document on the lesson's video block.

Uploaded as a document (checked as WebVTT by content), chosen on the block with its language, label and kind,
rendered as the player's `<track>`, given in the lesson API's block, and served by the rule of every lesson
material (learners.files): to whoever may watch the lesson, to no one else.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.blocks import StructBlockValidationError
from wagtail.models import PageViewRestriction

from courses import services
from courses.blocks import CaptionedVideoBlock
from courses.models import LessonPage
from learners.models import Role
from learners.services import learning
from learners.tests.file_helpers import Document, api_upload

from .factories import UserFactory

pytestmark = pytest.mark.django_db

VTT = (
    "WEBVTT\n\n00:00:00.500 --> 00:00:04.000\nHello, and welcome.\n\n00:00:04.000 --> 00:00:08.000\nПривет!\n".encode()
)


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def track(teacher, as_user):
    """A WebVTT file the teacher uploaded through the API."""
    answer = api_upload(as_user(teacher), "intro.en.vtt", VTT, "Intro captions")
    assert answer["kind"] == "document"
    return Document.objects.get(pk=answer["id"])


def captioned_lesson(course, teacher, video, track, **captions) -> LessonPage:
    return services.add_lesson(
        course=course,
        by=teacher,
        title="Watch with captions",
        body=[{"type": "video", "value": {"video": video.pk, "captions": track.pk, **captions}}],
    )


@pytest.fixture
def lesson(make_course, teacher, video, track):
    """The first lesson of a published course: its video with the track."""
    return captioned_lesson(make_course(title="Captioned", lessons=0), teacher, video, track)


@pytest.fixture
def enrolled(lesson):
    learner = UserFactory(role=Role.STUDENT)
    learning.enroll(learner=learner, course=lesson.course)
    return learner


def status_for(client, user, url) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


# --- uploads ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("captions.vtt", b"\x1a\x45\xdf\xa3\x00\x00\x00\x00binary"),  # a WebM's first bytes: not text
        ("captions.vtt", b"WEBVTT\n\n\x00\x01\x02"),  # the signature, then binary
        ("captions.vtt", b"1\n00:00:01,000 --> 00:00:02,000\nAn SRT file\n"),  # text, but not WebVTT
        ("captions.vtt", b"WEBVTTX\n"),  # not the signature line
        ("captions.vtt", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_a_fake_vtt_upload_is_refused(teacher, as_user, name, content):
    response = as_user(teacher).post(
        "/api/v1/media/", {"file": SimpleUploadedFile(name, content), "title": "T"}, format="multipart"
    )
    assert response.status_code == 400, response.content
    assert not Document.objects.exists()


def test_a_vtt_upload_is_a_document(track):
    with track.open_file() as file:
        assert file.read() == VTT
    assert track.file_extension == "vtt"


# --- the block ---------------------------------------------------------------------------------------------------


def test_the_lesson_page_gives_the_player_its_track(client, lesson, track, enrolled):
    client.force_login(enrolled)
    html = client.get(lesson.url).content.decode()
    assert f'<track kind="captions" src="{track.url}" srclang="en" label="English">' in html


def test_the_track_takes_the_courses_language_unless_given(client, make_course, teacher, video, track):
    course = make_course(title="По-русски", lessons=0, language="ru")
    default = captioned_lesson(course, teacher, video, track)
    given = captioned_lesson(
        course, teacher, video, track, captions_language="en", captions_label="English (CC)", captions_kind="subtitles"
    )
    client.force_login(teacher)
    assert f'<track kind="captions" src="{track.url}" srclang="ru" label="Русский">' in client.get(default.url).text
    assert f'<track kind="subtitles" src="{track.url}" srclang="en" label="English (CC)">' in client.get(given.url).text


def test_a_video_without_captions_has_no_track(client, course, teacher):
    client.force_login(teacher)
    html = client.get(course.lessons().first().url).content.decode()
    assert "<video" in html and "<track" not in html


def test_a_video_stored_before_captions_reads_as_one_without(video):
    block = CaptionedVideoBlock()
    for value in (block.to_python(video.pk), block.bulk_to_python([video.pk])[0], block.normalize(video)):
        assert value["video"] == video and value["captions"] is None
    lesson = LessonPage(body=[{"type": "video", "value": video.pk}])
    assert lesson.video_ids == [video.pk]


def test_the_main_video_is_found_with_captions_too(lesson, video):
    assert lesson.video_ids == [video.pk]


def test_only_a_vtt_document_is_a_captions_track(handout, video, track):
    block = CaptionedVideoBlock()
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(block.to_python({"video": video.pk, "captions": handout.pk}))
    assert "captions" in refused.value.block_errors
    assert block.clean(block.to_python({"video": video.pk, "captions": track.pk}))["captions"] == track


@pytest.mark.parametrize(
    "value",
    [
        {"video": "VIDEO", "captions": "HANDOUT"},  # a PDF is no captions track
        {"video": "VIDEO", "captions": 999999},  # no such document
        {"video": "VIDEO", "captions": "TRACK", "captions_language": "xx"},
        {"video": "VIDEO", "captions": "TRACK", "captions_kind": "chapters"},
        {"video": "VIDEO", "captions": "TRACK", "captions_label": "x" * 61},
        {"video": "VIDEO", "captions": "TRACK", "captions_label": "nul\x00"},
        {"video": "VIDEO", "captions": "TRACK", "extra": 1},
        {"video": True, "captions": "TRACK"},
        {"captions": "TRACK"},
        {"video": 999999, "captions": "TRACK"},
    ],
)
def test_the_api_refuses_a_bad_captioned_video(course, teacher, as_user, video, handout, track, value):
    ids = {"VIDEO": video.pk, "HANDOUT": handout.pk, "TRACK": track.pk}
    value = {key: ids.get(item, item) if isinstance(item, str) else item for key, item in value.items()}
    before = course.get_children().count()
    response = as_user(teacher).post(
        f"/api/v1/courses/{course.pk}/lessons/",
        {"title": "L", "body": [{"type": "video", "value": value}]},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert course.get_children().count() == before


def test_the_api_takes_another_teachers_track_only_if_shared(course, other_teacher, as_user, video, teacher):
    """A captions file is a file on the page: its author may only choose files they may choose (courses.files)."""
    theirs = Document.objects.get(pk=api_upload(as_user(other_teacher), "theirs.vtt", VTT, "Theirs")["id"])
    response = as_user(teacher).post(
        f"/api/v1/courses/{course.pk}/lessons/",
        {"title": "L", "body": [{"type": "video", "value": {"video": video.pk, "captions": theirs.pk}}]},
        format="json",
    )
    assert response.status_code == 400, response.content


# --- the API ---------------------------------------------------------------------------------------------------


def test_the_lesson_api_gives_the_track(as_user, lesson, track, enrolled, course, teacher):
    body = as_user(enrolled).get(f"/api/v1/lessons/{lesson.pk}/").json()["body"]
    (video,) = (block["value"] for block in body if block["type"] == "video")
    assert video["captions"] == [
        {"url": f"http://testserver{track.url}", "language": "en", "label": "English", "kind": "captions"}
    ]
    assert {"id", "title", "url", "type", "duration", "thumbnail"} <= set(video)  # the fields it had
    assert as_user(enrolled).get(video["captions"][0]["url"]).status_code == 200

    plain = as_user(teacher).get(f"/api/v1/lessons/{course.lessons().first().pk}/").json()["body"]
    assert next(block["value"] for block in plain if block["type"] == "video")["captions"] == []


# --- serving -----------------------------------------------------------------------------------------------------


def test_the_track_goes_to_whoever_may_watch_the_lesson(client, lesson, track, enrolled, student, other_teacher):
    client.force_login(enrolled)
    response = client.get(track.url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vtt")
    assert content_of(response) == VTT
    assert "private" in response["Cache-Control"]

    assert status_for(client, student, track.url) == 404  # not enrolled
    assert status_for(client, other_teacher, track.url) == 404
    assert status_for(client, None, track.url) == 302  # sent to log in


def test_a_private_courses_track_follows_its_view_restriction(client, lesson, track, enrolled, teacher):
    restriction = PageViewRestriction.objects.create(page=lesson.course, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Cohort 1"))
    assert status_for(client, enrolled, track.url) == 404  # enrolled, but not of the course's group
    assert status_for(client, teacher, track.url) == 200

    enrolled.groups.add(restriction.groups.get())
    assert status_for(client, enrolled, track.url) == 200
