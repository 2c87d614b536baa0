"""The Accounts part of the API contract: register, tokens, logout, me, users."""

import threading
import time

import pytest
from django.db import connection
from rest_framework.test import APIClient

from learners.models import Role, User
from learners.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/me/"
USERS = "/api/v1/users/"


def tokens(client, email, password=PASSWORD):
    response = client.post(TOKEN, {"email": email, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def bearer(access):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


# --- register ---------------------------------------------------------------------------------------


def test_register_creates_a_student(api):
    response = api.post(REGISTER, {"name": "Мария Петрова", "email": "Maria@Example.RU", "password": "Sturdy-pass-91"})
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Мария Петрова"
    assert body["email"] == "maria@example.ru"
    assert body["role"] == "student"
    user = User.objects.get(pk=body["id"])
    assert user.check_password("Sturdy-pass-91")
    assert list(user.groups.values_list("name", flat=True)) == ["Students"]


def test_register_ignores_a_requested_role(api):
    response = api.post(
        REGISTER,
        {
            "name": "Eve",
            "email": "eve@example.com",
            "password": "Sturdy-pass-91",
            "role": "admin",
            "is_superuser": True,
        },
    )
    assert response.status_code == 201
    assert response.json()["role"] == "student"
    eve = User.objects.get(email="eve@example.com")
    assert eve.role == Role.STUDENT and not eve.is_superuser


def test_register_duplicate_email_is_case_insensitive(api, student):
    response = api.post(REGISTER, {"name": "Twin", "email": student.email.upper(), "password": "Sturdy-pass-91"})
    assert response.status_code == 400
    assert "email" in response.json()
    assert User.objects.filter(email__iexact=student.email).count() == 1


def test_register_refuses_a_weak_password(api):
    response = api.post(REGISTER, {"name": "Weak", "email": "weak@example.com", "password": "123"})
    assert response.status_code == 400
    assert "password" in response.json()
    assert not User.objects.filter(email="weak@example.com").exists()


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"name": "No email", "password": "Sturdy-pass-91"},
        {"name": "Bad", "email": "not-an-email", "password": "Sturdy-pass-91"},
        {"name": ["list"], "email": "a@example.com", "password": "Sturdy-pass-91"},
        {"name": "x" * 100_000, "email": "b@example.com", "password": "Sturdy-pass-91"},
        {"name": "Nul\x00byte", "email": "c@example.com", "password": "Sturdy-pass-91"},
        {"name": "Obj", "email": {"a": 1}, "password": "Sturdy-pass-91"},
        {"name": "Long", "email": "d@example.com", "password": "p" * 10_000},
        {"name": None, "email": "e@example.com", "password": "Sturdy-pass-91"},
    ],
)
def test_register_bad_input_is_a_400(api, payload):
    response = api.post(REGISTER, payload, format="json")
    assert response.status_code == 400
    assert User.objects.count() == 0


