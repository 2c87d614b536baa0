"""Pages of the public site for learners: sign up, log in, reset and change a password (the rest are Django's
own views), the Wagtail admin's login, password reset and password change and a private page's password form
with the same limits, enroll, leave, mark a lesson done, the lesson player's heartbeats, and "My learning"."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView
from wagtail.admin.views import account as wagtail_account
from wagtail.models import Page, PageViewRestriction

from courses.models import CoursePage, LessonPage
from courses.visibility import can_view
from lms.languages import remember_language
from lms.models import PortalSettings
from quizzes import services as quizzes
from quizzes.models import Attempt

from . import selectors, services
from .forms import (
    AdminLoginForm,
    AdminPasswordChangeForm,
    AdminPasswordResetForm,
    LoginForm,
    PagePasswordForm,
    PasswordChangeForm,
    PasswordResetForm,
    SignupForm,
)
from .models import Certificate, Enrollment
from .services import learning, refusals, watching


class LimitedFormViewMixin:
    """For the forms that count attempts (forms.LimitedAttemptsMixin): they get the request, and a refusal
    answers 429 with Retry-After, the form showing why."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.limit_reached is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.limit_reached.wait)
        return response


class SignupView(LimitedFormViewMixin, FormView):
    template_name = "registration/signup.html"
    form_class = SignupForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("/")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "registration_closed", not PortalSettings.load(request_or_site=self.request).registration_open
        )
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            user = services.register(**form.cleaned_data, language=translation.get_language())
        except PermissionDenied:
            return self.render_to_response(self.get_context_data(form=form, registration_closed=True), status=403)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        next_url = self.request.POST.get("next") or self.request.GET.get("next")
        if next_url and url_has_allowed_host_and_scheme(next_url, {self.request.get_host()}, self.request.is_secure()):
            return redirect(next_url)
        return redirect("/")


class LoginView(LimitedFormViewMixin, auth_views.LoginView):
    """The site's login. A language chosen on this browser before logging in is the learner's latest choice: the
    account takes it. A browser without one (another device, cleared cookies) gets the account's back."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response, user = super().form_valid(form), form.get_user()
        chosen = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in dict(settings.LANGUAGES):
            services.set_language(user=user, language=chosen)
            return response
        return remember_language(response, user.language)


class PasswordResetView(LimitedFormViewMixin, auth_views.PasswordResetView):
    form_class = PasswordResetForm


class AdminLoginView(LimitedFormViewMixin, wagtail_account.LoginView):
    """Wagtail's admin login (lms/urls.py mounts it at /admin/login/), counted like the site's."""

    def get_form_class(self):
        return AdminLoginForm


class AdminPasswordResetView(LimitedFormViewMixin, wagtail_account.PasswordResetView):
    """Wagtail's "forgot your password" (at /admin/password_reset/), counted like the site's."""

    def get_form_class(self):
        return AdminPasswordResetForm


class PasswordChangeView(LimitedFormViewMixin, auth_views.PasswordChangeView):
    """The site's password change, its old password counted like a login (forms.OldPasswordLimitMixin)."""

    form_class = PasswordChangeForm


class AdminChangePasswordPanel(wagtail_account.ChangePasswordPanel):
    """Wagtail's password panel with the counted form, made once: Wagtail asks for it again to render the page,
    and a new bound form would count the attempt again."""

    form_class = AdminPasswordChangeForm

    def get_form(self):
        if not hasattr(self, "_form"):
            post = self.request.POST if self.request.method == "POST" else {}
            # As Wagtail does: bound only when a new password is given, so that the other panels can be saved alone.
            bound = any(post.get(f"{self.name}-{field}") for field in ("new_password1", "new_password2"))
            self._form = self.form_class(self.user, post if bound else None, prefix=self.name, request=self.request)
        return self._form


class AdminAccountView(wagtail_account.AccountView):
    """Wagtail's account settings (lms/urls.py mounts it at /admin/account/), the old password of its password
    panel counted like a login. The panels (and their bound forms) are made once per request, so that
    rendering the page after a refusal does not count the attempt again."""

    def get_panels(self):
        if not hasattr(self, "_panels"):
            self._panels = [
                AdminChangePasswordPanel(panel.request, panel.user, panel.profile)
                if type(panel) is wagtail_account.ChangePasswordPanel
                else panel
                for panel in super().get_panels()
            ]
        return self._panels

    def post(self, request):
        response = super().post(request)
        for panel in self._panels:
            limit = getattr(panel.get_form(), "limit_reached", None)
            if limit is not None:
                response.status_code = 429
                response["Retry-After"] = str(limit.wait)
        return response


