"""Who may do what, at every door.

- Roles: every API route and the admin's main object URLs × anonymous, student, another student,
  teacher, another teacher and admin, with the expected outcome in each cell. One world per route:
  teacher's course A (lesson 1 done by the student, lesson 2 with a quiz, lesson 3), another teacher's
  course B, the student's review and certificate of A.
- Scope: every URL of the Wagtail admin, as Django's URL resolver lists them (not a hand list, so a view
  is covered the day it appears), opened by a teacher with the ids of another teacher's things: their
  course, lesson, quiz, files, their learner's enrollment, attempt, review and certificate, and one of
  every other kind of admin object. Each answer is a refusal, and none shows any of the other teacher's
  secrets (the quiz's answer key, their learner's email, ...). A URL whose parameters this file cannot
  fill fails the test until it is given an object below or a commented place on an allow-list.

Each request runs in a savepoint that is rolled back, so no cell sees another cell's changes.
"""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.admin.models import EditingSession
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.log_actions import log
from wagtail.models import GroupApprovalTask, Page, Site, UploadedFile, Workflow, WorkflowTask
from wagtailmedia.models import get_media_model

from courses import services as authoring
from courses.collections import upload_collection
from courses.models import Category
from learners.models import Certificate, Review
from learners.services import learning
from learners.tests.factories import UserFactory
from lms.models import PortalSettings
from quizzes.services import replace_quiz

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "student", "other_student", "teacher", "other_teacher", "admin"]
QUIZ = [{"text": "2 + 2?", "kind": "single", "choices": [{"text": "4", "correct": True}, {"text": "5"}]}]


@pytest.fixture
def world(make_course, student, other_student, teacher, other_teacher, admin_user):
    course = make_course(owner=teacher, title="Course A", lessons=3)
    other_course = make_course(owner=other_teacher, title="Course B", lessons=1)
    first, second, third = course.lessons()
    quiz = replace_quiz(lesson=second, by=teacher, title="Quiz", questions=QUIZ)
    learning.enroll(learner=student, course=course)
    learning.complete_lesson(learner=student, lesson=first)
    review = Review.objects.create(learner=student, course=course, rating=5, text="Great")
    certificate = Certificate.objects.create(
        code="MATRXCDE234567ABCDEF",
        learner=student,
        course=course,
        learner_name=student.name,
        course_title=course.title,
    )
    users = {
        "student": student,
        "other_student": other_student,
        "teacher": teacher,
        "other_teacher": other_teacher,
        "admin": admin_user,
    }
    return {
        "course": course.pk,
        "other_course": other_course.pk,
        "lesson1": first.pk,
        "lesson2": second.pk,
        "lesson3": third.pk,
        "quiz": quiz.pk,
        "review": review.pk,
        "code": certificate.code,
        "certificate": certificate.pk,
        "student": student.pk,
        "settings": PortalSettings.load().pk,
        "users": users,
    }


def api_client(world, actor):
    if actor == "anonymous":
        return APIClient()
    client = APIClient()
    client.force_authenticate(world["users"][actor])
    return client


def outcome(call):
    """Run one request in a savepoint rolled back afterwards."""
    with transaction.atomic():
        response = call()
        transaction.set_rollback(True)
    return response.status_code


