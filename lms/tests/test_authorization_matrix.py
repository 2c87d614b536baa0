"""Who may do what, at every door: the teachers' scope in the admin.

Every URL of the Wagtail admin, as Django's URL resolver lists them (not a hand list, so a view is covered
the day it appears), opened by a teacher with the ids of another teacher's things: their course, lesson,
quiz, files, their learner's enrollment, attempt, review and certificate, and one of every other kind of
admin object. Each answer is a refusal, and none shows any of the other teacher's secrets (the quiz's
answer key, their learner's email, ...). A URL whose parameters cannot be filled fails the test until it
is given an object or a commented place on an allow-list in admin_urls.py (which lists and fills them).

Each request runs in a savepoint that is rolled back. The roles × doors matrix: test_role_matrix.py.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.models import EditingSession
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
from lms.tests.admin_urls import OPEN, SKIP, admin_url_patterns, admin_urls, unknown_admin_urls
from quizzes.services import replace_quiz

pytestmark = pytest.mark.django_db


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
