"""Account pages of the site, and the Wagtail admin's user editor."""

import re

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from learners.models import Role, User
from learners.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


# --- site -------------------------------------------------------------------------------------------


def test_signup_creates_a_student_and_logs_in(client):
    response = client.post(
        "/accounts/signup/", {"name": "Пётр Иванов", "email": "Petr@Example.com", "password": "Sturdy-pass-91"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="petr@example.com")
    assert user.name == "Пётр Иванов" and user.role == Role.STUDENT
    assert client.get("/api/v1/me/").status_code == 401  # the API takes JWTs only, not the session
    assert int(client.session["_auth_user_id"]) == user.pk


def test_signup_shows_clear_errors(client, student):
    response = client.post("/accounts/signup/", {"name": "", "email": student.email.upper(), "password": "123"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html
    response = client.post("/accounts/signup/", {"name": "Dup", "email": student.email.upper(), "password": "Sturdy-pass-91"})
    assert "A user with this email already exists." in response.content.decode()
    response = client.post("/accounts/signup/", {"name": "Weak", "email": "weak@example.com", "password": "password"})
    assert "This password is too common." in response.content.decode()
    assert not User.objects.filter(email="weak@example.com").exists()


def test_signup_speaks_russian(client):
    response = client.post(
        "/accounts/signup/", {"name": "", "email": "x@example.com", "password": "Sturdy-pass-91"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    html = response.content.decode()
    assert "Создайте учётную запись" in html
    assert "This field is required." not in html  # the field error is translated too (by Django or Wagtail)


def test_signup_ignores_a_foreign_next(client):
    response = client.post(
        "/accounts/signup/?next=https://evil.example/",
        {"name": "N", "email": "n@example.com", "password": "Sturdy-pass-91", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login_with_email_in_any_case_and_logout(client, student):
    response = client.post("/accounts/login/", {"username": student.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == student.pk
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_login_refuses_a_foreign_next(client, student):
    response = client.post(
        "/accounts/login/", {"username": student.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")


def test_login_wrong_password_says_so(client, student):
    response = client.post("/accounts/login/", {"username": student.email, "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct email and password." in response.content.decode()


def test_password_change(client, student):
    client.force_login(student)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "Another-pass-55", "new_password2": "Another-pass-55"},
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.check_password("Another-pass-55")


def test_password_reset_sends_a_working_link_and_says_the_same_for_unknown_emails(client, student):
    known = client.post("/accounts/password/reset/", {"email": student.email.upper()})
    unknown = client.post("/accounts/password/reset/", {"email": "ghost@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    response = client.post(form.redirect_chain[-1][0], {"new_password1": "Reset-pass-777", "new_password2": "Reset-pass-777"})
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.check_password("Reset-pass-777")


def test_deactivated_user_is_logged_out_of_the_site(client, student):
    client.force_login(student)
    student.is_active = False
    student.save()
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- Wagtail admin: users ----------------------------------------------------------------------------


def test_admin_user_list_shows_name_and_role_and_filters_by_role(client, admin_user):
    UserFactory(name="Тереза Учитель", role=Role.TEACHER)
    UserFactory(name="Stan Student", role=Role.STUDENT)
    client.force_login(admin_user)
    html = client.get("/admin/users/").content.decode()
    assert "Тереза Учитель" in html and "Stan Student" in html
    assert "Teacher" in html
    filtered = client.get("/admin/users/", {"role": "teacher"}).content.decode()
    assert "Тереза Учитель" in filtered and "Stan Student" not in filtered
    searched = client.get("/admin/users/", {"q": "Тереза"}).content.decode()
    assert "Тереза Учитель" in searched and "Stan Student" not in searched


def test_admin_creates_a_teacher_in_the_user_editor(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/users/new/",
        {
            "email": "New.Teacher@example.com",
            "name": "Новый Учитель",
            "role": "teacher",
            "password1": "Sturdy-pass-91",
            "password2": "Sturdy-pass-91",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new.teacher@example.com")
    assert user.role == Role.TEACHER
    # The role's group, and the teacher's own (which opens their upload collection: courses/collections.py).
    assert sorted(user.groups.values_list("name", flat=True)) == [f"Teacher #{user.pk}", "Teachers"]


def test_role_change_in_the_user_editor_changes_access_and_is_audited(client, admin_user, student):
    student_client = type(client)()
    student_client.force_login(student)
    assert student_client.get("/admin/").status_code == 302
    client.force_login(admin_user)
    response = client.post(
        f"/admin/users/edit/{student.pk}/",
        {"email": student.email, "name": student.name, "role": "teacher", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert student_client.get("/admin/").status_code == 200
    entry = ModelLogEntry.objects.get(action="learners.role_change", object_id=str(student.pk))
    assert entry.user_id == admin_user.pk
    assert entry.data == {"old": "student", "new": "teacher"}
    history = client.get(f"/admin/users/history/{student.pk}/").content.decode()
    assert "Role changed" in history


def test_deactivating_in_the_user_editor_ends_sessions_and_tokens(client, admin_user, student, api):
    pair = api.post("/api/v1/auth/token/", {"email": student.email, "password": PASSWORD}).json()
    client.force_login(admin_user)
    response = client.post(
        f"/admin/users/edit/{student.pk}/", {"email": student.email, "name": student.name, "role": "student"}
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert not student.is_active
    assert api.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}).status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert api.get("/api/v1/me/").status_code == 401
    assert ModelLogEntry.objects.filter(action="learners.deactivate", object_id=str(student.pk)).exists()


def test_teachers_and_students_cannot_manage_users(client, teacher, student):
    for user in (teacher, student):
        client.force_login(user)
        response = client.get("/admin/users/")
        assert response.status_code in (302, 403)
        response = client.post(
            f"/admin/users/edit/{user.pk}/", {"email": user.email, "name": user.name, "role": "admin", "is_active": "on"}
        )
        assert response.status_code in (302, 403)
        user.refresh_from_db()
        assert user.role != Role.ADMIN and not user.is_superuser


def test_an_admin_cannot_change_their_own_role_in_the_editor(client, admin_user):
    client.force_login(admin_user)
    client.post(f"/admin/users/edit/{admin_user.pk}/", {"email": admin_user.email, "name": "Me", "role": "student"})
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN


def test_createsuperuser_noinput_yields_an_admin(monkeypatch):
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Root@Example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Sturdy-pass-91")
    monkeypatch.setenv("DJANGO_SUPERUSER_NAME", "Главный Админ")
    call_command("createsuperuser", "--noinput")
    user = User.objects.get(email="root@example.com")
    assert user.role == Role.ADMIN and user.is_superuser and user.name == "Главный Админ"


def test_email_uniqueness_is_case_insensitive_in_the_database():
    from django.db import IntegrityError

    UserFactory(email="same@example.com")
    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="SAME@example.com", name="x")])
