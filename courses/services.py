"""Authoring courses and lessons outside the Wagtail editor (the API, the demo seeder).

Each change is a real page revision, published and logged as the editor would, so that what the
API writes shows up in the editor's history and the other way round. Permission checks are the
pages' own (`courses.permissions`), the same ones the Wagtail admin asks.
"""

from anyascii import anyascii
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.actions.delete_page import DeletePageAction
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.blocks import StreamBlockValidationError
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, GroupPagePermission, Locale, Page, Site

from lms.errors import Denied

from .blocks import is_captioned_video
from .collections import grant, shared_collection
from .files import check_files_chosen, files_of
from .models import CourseIndexPage, CoursePage, HomePage, LessonPage
from .permissions import teachers_group

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "code", "blockquote", "hr"]


class NotAllowed(Denied):
    code = "not_course_teacher"


def clean_rich_text(html: str) -> str:
    """HTML from a client, reduced to what the rich text editor itself could have produced."""
    return EditorHTMLConverter(features=RICH_TEXT_FEATURES).to_database_format(html or "")


def available_slug(parent: Page, title: str, *, exclude: Page | None = None) -> str:
    base = slugify(anyascii(title))[:200] or "page"  # "Основы Python" → "osnovy-python"
    siblings = parent.get_children()
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _publish(page: Page, user) -> Page:
    revision = page.save_revision(user=user, log_action=True)  # cleans the page first (ValidationError)
    revision.publish(user=user)
    page.refresh_from_db()
    return page


def ensure_catalog() -> CourseIndexPage:
    """The catalog page, making the page tree, default site, locale and root collection if missing.

    A fresh database has them from migrations (`courses/migrations/0002_site_pages.py`); a flushed one
    (`manage.py flush`, transactional tests) does not. Teachers get their rights on a new catalog.
    """
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    found = CourseIndexPage.objects.first()
    if found is not None:
        return found
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(
            instance=HomePage(
                title="Learn something new",
                slug="home",
                intro_en="<p>Courses written by teachers, taken at your own pace, with quizzes and certificates.</p>",
            )
        )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "port": 80, "site_name": ""}
    )
    found = home.add_child(
        instance=CourseIndexPage(
            title="Courses",
            slug="courses",
            intro_en="<p>Every course of the portal. Pick one and start with its first lesson.</p>",
        )
    )
    if (group := teachers_group()) is not None:
        grant_teacher_access(group)
    return found


def catalog() -> CourseIndexPage:
    found = CourseIndexPage.objects.first()
    if found is None:
        raise ValidationError(_("The portal has no catalog page yet."))
    return found


@transaction.atomic
def create_course(*, teacher, title: str, summary: str = "", description: str = "", **fields) -> CoursePage:
    """A new published course in the catalog, owned (taught) by `teacher`."""
    parent = catalog()
    if not parent.permissions_for_user(teacher).can_add_subpage():
        raise NotAllowed(_("Only teachers and administrators may create courses."))
    course = CoursePage(
        title=title,
        slug=available_slug(parent, title),
        summary=summary,
        description=clean_rich_text(description),
        owner=teacher,
        live=False,  # a draft until its revision is published, as the editor makes pages
        **fields,
    )
    parent.add_child(instance=course)
    return _publish(course, teacher)


@transaction.atomic
def update_course(*, course: CoursePage, by, **fields) -> CoursePage:
    """Change a course and publish the change as a new revision."""
    if not course.permissions_for_user(by).can_edit():
        raise NotAllowed(_("Only the course's teacher and administrators may change it."))
    if "owner" in fields and not by.is_superuser:
        raise NotAllowed(_("Only administrators may give a course to another teacher."))
    page = course.get_latest_revision_as_object()
    if "description" in fields:
        fields["description"] = clean_rich_text(fields["description"])
    for name, value in fields.items():
        setattr(page, name, value)
    return _publish(page, by)


@transaction.atomic
def delete_page(*, page: Page, by) -> None:
    """Delete a course (with its lessons) or a lesson; learners' records are kept (they do not cascade)."""
    if not page.permissions_for_user(by).can_delete():
        raise NotAllowed(_("Only the course's teacher and administrators may delete it."))
    DeletePageAction(page, user=by).execute(skip_permission_checks=True)


