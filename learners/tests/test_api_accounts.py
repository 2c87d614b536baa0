"""The Accounts part of the API contract: me and users (registration and tokens: test_api_registration.py,
test_api_tokens.py)."""

import pytest

from learners.models import Role, User
from learners.tests.api_accounts_helpers import ME, USERS

pytestmark = pytest.mark.django_db


# --- me ---------------------------------------------------------------------------------------------


def test_me_shows_the_own_profile(student, as_user):
    body = as_user(student).get(ME).json()
    assert body == {
        "id": student.pk,
        "name": student.name,
        "email": student.email,
        "role": "student",
        "date_joined": body["date_joined"],
        "language": "en",
    }
    assert body["date_joined"].endswith("Z") or "+" in body["date_joined"]


def test_me_patch_changes_the_name_but_not_role_or_email(student, as_user):
    response = as_user(student).patch(ME, {"name": "Новое Имя", "role": "admin", "email": "hijack@example.com"})
    assert response.status_code == 200
    student.refresh_from_db()
    assert student.name == "Новое Имя"
    assert student.role == Role.STUDENT and not student.is_superuser
    assert student.email != "hijack@example.com"


def test_me_patch_validates(student, as_user):
    client = as_user(student)
    assert client.patch(ME, {"name": ""}).status_code == 400
    assert client.patch(ME, {"name": "x" * 151}).status_code == 400
    assert client.put(ME, {"name": "Put"}).status_code == 405


def test_me_needs_a_token(api):
    response = api.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# --- users (admin) ----------------------------------------------------------------------------------


def test_users_are_for_admins_only(api, student, teacher, as_user):
    assert api.get(USERS).status_code == 401
    for user in (student, teacher):
        client = as_user(user)
        response = client.get(USERS)
        assert response.status_code == 403
        assert response.json()["code"] == "admin_only"
        assert client.patch(f"{USERS}{user.pk}/", {"role": "admin"}).status_code == 403
        assert (
            client.post(
                USERS, {"name": "X", "email": "x@example.com", "password": "Sturdy-pass-91", "role": "admin"}
            ).status_code
            == 403
        )
    student.refresh_from_db()
    assert student.role == Role.STUDENT


def test_admin_lists_and_filters_users(admin_user, student, teacher, as_user):
    client = as_user(admin_user)
    body = client.get(USERS).json()
    assert body["count"] == 3
    assert {u["email"] for u in body["results"]} == {admin_user.email, student.email, teacher.email}
    assert [u["email"] for u in client.get(USERS, {"role": "teacher"}).json()["results"]] == [teacher.email]
    assert client.get(USERS, {"role": "wizard"}).status_code == 400


def test_admin_creates_a_teacher_who_can_enter_the_wagtail_admin(admin_user, as_user, client):
    response = as_user(admin_user).post(
        USERS, {"name": "Teach", "email": "teach@example.com", "password": "Sturdy-pass-91", "role": "teacher"}
    )
    assert response.status_code == 201
    assert response.json()["role"] == "teacher"
    teacher = User.objects.get(email="teach@example.com")
    client.force_login(teacher)
    assert client.get("/admin/").status_code == 200


def test_role_change_through_the_api_changes_admin_access(admin_user, student, as_user, client):
    client.force_login(student)
    assert client.get("/admin/").status_code == 302  # students are sent to log in
    response = as_user(admin_user).patch(f"{USERS}{student.pk}/", {"role": "teacher"})
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 200
    as_user(admin_user).patch(f"{USERS}{student.pk}/", {"role": "admin"})
    student.refresh_from_db()
    assert student.is_superuser
    assert client.get("/admin/users/").status_code == 200
    as_user(admin_user).patch(f"{USERS}{student.pk}/", {"role": "student"})
    student.refresh_from_db()
    assert not student.is_superuser
    assert list(student.groups.values_list("name", flat=True)) == ["Students"]
    assert client.get("/admin/").status_code == 302


def test_admin_user_endpoints_validate(admin_user, student, as_user):
    client = as_user(admin_user)
    assert client.patch(f"{USERS}{student.pk}/", {"role": "overlord"}).status_code == 400
    assert client.patch(f"{USERS}{student.pk}/", {"is_active": "maybe"}).status_code == 400
    assert client.patch(f"{USERS}{student.pk}/", {"email": admin_user.email.upper()}).status_code == 400
    assert client.post(USERS, {"name": "N", "email": "n@example.com"}).status_code == 400  # no password
    assert client.get(f"{USERS}999999/").status_code == 404
    assert client.put(f"{USERS}{student.pk}/", {"name": "x"}).status_code == 405


def test_admin_cannot_lock_themselves_out(admin_user, as_user):
    client = as_user(admin_user)
    assert client.patch(f"{USERS}{admin_user.pk}/", {"role": "student"}).status_code == 400
    assert client.patch(f"{USERS}{admin_user.pk}/", {"is_active": False}).status_code == 400
    assert client.delete(f"{USERS}{admin_user.pk}/").status_code == 400
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN and admin_user.is_active


def test_role_changes_and_deactivations_are_in_the_audit_log(admin_user, student, as_user):
    from wagtail.models import ModelLogEntry

    client = as_user(admin_user)
    client.patch(f"{USERS}{student.pk}/", {"role": "teacher"})
    client.patch(f"{USERS}{student.pk}/", {"is_active": False})
    entries = ModelLogEntry.objects.filter(object_id=str(student.pk)).order_by("timestamp")
    actions = [(e.action, e.user_id) for e in entries]
    assert ("learners.role_change", admin_user.pk) in actions
    assert ("learners.deactivate", admin_user.pk) in actions
    change = entries.get(action="learners.role_change")
    assert change.data == {"old": "student", "new": "teacher"}