def page_password(request, page_view_restriction_id, page_id):
    """Wagtail's `authenticate_with_password` for a private page's shared password (lms/urls.py mounts it at
    Wagtail's address), with the login limits (forms.PagePasswordForm); a refusal answers 429 with Retry-After."""
    restriction = get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
    page = get_object_or_404(Page, id=page_id).specific
    if request.method == "POST":
        form = PagePasswordForm(request.POST, instance=restriction, request=request)
        if form.is_valid():
            return_url = form.cleaned_data["return_url"]
            if not url_has_allowed_host_and_scheme(return_url, request.get_host(), request.is_secure()):
                return_url = settings.LOGIN_REDIRECT_URL
            restriction.mark_as_passed(request)
            return redirect(return_url)
    else:
        form = PagePasswordForm(instance=restriction, request=request)
    action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id])
    response = page.serve_password_required_response(request, form, action_url)
    if form.limit_reached is not None:
        response.status_code = 429
        response["Retry-After"] = str(form.limit_reached.wait)
    return response


# --- learning ---------------------------------------------------------------------------------------


@require_POST
@login_required
def enroll(request, course_id):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        learning.enroll(learner=request.user, course=course, session=request.session)
        messages.success(request, _("You are enrolled. Enjoy the course!"))
    except learning.AlreadyEnrolled as error:
        messages.info(request, error.message)
    return redirect(course.url)


@require_POST
@login_required
def leave(request, course_id):
    course = get_object_or_404(CoursePage.objects.all(), pk=course_id)
    learning.leave(learner=request.user, course=course)
    messages.info(request, _("You left the course. Your progress is kept if you come back."))
    return redirect(course.url if course.live else "my-learning")


