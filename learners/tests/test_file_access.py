"""Uploaded files go only to those who may see a page that uses them, through every door.

Documents (Wagtail's `/documents/<id>/<name>`) and videos (`/media-files/<id>/<name>`) follow one rule
(learners.files): admins, the uploader and whoever may choose the file in the admin; then anyone who may
see a page using it (live, passing its view restrictions) and, for a lesson's material, is enrolled in
its course or teaches it. The files are real uploads through the API, as a teacher makes them.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.models import PageViewRestriction

from courses.collections import shared_collection
from courses.files import media_url, poster_url
from courses.tests.upload_files import pdf, png
from learners.models import Role
from learners.services import learning
from learners.tests.file_helpers import VIDEO, Document, api_upload

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def status_for(client, user, url) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


@pytest.fixture
def enrolled(course):
    learner = UserFactory(role=Role.STUDENT)
    learning.enroll(learner=learner, course=course)
    return learner


# --- documents -----------------------------------------------------------------------------------------------


def test_a_draft_courses_document_goes_to_its_teacher_and_the_admins_only(
    client, course, handout, teacher, other_teacher, student, enrolled, admin_user
):
    course.unpublish()  # its lessons stay live, but the course is not

    assert client.get(handout.url).status_code == 302  # anonymous: sent to log in
    assert client.get(handout.url)["Location"].startswith("/accounts/login/?next=/documents/")
    for outsider in (student, enrolled, other_teacher):
        assert status_for(client, outsider, handout.url) == 404, outsider
    for insider in (teacher, admin_user):
        client.force_login(insider)
        response = client.get(handout.url)
        assert response.status_code == 200, insider
        assert content_of(response) == pdf()
        assert "private" in response["Cache-Control"]


def test_a_never_published_lessons_document_is_the_teachers_alone(client, course, handout, teacher, enrolled):
    lesson = course.get_children().get().specific
    lesson.unpublish()
    assert status_for(client, enrolled, handout.url) == 404
    assert status_for(client, teacher, handout.url) == 200


def test_lesson_material_of_a_published_course_goes_to_its_learners(
    client, course, handout, enrolled, student, other_teacher, admin_user
):
    assert status_for(client, enrolled, handout.url) == 200
    assert status_for(client, admin_user, handout.url) == 200
    assert status_for(client, student, handout.url) == 404  # not enrolled
    assert status_for(client, other_teacher, handout.url) == 404
    assert status_for(client, None, handout.url) == 302

    learning.leave(learner=enrolled, course=course)
    assert status_for(client, enrolled, handout.url) == 404


def test_the_api_token_opens_what_the_session_would(course, handout, enrolled, student, as_user, api):
    assert as_user(enrolled).get(handout.url).status_code == 200
    assert as_user(student).get(handout.url).status_code == 404
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert api.get(handout.url).status_code == 404


def test_a_private_courses_material_follows_its_view_restriction(client, course, handout, video, enrolled, teacher):
    restriction = PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Cohort 1"))
    assert status_for(client, enrolled, handout.url) == 404
    assert status_for(client, enrolled, media_url(video)) == 404
    assert status_for(client, teacher, handout.url) == 200

    enrolled.groups.add(restriction.groups.get())
    assert status_for(client, enrolled, handout.url) == 200


def test_a_public_courses_own_file_goes_to_anyone(client, make_course, teacher, as_user):
    syllabus = Document.objects.get(pk=api_upload(as_user(teacher), "syllabus.pdf", pdf(), "Syllabus")["id"])
    course = make_course(title="Open", lessons=0)
    # A link to it in the course's description, as the admin's editor makes one.
    course.description = f'<p><a linktype="document" id="{syllabus.pk}">Syllabus</a></p>'
    course.save_revision(user=teacher).publish(user=teacher)
    response = client.get(syllabus.url)
    assert response.status_code == 200 and content_of(response) == pdf()

    course.unpublish()
    assert client.get(syllabus.url).status_code == 302


def test_a_file_on_the_live_home_page_goes_to_anyone(client, catalog, admin_user):
    from courses.models import HomePage

    leaflet = Document.objects.create(title="Leaflet", file=ContentFile(b"Welcome\n", name="leaflet.txt"))
    assert client.get(leaflet.url).status_code == 302
    home = HomePage.objects.get()
    home.intro = f'<p><a linktype="document" id="{leaflet.pk}">Our leaflet</a></p>'
    home.save_revision(user=admin_user).publish(user=admin_user)
    response = client.get(leaflet.url)
    assert response.status_code == 200 and content_of(response) == b"Welcome\n"


def test_a_file_used_by_no_page_stays_with_its_uploader_and_the_admins(
    client, handout, teacher, other_teacher, student, admin_user
):
    assert status_for(client, teacher, handout.url) == 200
    assert status_for(client, admin_user, handout.url) == 200
    assert status_for(client, other_teacher, handout.url) == 404
    assert status_for(client, student, handout.url) == 404


def test_shared_files_go_to_every_teacher_but_not_to_students(client, admin_user, teacher, student):
    document = Document.objects.create(
        title="House rules", file=ContentFile(b"Be kind.\n", name="rules.txt"), collection=shared_collection()
    )
    assert status_for(client, teacher, document.url) == 200
    assert status_for(client, student, document.url) == 404


def test_a_document_url_with_another_name_is_not_found(client, handout, teacher):
    client.force_login(teacher)
    assert client.get(f"/documents/{handout.pk}/other.pdf").status_code == 404


# --- videos ----------------------------------------------------------------------------------------------------


def test_a_lessons_video_plays_for_its_learners_only(client, course, video, enrolled, student, teacher):
    url = media_url(video)
    assert url == f"/media-files/{video.pk}/{video.filename}"

    client.force_login(enrolled)
    response = client.get(url)
    assert response.status_code == 200
    assert content_of(response) == VIDEO
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Accept-Ranges"] == "bytes"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    poster = client.get(poster_url(video))
    assert poster.status_code == 200 and content_of(poster) == png() and poster["Content-Type"] == "image/png"

    assert status_for(client, student, url) == 404
    assert status_for(client, student, poster_url(video)) == 404
    assert status_for(client, None, url) == 302
    course.unpublish()
    assert status_for(client, enrolled, url) == 404
    assert status_for(client, teacher, url) == 200


def test_videos_seek_with_byte_ranges(client, course, video, enrolled):
    client.force_login(enrolled)
    url, size = media_url(video), len(VIDEO)

    response = client.get(url, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert content_of(response) == VIDEO[10:20]
    assert response["Content-Range"] == f"bytes 10-19/{size}" and response["Content-Length"] == "10"

    response = client.get(url, HTTP_RANGE="bytes=0-")
    assert response.status_code == 206 and content_of(response) == VIDEO
    response = client.get(url, HTTP_RANGE="bytes=-16")
    assert response.status_code == 206 and content_of(response) == VIDEO[-16:]
    response = client.get(url, HTTP_RANGE=f"bytes={size - 4}-{size * 2}")
    assert response.status_code == 206 and content_of(response) == VIDEO[-4:]

    response = client.get(url, HTTP_RANGE=f"bytes={size}-")
    assert response.status_code == 416 and response["Content-Range"] == f"bytes */{size}"
    assert client.get(url, HTTP_RANGE="bytes=-0").status_code == 416

    # Ranges we do not read get the whole file, never an error.
    for header in ("bytes=5-2", "bytes=0-1,4-5", "pages=1-2", "bytes=" + "9" * 5000 + "-", "bytes=-"):
        response = client.get(url, HTTP_RANGE=header)
        assert response.status_code == 200 and content_of(response) == VIDEO, header


def test_a_video_url_with_another_name_or_method_is_refused(client, course, video, teacher):
    client.force_login(teacher)
    assert client.get(f"/media-files/{video.pk}/other.mp4").status_code == 404
    assert client.get(f"/media-files/{video.pk}/poster/other.png").status_code == 404
    assert client.get(f"/media-files/{10**17}/intro.mp4").status_code == 404
    assert client.post(media_url(video)).status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        "/documents/99999999999999999999/x.pdf",
        "/documents/1/a%00b.pdf",
        "/documents/authenticate_with_password/99999999999999999999/",
        "/media-files/1/a%00b.mp4",
        "/media-files/1/poster/%00",
        "/media/media/a%00b.mp4",
        "/media/media_thumbnails/%00.png",
    ],
)
def test_bad_file_addresses_are_refused_not_failed(client, teacher, path):
    client.force_login(teacher)
    assert client.get(path).status_code in (400, 404)


# --- no plain files ---------------------------------------------------------------------------------------------


def test_stored_paths_serve_nothing(client, course, video, handout, enrolled, make_image):
    # A video's stored path only leads to its checked address.
    for stored, checked in ((video.file, media_url(video)), (video.thumbnail, poster_url(video))):
        response = client.get(f"/media/{stored.name}")
        assert response.status_code == 302 and response["Location"] == checked
        assert client.get(response["Location"]).status_code == 302  # and there, to log in
    client.force_login(enrolled)
    assert client.get(f"/media/{video.file.name}", follow=True).status_code == 200

    assert client.get("/media/media/nothing.mp4").status_code == 404
    assert client.get(f"/media/{handout.file.name}").status_code == 404
    image = make_image()
    assert client.get(f"/media/{image.file.name}").status_code == 404  # an image's original
    rendition = image.get_rendition("max-100x100")
    assert client.get(rendition.url).status_code == 200  # what <img> tags show stays public


def test_lesson_page_and_api_give_the_checked_addresses(client, course, video, handout, enrolled, as_user):
    lesson = course.get_children().get().specific
    client.force_login(enrolled)
    html = client.get(lesson.url).content.decode()
    assert f'<source src="{media_url(video)}" type="video/mp4">' in html
    assert f'poster="{poster_url(video)}"' in html
    assert f'href="{handout.url}"' in html
    assert "/media/" not in html.split("<main", 1)[-1].split("</main>")[0].replace("/media-files/", "")

    body = as_user(enrolled).get(f"/api/v1/lessons/{lesson.pk}/").json()["body"]
    shown = {block["type"]: block["value"] for block in body}
    assert shown["video"]["url"] == f"http://testserver{media_url(video)}"
    assert shown["video"]["thumbnail"] == f"http://testserver{poster_url(video)}"
    assert shown["file"]["url"] == f"http://testserver{handout.url}"
    assert as_user(enrolled).get(shown["video"]["url"]).status_code == 200