# (method, path template, body, expected statuses in ACTORS order)
API_MATRIX = [
    ("get", "/api/v1/me/", None, [401, 200, 200, 200, 200, 200]),
    ("patch", "/api/v1/me/", {"name": "New name"}, [401, 200, 200, 200, 200, 200]),
    ("get", "/api/v1/users/", None, [401, 403, 403, 403, 403, 200]),
    (
        "post",
        "/api/v1/users/",
        {"name": "N", "email": "n@example.com", "password": "Sturdy-pass-91"},
        [401, 403, 403, 403, 403, 201],
    ),
    ("get", "/api/v1/users/{student}/", None, [401, 403, 403, 403, 403, 200]),
    ("patch", "/api/v1/users/{student}/", {"role": "admin"}, [401, 403, 403, 403, 403, 200]),
    ("delete", "/api/v1/users/{student}/", None, [401, 403, 403, 403, 403, 204]),
    ("get", "/api/v1/courses/", None, [200] * 6),
    ("post", "/api/v1/courses/", {"title": "New course", "summary": "A new one"}, [401, 403, 403, 201, 201, 201]),
    ("get", "/api/v1/courses/{course}/", None, [200] * 6),
    ("patch", "/api/v1/courses/{course}/", {"summary": "Changed"}, [401, 403, 403, 200, 403, 200]),
    ("delete", "/api/v1/courses/{course}/", None, [401, 403, 403, 204, 403, 204]),
    ("post", "/api/v1/courses/{course}/lessons/", {"title": "Extra"}, [401, 403, 403, 201, 403, 201]),
    ("get", "/api/v1/categories/", None, [200] * 6),
    ("get", "/api/v1/lessons/{lesson1}/", None, [401, 200, 403, 200, 403, 200]),
    ("get", "/api/v1/lessons/{lesson3}/", None, [401, 403, 403, 200, 403, 200]),
    ("patch", "/api/v1/lessons/{lesson1}/", {"title": "Changed"}, [401, 403, 403, 200, 403, 200]),
    ("delete", "/api/v1/lessons/{lesson3}/", None, [401, 403, 403, 204, 403, 204]),
    ("post", "/api/v1/media/", {"title": "No file"}, [401, 403, 403, 415, 415, 415]),  # uploads are multipart
    ("post", "/api/v1/courses/{course}/enroll/", None, [401, 409, 201, 201, 201, 201]),
    ("delete", "/api/v1/courses/{course}/enroll/", None, [401, 204, 404, 404, 404, 404]),
    ("get", "/api/v1/me/enrollments/", None, [401, 200, 200, 200, 200, 200]),
    ("post", "/api/v1/lessons/{lesson1}/complete/", None, [401, 200, 403, 403, 403, 403]),
    ("post", "/api/v1/lessons/{lesson2}/complete/", None, [401, 409, 403, 403, 403, 403]),
    ("get", "/api/v1/lessons/{lesson2}/quiz/", None, [401, 200, 403, 200, 403, 200]),
    ("put", "/api/v1/lessons/{lesson2}/quiz/", {"title": "Q", "questions": QUIZ}, [401, 403, 403, 200, 403, 200]),
    ("post", "/api/v1/lessons/{lesson2}/quiz/attempts/", {"answers": []}, [401, 201, 403, 403, 403, 403]),
    ("get", "/api/v1/lessons/{lesson2}/quiz/attempts/", None, [401, 200, 403, 200, 403, 200]),
    ("get", "/api/v1/courses/{course}/reviews/", None, [200] * 6),
    ("post", "/api/v1/courses/{course}/reviews/", {"rating": 4}, [401, 409, 403, 403, 403, 403]),
    ("patch", "/api/v1/reviews/{review}/", {"rating": 4}, [401, 200, 403, 403, 403, 200]),
    ("delete", "/api/v1/reviews/{review}/", None, [401, 204, 403, 403, 403, 204]),
    ("get", "/api/v1/me/certificates/", None, [401, 200, 200, 200, 200, 200]),
    ("get", "/api/v1/certificates/{code}/", None, [200] * 6),
    ("get", "/api/v1/certificates/{code}/pdf/", None, [401, 200, 404, 404, 404, 200]),
    ("get", "/api/v1/certificates/{code}/credential/", None, [200] * 6),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), API_MATRIX, ids=[f"{m.upper()} {p}" for m, p, _b, _e in API_MATRIX]
)
def test_api_authorization(world, method, path, body, expected):
    url = path.format(**world)
    got = []
    for actor in ACTORS:
        client = api_client(world, actor)
        got.append(outcome(lambda client=client: getattr(client, method)(url, body, format="json")))
    assert dict(zip(ACTORS, got, strict=True)) == dict(zip(ACTORS, expected, strict=True))