def body_from_api(blocks) -> list:
    """Turn the API's `[{type, value}]` into a lesson body, or raise ValidationError({"body": ...})."""
    stream = LessonPage._meta.get_field("body").stream_block
    if not isinstance(blocks, list):
        raise ValidationError({"body": [_("Expected a list of blocks.")]})
    raw = []
    for number, item in enumerate(blocks):
        if not isinstance(item, dict) or "type" not in item or "value" not in item:
            raise ValidationError({"body": [_("Block %(n)s needs a type and a value.") % {"n": number}]})
        kind, value = item["type"], item["value"]
        if kind not in stream.child_blocks:
            raise ValidationError({"body": [_("Block %(n)s has an unknown type “%(type)s”.") % {"n": number, "type": kind}]})
        if kind == "text":
            if not isinstance(value, str):
                raise ValidationError({"body": [_("Block %(n)s: text must be HTML in a string.") % {"n": number}]})
            value = clean_rich_text(value)
        elif kind == "video" and isinstance(value, dict):
            if not is_captioned_video(value):  # a video with captions: {video, captions, captions_language, …}
                raise ValidationError({"body": [_("Block %(n)s: give the ids of an uploaded video and its captions file.") % {"n": number}]})
        elif kind in {"video", "file"} and (not isinstance(value, int) or isinstance(value, bool)):
            raise ValidationError({"body": [_("Block %(n)s: give the id of an uploaded file.") % {"n": number}]})
        raw.append({"type": kind, "value": value})
    try:
        value = stream.to_python(raw)
        stream.clean(value)
    except (StreamBlockValidationError, ValidationError, TypeError, ValueError) as error:
        raise ValidationError({"body": [_("Some blocks are not valid: check ids and values.")]}) from error
    if len(value) != len(raw):
        raise ValidationError({"body": [_("Some blocks are not valid: check ids and values.")]})
    return value


@transaction.atomic
def add_lesson(
    *, course: CoursePage, by, title: str, body=(), duration_minutes: int | None = None, **fields
) -> LessonPage:
    """Append a published lesson at the end of the course's syllabus. `fields`: others of the lesson
    (`require_watching`, `watch_percent`)."""
    if not course.permissions_for_user(by).can_add_subpage():
        raise NotAllowed(_("Only the course's teacher and administrators may add lessons."))
    lesson = LessonPage(
        title=title,
        slug=available_slug(course, title),
        body=body_from_api(list(body)),
        duration_minutes=duration_minutes,
        owner=by,
        live=False,  # a draft until its revision is published, as the editor makes pages
        **fields,
    )
    _check_files(lesson, by)
    course.add_child(instance=lesson)
    return _publish(lesson, by)


@transaction.atomic
def update_lesson(*, lesson: LessonPage, by, **fields) -> LessonPage:
    if not lesson.permissions_for_user(by).can_edit():
        raise NotAllowed(_("Only the course's teacher and administrators may change this lesson."))
    page = lesson.get_latest_revision_as_object()
    kept = files_of(page)
    if "body" in fields:
        fields["body"] = body_from_api(fields["body"])
    for name, value in fields.items():
        setattr(page, name, value)
    _check_files(page, by, kept)
    return _publish(page, by)


def _check_files(lesson: LessonPage, by, kept=frozenset()) -> None:
    """A lesson takes only the documents and videos its author may choose (courses.files), as in the editor."""
    try:
        check_files_chosen(by, files_of(lesson), kept)
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from error


def grant_teacher_access(group: Group) -> None:
    """Let a group author courses: add under the catalog, and choose the shared images, documents and videos.

    Each teacher uploads into a collection of their own, through a group of their own (courses.collections).
    """
    add_page = Permission.objects.get(content_type__app_label="wagtailcore", codename="add_page")
    held = GroupPagePermission.objects.filter(group=group, permission=add_page).values("page_id")
    GroupPagePermission.objects.bulk_create(
        [
            GroupPagePermission(group=group, page=catalog, permission=add_page)
            for catalog in CourseIndexPage.objects.exclude(pk__in=held).only("pk")
        ],
        ignore_conflicts=True,  # granted meanwhile by another request: held all the same
    )
    grant(group, shared_collection(), "choose")