@require_POST
@login_required
def complete(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        progress = learning.complete_lesson(learner=request.user, lesson=lesson, session=request.session)
    except refusals.LearnerDenied as error:
        messages.error(request, str(error))
        return redirect(lesson.course.url)
    except learning.QuizRequired as error:
        messages.error(request, error.message)
        return redirect(lesson.url)
    if progress.complete:
        messages.success(request, _("Congratulations! You completed the course."))
        return redirect(lesson.course.url)
    following = lesson.get_next_siblings().live().type(LessonPage).first()
    return redirect(following.url if following else lesson.course.url)


@require_POST
@login_required
def video_progress(request, lesson_id):
    """A heartbeat of the lesson page's player (static/js/video-progress.js): the JSON `{media, ranges, position}`
    that `watching.record_heartbeat` takes, answered with the learner's progress in the video and whether this
    heartbeat completed the lesson. A body it cannot use answers 400, a refusal 403 with its `code`."""
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        heartbeat = _heartbeat_from(request.body)
        beat = watching.record_heartbeat(learner=request.user, lesson=lesson, session=request.session, **heartbeat)
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        return JsonResponse({"code": "invalid", "errors": errors}, status=400)
    except refusals.LearnerDenied as error:
        return JsonResponse({"code": error.code, "detail": str(error)}, status=403)
    return JsonResponse(beat.answer())


def _heartbeat_from(body: bytes) -> dict:
    """The heartbeat's fields from a JSON body; a ValidationError for anything else."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise ValidationError(_("Send the heartbeat as a JSON object.")) from None
    if not isinstance(data, dict):
        raise ValidationError(_("Send the heartbeat as a JSON object."))
    return {name: data.get(name) for name in ("media", "ranges", "position")}


@login_required
def my_learning(request):
    enrollments = list(selectors.my_enrollments(request.user, request.session))
    next_lessons = selectors.next_lessons(request.user, [e.course for e in enrollments if e.course], request.session)
    certificates = list(Certificate.objects.filter(learner=request.user).order_by("-issued_at"))
    by_course = {certificate.course_id: certificate for certificate in certificates if certificate.course_id}
    for enrollment in enrollments:
        enrollment.next_lesson = next_lessons.get(enrollment.course_id)
        enrollment.certificate = by_course.get(enrollment.course_id)  # beside a completed course, its certificate
    return render(
        request,
        "learners/my_learning.html",
        {
            "in_progress": [e for e in enrollments if e.completed_at is None],
            "completed": [e for e in enrollments if e.completed_at is not None],
            "certificates": certificates,
        },
    )


@require_POST
@login_required
def take_quiz(request, lesson_id):
    """Grade the quiz form of a lesson page and show the result."""
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        answers = quizzes.answers_from_form(request.POST)
        result = learning.submit_quiz(learner=request.user, lesson=lesson, answers=answers, session=request.session)
    except refusals.LearnerDenied as error:
        messages.error(request, str(error))
        return redirect(lesson.url)
    except ValidationError:
        messages.error(request, _("These answers do not fit the quiz. Please try again."))
        return redirect(lesson.url)
    return redirect("quiz-attempt", attempt_id=result.attempt.pk)


@login_required
def quiz_attempt(request, attempt_id):
    """The result of one of the learner's own attempts."""
    attempt = get_object_or_404(Attempt.objects.select_related("quiz", "lesson"), pk=attempt_id, learner=request.user)
    if attempt.lesson is not None and not can_view(attempt.lesson, request.user, request.session):
        raise Http404  # the lesson is private to the learner now: its questions and answers too
    quiz = attempt.quiz
    reveal = quiz is not None and quizzes.reveals_answers(quiz, request.user)
    lesson = attempt.lesson
    # The lesson's state now, not at the time of this attempt: an old failure after a later pass says so.
    passed_since = not attempt.passed and quiz is not None and quizzes.has_passed(quiz, request.user)
    following, certificate, course_completed = None, None, False
    if (attempt.passed or passed_since) and lesson is not None:
        following = lesson.get_next_siblings().live().type(LessonPage).first()
        enrollment = Enrollment.objects.filter(learner=request.user, course=lesson.course, completed_at__isnull=False)
        course_completed = enrollment.exists()
        if course_completed:
            certificate = Certificate.objects.filter(learner=request.user, course=lesson.course).first()
    return render(
        request,
        "learners/quiz_result.html",
        {
            "attempt": attempt,
            "reveal": reveal,
            "attempts_left": quizzes.attempts_left(quiz, request.user) if quiz else 0,
            "passed_since": passed_since,
            "lesson": lesson,
            "next_lesson": following,
            "course_completed": course_completed,
            "certificate": certificate,
        },
    )


# --- reviews ----------------------------------------------------------------------------------------


def _rating_from(raw: str):
    """The posted rating as a number when it is one; anything else goes to the service to be refused."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 2 else (raw or None)


@require_POST
@login_required
def review_post(request, course_id):
    """Write the learner's review of a course, or change the one they wrote (a missing rating keeps it)."""
    from .models import Review
    from .services import reviews

    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    rating, text = _rating_from(request.POST.get("rating", "")), request.POST.get("text", "")
    mine = Review.objects.filter(learner=request.user, course=course).first()
    in_reviews = "in-reviews"  # the answer shows in the reviews section, where the redirect lands
    try:
        if mine is None:
            reviews.post_review(learner=request.user, course=course, rating=rating, text=text, session=request.session)
            messages.success(request, _("Thank you for your review!"), extra_tags=in_reviews)
        else:
            reviews.edit_review(review=mine, by=request.user, rating=rating, text=text)
            messages.success(request, _("Your review is updated."), extra_tags=in_reviews)
    except refusals.LearnerDenied as error:
        messages.error(request, str(error), extra_tags=in_reviews)
    except reviews.ReviewExists as error:
        messages.error(request, error.message, extra_tags=in_reviews)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message, extra_tags=in_reviews)
    return redirect(f"{course.url}#reviews")


@require_POST
@login_required
def review_delete(request, review_id):
    """Remove a review: the learner's own, or any for an administrator."""
    from .services import reviews

    review = get_object_or_404(reviews.addressable_reviews(request.user).select_related("course"), pk=review_id)
    course = review.course
    try:
        reviews.delete_review(review=review, by=request.user)
    except refusals.LearnerDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your review is deleted.") if review.learner_id == request.user.pk else _("The review is deleted."),
        )
    return redirect(f"{course.url}#reviews" if course.live and course.url else "my-learning")