# Admin object URLs: "ok" is a 200 page; "denied" is a redirect (to log in, or away with a message), a 403
# or a 404 — never the page. The scope part below opens every admin URL; these rows say who gets in.
ADMIN_MATRIX = [
    ("/admin/pages/{course}/edit/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/pages/{lesson1}/edit/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/pages/{course}/delete/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/quizzes/", ["denied", "denied", "denied", "ok", "ok", "ok"]),
    ("/admin/quizzes/edit/{quiz}/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/quizzes/inspect/{quiz}/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/quizzes/copy/{quiz}/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/quizzes/history/{quiz}/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/quizzes/usage/{quiz}/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/quizzes/delete/{quiz}/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/course-report/{course}/", ["denied", "denied", "denied", "ok", "denied", "ok"]),
    ("/admin/users/", ["denied", "denied", "denied", "denied", "denied", "ok"]),
    ("/admin/users/edit/{student}/", ["denied", "denied", "denied", "denied", "denied", "ok"]),
    ("/admin/reviews/inspect/{review}/", ["denied", "denied", "denied", "denied", "denied", "ok"]),
    ("/admin/certificates/edit/{certificate}/", ["denied", "denied", "denied", "denied", "denied", "ok"]),
    ("/admin/settings/lms/portalsettings/{settings}/", ["denied", "denied", "denied", "denied", "denied", "ok"]),
]


@pytest.mark.parametrize(("path", "expected"), ADMIN_MATRIX, ids=[p for p, _e in ADMIN_MATRIX])
def test_admin_authorization(world, client, path, expected):
    url = path.format(**world)
    got = []
    for actor in ACTORS:
        client.logout()
        if actor != "anonymous":
            client.force_login(world["users"][actor])
        status = outcome(lambda: client.get(url))
        got.append("ok" if status == 200 else "denied" if status in (302, 403, 404) else status)
    assert dict(zip(ACTORS, got, strict=True)) == dict(zip(ACTORS, expected, strict=True))


def test_a_teacher_cannot_reach_another_teachers_course_through_its_lessons(world, client):
    """The other teacher's course B: teacher A gets nowhere either (the matrix above covers A's course)."""
    client.force_login(world["users"]["teacher"])
    assert client.get(f"/admin/pages/{world['other_course']}/edit/").status_code in (302, 403)
    api = api_client(world, "teacher")
    assert api.patch(f"/api/v1/courses/{world['other_course']}/", {"title": "Mine"}, format="json").status_code == 403


# --- scope: every admin URL, with another teacher's things ---------------------------------------------------

# The other teacher's secrets: no answer to the teacher who is not theirs may contain one (searched in
# lower case, in the body and in a redirect's Location).
ANSWER_KEY = "answerkey-zq1"
SECRETS = {
    ANSWER_KEY: "the quiz's correct answer",
    "explanation-zq2": "the quiz's explanation",
    "quiztitle-zq3": "the quiz",
    "lessonbody-zq4": "the lesson's content",
    "teacherb-zq5": "the other teacher's email",
    "learnerb-zq6": "their learner's email",
    "learner b-zq7": "their learner's name",
    "reviewtext-zq8": "a review of their course",
    "zqcde2345abcdefghjk": "their learner's certificate",
    "document-zq9": "their document",
    "image-zq10": "their image",
    "media-zq11": "their video",
}


class Fixed(str):
    """A path parameter that names no object, filled with this value."""


