"""Wagtail's bulk actions on users ("Set active state", "Assign role") keep the rules of the user editor and
the API: a deactivated user's tokens and sessions end, each change is audited, and groups follow the role."""

import pytest
from django.test import Client
from rest_framework.test import APIClient
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import ModelLogEntry

from learners.admin import bulk_actions as admin_bulk_actions
from learners.models import Role, User
from learners.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

BULK = "/admin/bulk/learners/user/"
ME = "/api/v1/me/"


def bulk_url(action, *users):
    return f"{BULK}{action}/?" + "&".join(f"id={user.pk}" for user in users)


def tokens(user):
    response = APIClient().post("/api/v1/auth/token/", {"email": user.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def refresh_status(pair):
    return APIClient().post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json").status_code


def me_status(pair):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    return client.get(ME).status_code


def site_session(user):
    """A browser logged in to the site as the user."""
    browser = Client()
    browser.force_login(user)
    assert browser.get("/accounts/password/change/").status_code == 200
    return browser


def logged_out(browser):
    response = browser.get("/accounts/password/change/")
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def audit(action, user):
    return ModelLogEntry.objects.filter(action=action, object_id=str(user.pk))


def role_groups(user):
    return sorted(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


@pytest.fixture
def admin_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def test_the_users_bulk_actions_are_the_portals(admin_user):
    """Every bulk action on users goes through the accounts service: a new one of Wagtail's fails here."""
    actions = {
        action.action_type: action for action in bulk_action_registry.get_bulk_actions_for_model("learners", "user")
    }
    assert set(actions) == {"delete", "set_active_state", "assign_role"}
    assert actions["set_active_state"] is admin_bulk_actions.SetActiveStateBulkAction
    assert actions["assign_role"] is admin_bulk_actions.AssignRoleBulkAction
    # delete: Wagtail's own, kept by the deletion signals (test_deletion.py's "admin bulk" door)


# --- set active state ---------------------------------------------------------------------------------


def test_bulk_deactivation_ends_tokens_and_sessions_and_is_audited(admin_client, admin_user, student, teacher):
    pairs = {user.pk: tokens(user) for user in (student, teacher)}
    browsers = {user.pk: site_session(user) for user in (student, teacher)}
    confirm = admin_client.get(bulk_url("set_active_state", student, teacher))
    assert confirm.status_code == 200
    assert student.name in confirm.content.decode() and teacher.name in confirm.content.decode()

    response = admin_client.post(bulk_url("set_active_state", student, teacher), {"mark_as_active": "False"})

    assert response.status_code == 302
    for user in (student, teacher):
        user.refresh_from_db()
        assert not user.is_active
        assert refresh_status(pairs[user.pk]) == 401  # the refresh token is blacklisted
        assert me_status(pairs[user.pk]) == 401  # the access token is refused
        assert logged_out(browsers[user.pk])
        entry = audit("learners.deactivate", user).get()  # the same entry the user editor writes
        assert entry.user_id == admin_user.pk
    for user in (student, teacher):  # each in their own history (not only the last of the request)
        assert admin_client.get(f"/admin/users/history/{user.pk}/").content.decode().count("User deactivated") == 1


def test_bulk_reactivation_lets_users_in_again_and_is_audited(admin_client, admin_user):
    users = [UserFactory(is_active=False), UserFactory(is_active=False)]

    response = admin_client.post(bulk_url("set_active_state", *users), {"mark_as_active": "True"})

    assert response.status_code == 302
    for user in users:
        user.refresh_from_db()
        assert user.is_active
        assert audit("learners.activate", user).get().user_id == admin_user.pk
        assert not audit("learners.deactivate", user).exists()
        assert me_status(tokens(user)) == 200


def test_bulk_state_already_held_writes_no_entry(admin_client, student):
    admin_client.post(bulk_url("set_active_state", student), {"mark_as_active": "True"})
    assert not ModelLogEntry.objects.filter(object_id=str(student.pk), action__startswith="learners.").exists()


def test_an_admin_cannot_bulk_deactivate_themselves(admin_client, admin_user, student):
    confirm = admin_client.get(bulk_url("set_active_state", admin_user, student)).content.decode()
    assert "You cannot change your own active status" in confirm

    admin_client.post(bulk_url("set_active_state", admin_user, student), {"mark_as_active": "False"})

    admin_user.refresh_from_db()
    student.refresh_from_db()
    assert admin_user.is_active and not student.is_active
    assert not audit("learners.deactivate", admin_user).exists()


def test_a_bad_active_state_is_a_form_error(admin_client, student):
    response = admin_client.post(bulk_url("set_active_state", student), {"mark_as_active": "maybe"})
    assert response.status_code == 200
    student.refresh_from_db()
    assert student.is_active


# --- assign role --------------------------------------------------------------------------------------


def test_bulk_role_offers_the_portals_roles_not_groups(admin_client, student):
    html = admin_client.get(bulk_url("assign_role", student)).content.decode()
    for value in ("student", "teacher", "admin"):
        assert f'value="{value}"' in html
    assert "Teachers" not in html and "Moderators" not in html


def test_bulk_role_to_teacher_keeps_groups_in_step_and_is_audited(admin_client, admin_user, student, other_student):
    response = admin_client.post(bulk_url("assign_role", student, other_student), {"role": "teacher"})

    assert response.status_code == 302
    for user in (student, other_student):
        user.refresh_from_db()
        assert user.role == Role.TEACHER and not user.is_superuser
        assert role_groups(user) == [f"Teacher #{user.pk}", "Teachers"]
        entry = audit("learners.role_change", user).get()
        assert entry.user_id == admin_user.pk and entry.data == {"old": "student", "new": "teacher"}
    browser = Client()
    browser.force_login(student)
    assert browser.get("/admin/").status_code == 200


def test_bulk_role_away_from_teacher_takes_their_admin_access(admin_client, teacher, other_teacher):
    browser = Client()
    browser.force_login(teacher)
    assert browser.get("/admin/").status_code == 200

    admin_client.post(bulk_url("assign_role", teacher, other_teacher), {"role": "student"})

    for user in (teacher, other_teacher):
        user.refresh_from_db()
        assert user.role == Role.STUDENT
        assert role_groups(user) == ["Students"]  # and no longer in their own upload collection's group
        assert audit("learners.role_change", user).get().data == {"old": "teacher", "new": "student"}
    assert browser.get("/admin/").status_code == 302


def test_bulk_role_to_admin_makes_superusers(admin_client, student):
    admin_client.post(bulk_url("assign_role", student), {"role": "admin"})
    student.refresh_from_db()
    assert student.role == Role.ADMIN and student.is_superuser and role_groups(student) == []


def test_an_admin_cannot_change_their_own_role_in_bulk(admin_client, admin_user, student):
    confirm = admin_client.get(bulk_url("assign_role", admin_user, student)).content.decode()
    assert "You cannot change your own role" in confirm

    admin_client.post(bulk_url("assign_role", admin_user, student), {"role": "student"})

    admin_user.refresh_from_db()
    student.refresh_from_db()
    assert admin_user.role == Role.ADMIN and admin_user.is_superuser
    assert student.role == Role.STUDENT  # assigned the role it had: nothing to audit
    assert not ModelLogEntry.objects.filter(action="learners.role_change").exists()


@pytest.mark.parametrize("role", ["wizard", "", "Teachers"])
def test_a_role_that_is_not_one_is_a_form_error(admin_client, student, role):
    response = admin_client.post(bulk_url("assign_role", student), {"role": role})
    assert response.status_code == 200
    student.refresh_from_db()
    assert student.role == Role.STUDENT and role_groups(student) == ["Students"]


def test_bulk_role_away_from_admin_ends_superuser(admin_client):
    other_admin = UserFactory(role=Role.ADMIN)
    admin_client.post(bulk_url("assign_role", other_admin), {"role": "teacher"})
    other_admin.refresh_from_db()
    assert other_admin.role == Role.TEACHER and not other_admin.is_superuser
    assert role_groups(other_admin) == [f"Teacher #{other_admin.pk}", "Teachers"]


# --- who may -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["teacher", "student"])
@pytest.mark.parametrize(
    "action, data",
    [("set_active_state", {"mark_as_active": "False"}), ("assign_role", {"role": "admin"}), ("delete", {})],
)
def test_teachers_and_students_cannot_reach_the_bulk_actions(request, who, action, data, other_teacher, other_student):
    user = request.getfixturevalue(who)
    browser = Client()
    browser.force_login(user)
    targets = (user, other_teacher, other_student)
    for response in (browser.get(bulk_url(action, *targets)), browser.post(bulk_url(action, *targets), data)):
        assert response.status_code in (302, 403)
        if response.status_code == 302:  # Wagtail's "no permission": back to the dashboard, or to log in
            assert response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/")
    for target in targets:
        target.refresh_from_db()  # still there, as they were
        assert target.is_active and target.role != Role.ADMIN
    assert not ModelLogEntry.objects.filter(action__startswith="learners.").exists()