def test_register_invalid_json_is_a_400(api):
    response = api.generic("POST", REGISTER, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_register_a_json_list_is_a_400(api):
    response = api.generic("POST", REGISTER, "[1, 2]", content_type="application/json")
    assert response.status_code == 400


def test_register_is_refused_when_registration_is_closed(api):
    from lms.models import PortalSettings

    portal = PortalSettings.load()
    portal.registration_open = False
    portal.save()
    response = api.post(REGISTER, {"name": "Late", "email": "late@example.com", "password": "Sturdy-pass-91"})
    assert response.status_code == 403
    assert response.json()["code"] == "registration_closed"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_registrations_with_one_email_make_one_account():
    barrier = threading.Barrier(2)
    statuses = []

    def register():
        barrier.wait()
        statuses.append(
            APIClient()
            .post(REGISTER, {"name": "Racer", "email": "race@example.com", "password": "Sturdy-pass-91"})
            .status_code
        )
        connection.close()

    threads = [threading.Thread(target=register) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 400]
    assert User.objects.filter(email="race@example.com").count() == 1


# --- tokens -----------------------------------------------------------------------------------------


def test_token_pair_for_right_credentials_with_any_email_case(api, student):
    pair = tokens(api, student.email.upper())
    assert set(pair) >= {"access", "refresh"}
    me = bearer(pair["access"]).get(ME)
    assert me.status_code == 200
    assert me.json()["email"] == student.email


def test_wrong_password_and_unknown_email_answer_the_same_401(api, student):
    wrong = api.post(TOKEN, {"email": student.email, "password": "nope-nope-nope"})
    unknown = api.post(TOKEN, {"email": "ghost@example.com", "password": "nope-nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_inactive_user_gets_no_token(api, student):
    student.is_active = False
    student.save()
    assert api.post(TOKEN, {"email": student.email, "password": PASSWORD}).status_code == 401


@pytest.mark.parametrize(
    "payload",
    [{}, {"email": "a@example.com"}, {"email": ["x"], "password": "y"}, {"email": "x" * 100_000, "password": "y"}],
)
def test_token_bad_input_is_a_400(api, payload):
    assert api.post(TOKEN, payload, format="json").status_code == 400


def test_refresh_rotates_and_the_old_refresh_token_stops_working(api, student):
    pair = tokens(api, student.email)
    first = api.post(REFRESH, {"refresh": pair["refresh"]})
    assert first.status_code == 200
    rotated = first.json()
    assert rotated["refresh"] != pair["refresh"]
    assert bearer(rotated["access"]).get(ME).status_code == 200
    again = api.post(REFRESH, {"refresh": pair["refresh"]})
    assert again.status_code == 401
    assert api.post(REFRESH, {"refresh": rotated["refresh"]}).status_code == 200


def test_refresh_garbage_is_a_401_and_missing_is_a_400(api):
    assert api.post(REFRESH, {"refresh": "not-a-token"}).status_code == 401
    assert api.post(REFRESH, {}).status_code == 400


def test_an_access_token_is_no_refresh_token(api, student):
    pair = tokens(api, student.email)
    assert api.post(REFRESH, {"refresh": pair["access"]}).status_code == 401


def test_a_refresh_token_is_no_access_token(api, student):
    pair = tokens(api, student.email)
    assert bearer(pair["refresh"]).get(ME).status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer ", "Bearer a.b.c", "Basic Zm9vOmJhcg==", "Bearer x y", "Token abc"]
)
def test_malformed_authorization_headers_are_a_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(ME).status_code == 401


def test_logout_revokes_the_refresh_token(api, student):
    pair = tokens(api, student.email)
    client = bearer(pair["access"])
    assert client.post(LOGOUT, {"refresh": pair["refresh"]}).status_code == 205
    assert api.post(REFRESH, {"refresh": pair["refresh"]}).status_code == 401


def test_logout_needs_authentication_and_a_valid_token_of_ones_own(api, student, other_student):
    pair = tokens(api, student.email)
    others = tokens(api, other_student.email)
    assert api.post(LOGOUT, {"refresh": pair["refresh"]}).status_code == 401
    client = bearer(pair["access"])
    assert client.post(LOGOUT, {"refresh": "garbage"}).status_code == 400
    assert client.post(LOGOUT, {}).status_code == 400
    assert client.post(LOGOUT, {"refresh": others["refresh"]}).status_code == 400
    assert api.post(REFRESH, {"refresh": others["refresh"]}).status_code == 200


def test_deactivation_stops_access_and_refresh_tokens_at_once(api, student, admin_user, as_user):
    pair = tokens(api, student.email)
    response = as_user(admin_user).patch(f"{USERS}{student.pk}/", {"is_active": False})
    assert response.status_code == 200
    assert bearer(pair["access"]).get(ME).status_code == 401
    assert api.post(REFRESH, {"refresh": pair["refresh"]}).status_code == 401


def test_deleting_a_user_stops_their_tokens(api, student, admin_user, as_user):
    pair = tokens(api, student.email)
    assert as_user(admin_user).delete(f"{USERS}{student.pk}/").status_code == 204
    assert bearer(pair["access"]).get(ME).status_code == 401
    assert api.post(REFRESH, {"refresh": pair["refresh"]}).status_code == 401


def test_a_password_change_revokes_earlier_tokens(api, student, admin_user, as_user):
    pair = tokens(api, student.email)
    response = as_user(admin_user).patch(f"{USERS}{student.pk}/", {"password": "Brand-new-pass-77"})
    assert response.status_code == 200
    assert bearer(pair["access"]).get(ME).status_code == 401
    assert api.post(REFRESH, {"refresh": pair["refresh"]}).status_code == 401
    assert tokens(api, student.email, "Brand-new-pass-77")["access"]


def test_forged_tokens_are_refused(api, student):
    import jwt

    pair = tokens(api, student.email)
    claims = jwt.decode(pair["access"], options={"verify_signature": False})
    claims["user_id"] = str(student.pk)
    none_alg = jwt.encode(claims, key=None, algorithm="none")
    wrong_key = jwt.encode(claims, key="x" * 64, algorithm="HS256")
    expired = {**claims, "exp": 1}
    for token in (none_alg, wrong_key):
        assert bearer(token).get(ME).status_code == 401
    from django.conf import settings

    assert bearer(jwt.encode(expired, settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS256")).get(ME).status_code == 401


# --- throttling -------------------------------------------------------------------------------------


@pytest.fixture
def login_rates(monkeypatch):
    """Set the login throttles' rates for one test (DRF binds rates when a throttle class is made)."""
    from learners.throttles import LoginAddressThrottle, LoginEmailThrottle

    def set_rates(per_email="1000/min", per_address="1000/min"):
        monkeypatch.setattr(LoginEmailThrottle, "rate", per_email, raising=False)
        monkeypatch.setattr(LoginAddressThrottle, "rate", per_address, raising=False)
        # The throttles count in fixed windows: keep the clock still so a test never straddles two.
        now = time.time()
        for throttle in (LoginEmailThrottle, LoginAddressThrottle):
            monkeypatch.setattr(throttle, "timer", staticmethod(lambda: now))

    return set_rates


def test_token_requests_are_throttled_per_email_with_retry_after(api, student, login_rates):
    login_rates(per_email="3/min")
    for _ in range(3):
        assert api.post(TOKEN, {"email": student.email, "password": "wrong-guess-1"}).status_code == 401
    blocked = api.post(TOKEN, {"email": student.email.upper(), "password": PASSWORD})
    assert blocked.status_code == 429
    assert 1 <= int(blocked["Retry-After"]) <= 60
    assert blocked.json()["code"] == "throttled"
    # another account from the same address is not blocked by the per-email limit
    other = UserFactory()
    assert api.post(TOKEN, {"email": other.email, "password": PASSWORD}).status_code == 200


def test_token_requests_are_throttled_per_address(api, login_rates):
    login_rates(per_address="4/min")
    codes = [
        api.post(TOKEN, {"email": f"spray{i}@example.com", "password": "guess-guess"}).status_code for i in range(6)
    ]
    assert codes == [401, 401, 401, 401, 429, 429]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_login_throttle_holds_under_parallel_requests(login_rates):
    UserFactory(email="target@example.com")
    login_rates(per_email="5/min")
    statuses = []
    barrier = threading.Barrier(12)

    def guess():
        barrier.wait()
        statuses.append(APIClient().post(TOKEN, {"email": "target@example.com", "password": "guess-guess"}).status_code)
        connection.close()

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses.count(401) == 5
    assert statuses.count(429) == 7


# --- me ---------------------------------------------------------------------------------------------


def test_me_shows_the_own_profile(student, as_user):
    body = as_user(student).get(ME).json()
    assert body == {
        "id": student.pk,
        "name": student.name,
        "email": student.email,
        "role": "student",
        "date_joined": body["date_joined"],
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