# How the path parameters of each part of the admin are filled, by the longest route prefix (after
# "admin/") a URL starts with: a key of the `others` world (the id of the other teacher's object, or
# of one of each kind of object that no teacher owns), or a Fixed value. "?id" is the object put in
# the query string (`?id=`) of that part's URLs, as its choosers and listings take one.
FILL = {
    "pages/": {
        "page_id": "lesson",
        "pk": "lesson",
        "page_to_move_id": "lesson",
        "parent_page_id": "course",
        "destination_id": "course",
        "revision_id": "revision",
        "revision_id_a": "revision",
        "revision_id_b": "revision",
        "task_state_id": "task_state",
        "task_id": "task",
        "workflow_state_id": "workflow_state",
        "action_name": Fixed("approve"),
        "content_type_app_name": Fixed("courses"),
        "content_type_model_name": Fixed("lessonpage"),
        "app_label": Fixed("courses"),
        "model_name": Fixed("lessonpage"),
        "?id": "lesson",
    },
    "choose-page/": {"parent_page_id": "course", "?id": "lesson"},
    "api/main/^pages/": {"pk": "lesson", "action_name": Fixed("delete"), "?id": "lesson"},
    "api/main/^documents/": {"pk": "document", "?id": "document"},
    "api/main/^images/": {"pk": "image", "?id": "image"},
    "collections/": {"pk": "collection", "collection_id": "collection"},
    "workflows/": {
        "pk": "workflow",
        "page_pk": "lesson",
        "workflow_pk": "workflow",
        "task_id": "task",
        "app_label": Fixed("wagtailcore"),
        "model_name": Fixed("groupapprovaltask"),
    },
    "editing-sessions/": {
        "app_label": Fixed("wagtailcore"),
        "model_name": Fixed("page"),
        "object_id": "lesson",
        "session_id": "editing_session",
    },
    "settings/": {"app_name": Fixed("lms"), "model_name": Fixed("portalsettings"), "pk": "settings"},
    "forms/": {"page_id": "lesson"},
    "redirects/": {"redirect_id": "redirect"},
    "documents/": {
        "document_id": "document",
        "doc_id": "document",
        "pk": "document",
        "uploaded_file_id": "uploaded_document",
        "?id": "document",
    },
    "images/": {
        "image_id": "image",
        "pk": "image",
        "uploaded_file_id": "uploaded_image",
        "filter_spec": Fixed("original"),
        "?id": "image",
    },
    "media/": {"media_id": "media", "media_type": Fixed("video"), "?id": "media"},
    "snippets/": {"pk": "category", "?id": "category"},
    "enrollments/": {"pk": "enrollment", "?id": "enrollment"},
    "quiz-attempts/": {"pk": "attempt", "?id": "attempt"},
    "certificates/": {"pk": "certificate", "?id": "certificate"},
    "reviews/": {"pk": "review", "?id": "review"},
    "course-report/": {"course_id": "course"},
    "quizzes/": {"pk": "quiz", "?id": "quiz"},
    "sites/": {"pk": "site"},
    "users/": {"pk": "other_teacher", "?id": "other_teacher"},
    "groups/": {"pk": "group"},
}

# Bulk actions (`bulk/<app>/<model>/<action>/?id=...`): the object each registered model's are tried on.
BULK_OBJECTS = {
    "wagtailcore.page": "lesson",
    "wagtaildocs.document": "document",
    "wagtailimages.image": "image",
    "learners.user": "other_teacher",
    "courses.category": "category",
}

# Admin URLs that take ids and yet answer every teacher: none may show a secret all the same.
OPEN = {
    # The page chooser walks the whole tree, as the catalog does, to link to any page; it lists titles.
    "admin/choose-page/<int:parent_page_id>/",
    # Wagtail's explorer opens any page under the catalog, where teachers add their courses (Wagtail's
    # page permissions are given on the catalog): another teacher's course shows its title and its
    # lessons' titles (as the catalog does), never their content; each action on them is refused.
    "admin/pages/<int:parent_page_id>/",
    "admin/pages/<int:parent_page_id>/results/",
    "admin/api/main/^pages/<int:pk>/",  # the explorer's menu: the same titles, as JSON
    # Whether publishing would cancel the page's moderation: the names of the admins' workflow and task.
    "admin/pages/workflow/confirm_cancellation/<int:page_id>/",
    # A moderation task chosen for a workflow: the task's name. Tasks and workflows are the admins'.
    "admin/workflows/task_chooser/<int:task_id>/",
    # Ends the user's own editing session of that id, if they have one: another's is left as it is.
    "admin/editing-sessions/release/<int:session_id>/",
    # Categories are the catalog's shared facets (public in the API), chosen for any course.
    "admin/snippets/choose/courses/category/chosen/<str:pk>/",
}

