"""Teachers' files live in their own collections, and a page may only use files its editor may choose.

Uploads through the admin and the API land in the teacher's collection (admins' in the root); choosers and
listings show a teacher their own files and the shared ones; a page editor refuses another teacher's file.
The file access rule itself: test_file_access.py.
"""

import importlib
import threading

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from conftest import at_once
from courses import services
from courses.collections import own_collection, shared_collection
from courses.tests.upload_files import pdf, png
from learners.models import Role
from learners.tests.factories import UserFactory
from learners.tests.file_helpers import VIDEO, Document, Media, api_upload

pytestmark = pytest.mark.django_db
Image = get_image_model()


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


def test_giving_a_role_restores_what_its_group_lost_and_keeps_what_admins_added(teacher, catalog):
    """The role's group gets at least the role's rights whenever someone is given the role (learners.roles): an
    admin may widen it, and what was taken away comes back; the teacher's own collection keeps its two rights."""
    teachers = Group.objects.get(name="Teachers")
    own = Group.objects.get(name=f"Teacher #{teacher.pk}")
    rights = lambda group: set(group.permissions.values_list("codename", flat=True))  # noqa: E731
    before = rights(teachers)
    extra = Permission.objects.get(codename="add_image")
    teachers.permissions.remove(Permission.objects.get(codename="change_quiz"))
    teachers.permissions.add(extra)
    GroupPagePermission.objects.filter(group=teachers).delete()
    GroupCollectionPermission.objects.filter(group__in=[teachers, own]).delete()

    UserFactory(role=Role.TEACHER)
    teacher.save()

    assert rights(teachers) == before | {"add_image"}
    assert GroupPagePermission.objects.get(group=teachers).page_id == catalog.pk
    assert {grant.permission.codename for grant in GroupCollectionPermission.objects.filter(group=teachers)} == {
        "choose_image",
        "choose_document",
    }
    # The teacher's own group, left with no right on a collection, is given one again, to add and to choose.
    assert {grant.permission.codename for grant in GroupCollectionPermission.objects.filter(group=own)} == {
        "add_image",
        "add_document",
        "add_media",
        "choose_image",
        "choose_document",
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_teachers_made_at_once_leave_the_teachers_group_one_of_each_right(catalog, monkeypatch):
    """Both saves find the group lacking its right on the catalog and add it (held back until both have looked): one
    row, and neither save fails."""
    UserFactory(role=Role.TEACHER)
    teachers = Group.objects.get(name="Teachers")
    GroupPagePermission.objects.filter(group=teachers).delete()
    GroupCollectionPermission.objects.filter(group=teachers).delete()
    both_looked, add = threading.Barrier(2, timeout=10), GroupPagePermission.objects.bulk_create

    def when_both_looked(rows, **options):
        both_looked.wait()
        return add(rows, **options)

    monkeypatch.setattr(GroupPagePermission.objects, "bulk_create", when_both_looked)

    made = at_once([lambda: UserFactory(role=Role.TEACHER), lambda: UserFactory(role=Role.TEACHER)])

    assert all(user.groups.filter(pk=teachers.pk).exists() for user in made)
    assert GroupPagePermission.objects.filter(group=teachers).count() == 1
    assert GroupCollectionPermission.objects.filter(group=teachers).count() == 2  # choose images, documents
    assert teachers.permissions.count() == 5


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
