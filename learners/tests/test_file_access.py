"""Uploaded files go only to those who may see a page that uses them, through every door.

Documents (Wagtail's `/documents/<id>/<name>`) and videos (`/media-files/<id>/<name>`) follow one rule
(learners.files): admins, the uploader and whoever may choose the file in the admin; then anyone who may
see a page using it (live, passing its view restrictions) and, for a lesson's material, is enrolled in
its course or teaches it. The files are real uploads through the API, as a teacher makes them.
"""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission, PageViewRestriction
from wagtailmedia.models import get_media_model

from courses import services
from courses.collections import own_collection, shared_collection
from courses.files import media_url, poster_url
from courses.tests.test_uploads import pdf, png, real
from learners.models import Role
from learners.services import learning

from .factories import UserFactory

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()
Media = get_media_model()
VIDEO = real("tiny.mp4")


def api_upload(client, name, content, title):
    response = client.post("/api/v1/media/", {"file": SimpleUploadedFile(name, content), "title": title}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def status_for(client, user, url) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


@pytest.fixture
def handout(teacher, as_user):
    """A PDF the teacher uploaded through the API."""
    return Document.objects.get(pk=api_upload(as_user(teacher), "handout.pdf", pdf(), "Handout")["id"])


@pytest.fixture
def video(teacher, as_user):
    """A real MP4 the teacher uploaded through the API, with a poster added as in the admin."""
    media = Media.objects.get(pk=api_upload(as_user(teacher), "intro.mp4", VIDEO, "Intro")["id"])
    media.thumbnail = ContentFile(png(), name="intro-poster.png")
    media.save()
    return media


@pytest.fixture
def course(make_course, teacher, handout, video):
    """A published course whose first lesson offers the handout and plays the video."""
    course = make_course(title="Published", lessons=0)
    services.add_lesson(
        course=course,
        by=teacher,
        title="Materials",
        body=[{"type": "video", "value": video.pk}, {"type": "file", "value": handout.pk}],
    )
    return course


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


# --- collections: uploads and choosers ---------------------------------------------------------------------------


@pytest.fixture
def files_of(as_user):
    """Each teacher's document, video and image, uploaded as they would."""

    def make(user, label):
        client = as_user(user)
        document = Document.objects.get(pk=api_upload(client, "notes.pdf", pdf(), f"{label} notes")["id"])
        media = Media.objects.get(pk=api_upload(client, "clip.mp4", VIDEO, f"{label} clip")["id"])
        image = Image.objects.create(
            title=f"{label} diagram",
            file=ContentFile(png(), name="diagram.png"),
            collection=own_collection(user),
            uploaded_by_user=user,
        )
        return {"document": document, "media": media, "image": image}

    return make


ADMIN_LISTS = {
    "document": ["/admin/documents/", "/admin/documents/chooser/"],
    "media": ["/admin/media/", "/admin/media/chooser/"],
    "image": ["/admin/images/", "/admin/images/chooser/"],
}


def test_teachers_choose_and_list_their_own_files_and_shared_ones(client, teacher, other_teacher, admin_user, files_of):
    mine, theirs = files_of(teacher, "Mine"), files_of(other_teacher, "Theirs")
    shared = Document.objects.create(
        title="Shared handbook", file=ContentFile(b"Hello\n", name="handbook.txt"), collection=shared_collection()
    )
    admins = Document.objects.create(title="Admins only", file=ContentFile(b"x\n", name="root.txt"))

    client.force_login(teacher)
    for kind, urls in ADMIN_LISTS.items():
        for url in urls:
            html = client.get(url).content.decode()
            assert mine[kind].title in html, url
            assert theirs[kind].title not in html, url
            assert theirs[kind].file.name.rsplit("/", 1)[-1] not in html or kind == "image", url
    chooser = client.get("/admin/documents/chooser/").content.decode()
    assert shared.title in chooser and admins.title not in chooser

    # Nor can they open another teacher's file in the admin.
    for url in (
        reverse("wagtaildocs:edit", args=[theirs["document"].pk]),
        reverse("wagtailmedia:edit", args=[theirs["media"].pk]),
        reverse("wagtailimages:edit", args=[theirs["image"].pk]),
        reverse("wagtaildocs_chooser:chosen", args=[theirs["document"].pk]),
        reverse("wagtailmedia:media_chosen", args=[theirs["media"].pk]),
        reverse("wagtailimages_chooser:chosen", args=[theirs["image"].pk]),
    ):
        assert client.get(url).status_code in (302, 403, 404), url

    client.force_login(admin_user)
    for kind, urls in ADMIN_LISTS.items():
        html = client.get(urls[1]).content.decode()
        assert mine[kind].title in html and theirs[kind].title in html, kind
    assert admins.title in client.get("/admin/documents/").content.decode()


def test_admin_uploads_of_a_teacher_land_in_their_collection_whatever_is_posted(client, teacher, other_teacher):
    theirs = own_collection(other_teacher)
    root = Collection.get_first_root_node()
    client.force_login(teacher)
    forms = [
        ("/admin/documents/add/", {"title": "Doc", "file": SimpleUploadedFile("notes.pdf", pdf())}, Document),
        (
            reverse("wagtailmedia:add", args=("video",)),
            {"title": "Vid", "file": SimpleUploadedFile("clip.mp4", VIDEO)},
            Media,
        ),
        ("/admin/images/add/", {"title": "Img", "file": SimpleUploadedFile("pic.png", png())}, Image),
    ]
    for collection in (theirs, root):
        for url, data, model in forms:
            for field in data.values():
                if hasattr(field, "seek"):
                    field.seek(0)
            response = client.post(url, {**data, "collection": collection.pk})
            assert response.status_code == 302, (url, response.content[:500])
            item = model.objects.latest("pk")
            assert item.collection == own_collection(teacher) and item.uploaded_by_user == teacher, url

    response = client.post("/admin/documents/multiple/add/", {"files[]": SimpleUploadedFile("more.pdf", pdf()), "collection": root.pk})
    assert response.json()["success"] is True
    assert Document.objects.latest("pk").collection == own_collection(teacher)

    # The form offers no choice of collection: there is one.
    assert 'name="collection"' not in client.get("/admin/documents/add/").content.decode()


def test_api_uploads_land_in_the_teachers_collection_and_the_admins_in_the_root(teacher, admin_user, as_user):
    document = Document.objects.get(pk=api_upload(as_user(teacher), "a.pdf", pdf(), "A")["id"])
    assert document.collection == own_collection(teacher)
    assert document.collection.get_parent().name == "Teachers"
    media = Media.objects.get(pk=api_upload(as_user(admin_user), "b.mp4", VIDEO, "B")["id"])
    assert media.collection == Collection.get_first_root_node()


def test_a_teachers_collection_is_theirs_for_good_and_closes_when_they_stop_teaching(teacher):
    collection = own_collection(teacher)
    group = Group.objects.get(name=f"Teacher #{teacher.pk}")
    assert teacher.groups.filter(pk=group.pk).exists()
    assert set(GroupCollectionPermission.objects.filter(group=group).values_list("collection", flat=True)) == {
        collection.pk
    }
    collection.name = "Renamed by an admin"
    collection.save()
    assert own_collection(teacher) == collection

    teacher.role = Role.STUDENT
    teacher.save()
    assert not teacher.groups.filter(pk=group.pk).exists()
    teacher.role = Role.TEACHER
    teacher.save()
    assert own_collection(teacher) == collection and teacher.groups.filter(pk=group.pk).exists()


def test_the_teachers_group_no_longer_reaches_the_root(teacher):
    teachers = Group.objects.get(name="Teachers")
    grants = GroupCollectionPermission.objects.filter(group=teachers)
    assert {grant.collection.name for grant in grants} == {"Shared"}
    # wagtailmedia has no "choose" permission: its chooser lists the videos one may change (one's own).
    assert {grant.permission.codename for grant in grants} == {"choose_image", "choose_document"}


def test_the_migration_moves_existing_teachers_uploads_out_of_the_root(teacher):
    from django.apps import apps

    root = Collection.get_first_root_node()
    teachers = Group.objects.get(name="Teachers")
    Group.objects.filter(name=f"Teacher #{teacher.pk}").delete()  # as before this change
    Collection.objects.filter(name__startswith=teacher.name).delete()
    migration = importlib.import_module("learners.migrations.0007_teacher_collections")
    from courses.collections import file_permissions

    for permission in file_permissions("add", "choose"):
        GroupCollectionPermission.objects.create(group=teachers, collection=root, permission=permission)
    old = Document.objects.create(title="Old", file=ContentFile(b"x\n", name="old.txt"), uploaded_by_user=teacher)

    migration.forwards(apps, None)
    migration.forwards(apps, None)  # and again, as on a second deploy: nothing more

    old.refresh_from_db()
    assert old.collection == own_collection(teacher) and old.collection.get_parent().name == "Teachers"
    assert not GroupCollectionPermission.objects.filter(group=teachers, collection=root).exists()
    assert Collection.objects.filter(name="Shared").count() == 1
    assert Collection.objects.filter(name="Teachers").count() == 1
    Collection.fix_tree()  # treebeard finds nothing to mend in the paths the migration wrote
    assert Collection.find_problems() == ([], [], [], [], [])


# --- putting a file on a page shares it: only files one may choose ----------------------------------------------


def test_the_api_refuses_a_lesson_with_another_teachers_file(teacher, other_teacher, make_course, as_user, handout, video):
    course = make_course(owner=other_teacher, title="Theirs", lessons=0)
    client = as_user(other_teacher)
    for block in ({"type": "file", "value": handout.pk}, {"type": "video", "value": video.pk}):
        response = client.post(f"/api/v1/courses/{course.pk}/lessons/", {"title": "Borrowed", "body": [block]})
        assert response.status_code == 400, response.content
        assert "is not one you may use" in str(response.json())
    assert not course.get_children().exists()

    shared = Document.objects.create(
        title="Shared", file=ContentFile(b"x\n", name="shared.txt"), collection=shared_collection()
    )
    own = Document.objects.get(pk=api_upload(client, "own.pdf", pdf(), "Own")["id"])
    body = [{"type": "file", "value": shared.pk}, {"type": "file", "value": own.pk}]
    response = client.post(f"/api/v1/courses/{course.pk}/lessons/", {"title": "Mine", "body": body})
    assert response.status_code == 201, response.content


def test_a_file_already_on_the_page_stays_when_its_teacher_edits_it(course, teacher, admin_user, as_user):
    archive = Document.objects.create(title="Archive", file=ContentFile(b"x\n", name="archive.txt"))  # the admins'
    lesson = course.get_children().get().specific
    body = [{"type": "file", "value": archive.pk}]
    services.update_lesson(lesson=lesson, by=admin_user, body=body)

    response = as_user(teacher).patch(f"/api/v1/lessons/{lesson.pk}/", {"title": "Renamed", "body": body})
    assert response.status_code == 200, response.content


def test_the_page_editor_refuses_another_teachers_file(client, teacher, other_teacher, make_course, handout):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    course = make_course(owner=other_teacher, title="Theirs", lessons=1)
    lesson = course.get_children().get().specific
    client.force_login(other_teacher)
    data = nested_form_data(
        {"title": lesson.title, "slug": lesson.slug, "body": streamfield([("file", handout.pk)]), "duration_minutes": 5}
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), data)
    assert response.status_code == 200
    assert f"File {handout.pk} is not one you may use" in response.content.decode()
    lesson.refresh_from_db()
    assert not any(block.block_type == "file" for block in lesson.get_latest_revision_as_object().body)

    mine = Document.objects.create(
        title="Mine", file=ContentFile(b"x\n", name="mine.txt"), uploaded_by_user=other_teacher,
        collection=own_collection(other_teacher),
    )
    data = nested_form_data(
        {"title": lesson.title, "slug": lesson.slug, "body": streamfield([("file", mine.pk)]), "duration_minutes": 5}
    )
    assert client.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), data).status_code == 302


def test_the_admins_other_file_views_keep_to_the_same_scope(client, teacher, other_teacher, admin_user, files_of):
    mine, theirs = files_of(teacher, "Mine"), files_of(other_teacher, "Theirs")
    client.force_login(teacher)
    for kind in ("documents", "images"):
        titles = [item["title"] for item in client.get(f"/admin/api/main/{kind}/").json()["items"]]
        assert titles == [mine["document" if kind == "documents" else "image"].title], kind
    for app, model, item in (("wagtaildocs", "document", "document"), ("wagtailimages", "image", "image")):
        url = reverse("wagtail_bulk_action", args=[app, model, "delete"])
        html = client.get(f"{url}?id={theirs[item].pk}&id={mine[item].pk}").content.decode()
        assert mine[item].title in html and theirs[item].title not in html, model
    assert client.get(reverse("wagtailmedia:media_usage", args=[theirs["media"].pk])).status_code in (302, 403)
    assert client.get(reverse("wagtailmedia:media_usage", args=[mine["media"].pk])).status_code == 200

    client.force_login(admin_user)
    titles = {item["title"] for item in client.get("/admin/api/main/documents/").json()["items"]}
    assert titles == {mine["document"].title, theirs["document"].title}