# Admin URLs not opened at all, each for the reason given.
SKIP = {
    # Wagtail's catch-all that answers 404 for any other path under /admin/.
    "admin/^.*/$",
    # Opening it would sign the teacher out (the sweep would then go on as an anonymous visitor).
    "admin/logout/",
    # Wagtail's own pages that raise an error on purpose, to test error pages.
    "admin/failwhale/",
    "admin/test404/",
    # Tag names are a vocabulary shared by every file and page; the URL names a model, not an object.
    "admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/",
    # A password reset link: a one-time token of its own, for signed-out users.
    "admin/password_reset/confirm/<uidb64>/<token>/",
}


def parameter_names(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    return []


def admin_url_patterns() -> list[tuple[str, str | None, list[str]]]:
    """(route, name to reverse, path parameters) of every URL pattern under /admin/, from the URL resolver."""
    found = []

    def walk(patterns, route, namespace, parameters):
        for entry in patterns:
            here = route + str(entry.pattern)
            names = parameters + parameter_names(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, here, ":".join(filter(None, [namespace, entry.namespace])), names)
            elif here.startswith("admin/"):
                name = entry.name and ":".join(filter(None, [namespace, entry.name]))
                found.append((here, name, names))

    walk(get_resolver().url_patterns, "", "", [])
    return found


# A path parameter in a route (`<int:pk>`); a route made of plain words and these is built without a name.
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def plain(route: str) -> bool:
    return not any(sign in route for sign in "^$()\\")


def url_of(route: str, name: str | None, kwargs: dict) -> str:
    if name:
        return reverse(name, kwargs=kwargs)
    return "/" + PARAMETER.sub(lambda found: str(kwargs[found[1]]), route)


def fill_for(route: str) -> dict:
    """The parameters known for a route: those of every FILL prefix it starts with, the longest winning."""
    known = {}
    for prefix in sorted(FILL, key=len):
        if route.startswith("admin/" + prefix):
            known.update(FILL[prefix])
    return known


def bulk_models() -> list[tuple[str, str, str]]:
    bulk_action_registry.get_bulk_actions_for_model("", "")  # makes the registry read the hooks
    return [
        (app_label, model_name, action)
        for app_label, models in bulk_action_registry.actions.items()
        for model_name, actions in models.items()
        for action in actions
    ]


def unknown_admin_urls() -> list[str]:
    """Admin URLs that this file cannot build or fill: each needs a name or an object in FILL, or a place in SKIP."""
    unknown = []
    for route, name, parameters in admin_url_patterns():
        if route in SKIP:
            continue
        if not (name or plain(route)):
            unknown.append(f"{route} (neither a name nor a plain path)")
            continue
        if not parameters:
            continue
        if route.startswith("admin/bulk/"):
            unknown += [
                f"bulk {app}.{model}" for app, model, _a in bulk_models() if f"{app}.{model}" not in BULK_OBJECTS
            ]
            continue
        if missing := set(parameters) - set(fill_for(route)):
            unknown.append(f"{route} ({', '.join(sorted(missing))})")
    return unknown


def admin_urls(others) -> tuple[list[str], list[str]]:
    """Every admin URL filled with the other teacher's objects: (those naming an object, all the others)."""
    scoped, unscoped = [], []
    for route, name, parameters in admin_url_patterns():
        if route in SKIP:
            continue
        if route.startswith("admin/bulk/"):
            for app, model, action in bulk_models():
                url = reverse(name, kwargs={"app_label": app, "model_name": model, "action": action})
                unscoped.append(f"{url}?id={others[BULK_OBJECTS[f'{app}.{model}']]}")
            continue
        known = fill_for(route)
        kwargs = {p: known[p] if isinstance(known[p], Fixed) else others[known[p]] for p in parameters}
        url = url_of(route, name, kwargs)
        if "?id" in known:
            url += f"?id={others[known['?id']]}"
        names_an_object = any(not isinstance(known[p], Fixed) for p in parameters)
        (scoped if names_an_object and route not in OPEN else unscoped).append(url)
    return scoped, unscoped


@pytest.fixture
def others(make_course, make_image, other_teacher):
    """The other teacher's course with a lesson and its quiz, their learner's records, their files, each
    carrying a secret; and one of each other kind of object an admin URL names."""
    other_teacher.email = "teacherb-zq5@example.com"
    other_teacher.save(update_fields=["email"])
    course = make_course(owner=other_teacher, title="Course B", lessons=0)
    lesson = authoring.add_lesson(
        course=course, by=other_teacher, title="Lesson B", body=[{"type": "text", "value": "<p>lessonbody-zq4</p>"}]
    )
    questions = [
        {
            "text": "Which one?",
            "kind": "single",
            "explanation": "explanation-zq2",
            "choices": [{"text": ANSWER_KEY, "correct": True}, {"text": "Decoy"}],
        }
    ]
    quiz = replace_quiz(lesson=lesson, by=other_teacher, title="quiztitle-zq3", questions=questions)
    log(instance=quiz, action="wagtail.create", user=other_teacher)  # as the quiz editor does
    learner = UserFactory(email="learnerb-zq6@example.com", name="Learner B-zq7")
    enrollment = learning.enroll(learner=learner, course=course)
    attempt = learning.submit_quiz(learner=learner, lesson=lesson, answers=[]).attempt
    review = Review.objects.create(learner=learner, course=course, rating=2, text="reviewtext-zq8")
    certificate = Certificate.objects.create(
        code="ZQCDE2345ABCDEFGHJK", learner=learner, course=course, learner_name=learner.name, course_title=course.title
    )

    collection = upload_collection(other_teacher)
    document = get_document_model().objects.create(
        title="document-zq9",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="notes.pdf"),
        collection=collection,
        uploaded_by_user=other_teacher,
    )
    image = make_image(title="image-zq10")
    image.collection, image.uploaded_by_user = collection, other_teacher
    image.save()
    media = get_media_model().objects.create(
        title="media-zq11",
        file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="talk.mp4"),
        type="video",
        collection=collection,
        uploaded_by_user=other_teacher,
    )

    def upload(model):
        return UploadedFile.objects.create(
            file=ContentFile(b"upload", name="upload.bin"),
            for_content_type=ContentType.objects.get_for_model(model),
            uploaded_by_user=other_teacher,
        ).pk

    workflow = Workflow.objects.create(name="Review B")
    task = GroupApprovalTask.objects.create(name="Approve B")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow_state = workflow.start(lesson, other_teacher)
    return {
        "course": course.pk,
        "lesson": lesson.pk,
        "revision": lesson.latest_revision_id,
        "quiz": quiz.pk,
        "enrollment": enrollment.pk,
        "attempt": attempt.pk,
        "review": review.pk,
        "certificate": certificate.pk,
        "other_teacher": other_teacher.pk,
        "collection": collection.pk,
        "document": document.pk,
        "image": image.pk,
        "media": media.pk,
        "uploaded_document": upload(get_document_model()),
        "uploaded_image": upload(type(image)),
        "workflow": workflow.pk,
        "task": task.pk,
        "workflow_state": workflow_state.pk,
        "task_state": workflow_state.current_task_state.pk,
        "editing_session": EditingSession.objects.create(
            user=other_teacher,
            content_type=ContentType.objects.get_for_model(Page),
            object_id=str(lesson.pk),
            last_seen_at=timezone.now(),
        ).pk,
        "redirect": Redirect.objects.create(old_path="/old-lesson-b", redirect_page=lesson).pk,
        "settings": PortalSettings.load().pk,
        "category": Category.objects.create(name="Category B", slug="category-b").pk,
        "site": Site.objects.get(is_default_site=True).pk,
        "group": other_teacher.groups.order_by("pk").first().pk,
    }


def answer_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return (content.decode(errors="replace") + response.get("Location", "")).lower()


def refused(response) -> bool:
    """Turned away: 401 or 403, 404, 405 (a POST-only view opened with GET), or sent to log in or to the
    dashboard (Wagtail's answer to a refused admin view, with a message)."""
    if response.status_code == 302:
        location = response["Location"]
        return location == reverse("wagtailadmin_home") or location.startswith(reverse("wagtailadmin_login"))
    return response.status_code in (401, 403, 404, 405)


def sweep(client, user, requests, *, must_refuse: bool) -> list[str]:
    """Make each (method, url) request as the user, each rolled back; say what went wrong."""
    problems = []
    for method, url in requests:
        client.force_login(user)  # again each time, whatever the last view did to the session
        try:
            with transaction.atomic():
                response = getattr(client, method)(url)
                transaction.set_rollback(True)
        except Exception as error:  # a view that fails is one more finding to report
            problems.append(f"{method.upper()} {url}: raised {error!r}")
            continue
        if must_refuse and response.status_code == 302 and not refused(response):
            # Sent on to another view (revisions to history, say): that one must refuse.
            response = client.get(response["Location"])
        if must_refuse and not refused(response):
            problems.append(f"{method.upper()} {url}: answered {response.status_code} instead of refusing")
        text = answer_text(response)
        problems += [f"{method.upper()} {url}: shows {what}" for marker, what in SECRETS.items() if marker in text]
    return problems


def test_every_admin_url_with_an_id_is_covered():
    """A new admin view that names an object fails here until the sweep below can give it one (FILL,
    BULK_OBJECTS) or it is allow-listed with a reason (OPEN, SKIP); stale allow-list entries fail too."""
    assert unknown_admin_urls() == []
    routes = {route for route, _name, _parameters in admin_url_patterns()}
    assert (OPEN | SKIP) - routes == set()


def test_a_teacher_gets_nothing_of_another_teachers_through_any_admin_url(client, teacher, others):
    scoped, _unscoped = admin_urls(others)
    assert len(scoped) > 100  # the resolver was read (about 130 URLs name an object today)
    requests = [(method, url) for url in scoped for method in ("get", "post")]
    problems = sweep(client, teacher, requests, must_refuse=True)
    assert not problems, "\n".join(problems)


def test_no_admin_page_shows_a_teacher_another_teachers_secrets(client, teacher, others):
    """Listings, choosers, reports, add forms: open to teachers or not, none shows the other teacher's things."""
    _scoped, unscoped = admin_urls(others)
    problems = sweep(client, teacher, [("get", url) for url in unscoped], must_refuse=False)
    assert not problems, "\n".join(problems)


def test_an_admin_url_with_an_id_that_is_no_key_answers_404(client, admin_user):
    """A `<str:pk>` URL takes any text: one that is no key of the model is not found, never a server error."""
    client.force_login(admin_user)
    assert client.post("/admin/reviews/hide/not-a-number/").status_code == 404


@pytest.mark.parametrize(
    ("who", "path", "marker"),
    [
        ("other_teacher", "/admin/quizzes/copy/{quiz}/", ANSWER_KEY),
        ("other_teacher", "/admin/quizzes/edit/{quiz}/", ANSWER_KEY),
        ("other_teacher", "/admin/quizzes/", "quiztitle-zq3"),
        ("other_teacher", "/admin/pages/{lesson}/edit/", "lessonbody-zq4"),
        ("other_teacher", "/admin/course-report/{course}/", "learnerb-zq6"),
        ("other_teacher", "/admin/documents/edit/{document}/", "document-zq9"),
        ("admin", "/admin/quizzes/copy/{quiz}/", ANSWER_KEY),
        ("admin", "/admin/quiz-attempts/inspect/{attempt}/", ANSWER_KEY),
        ("admin", "/admin/users/edit/{other_teacher}/", "teacherb-zq5"),
        ("admin", "/admin/enrollments/", "learnerb-zq6"),
        ("admin", "/admin/reviews/", "reviewtext-zq8"),
        ("admin", "/admin/certificates/", "zqcde2345abcdefghjk"),
        ("admin", "/admin/media/", "media-zq11"),
        ("admin", "/admin/images/", "image-zq10"),
        ("admin", "/admin/reports/site-history/", "quiztitle-zq3"),
    ],
)
def test_the_secrets_show_to_those_who_may_see_them(client, other_teacher, admin_user, others, who, path, marker):
    """The sweep looks for these markers: here they are found where they belong, so their absence means something."""
    client.force_login(other_teacher if who == "other_teacher" else admin_user)
    response = client.get(path.format(**others))
    assert response.status_code == 200
    assert marker in answer_text(response)
