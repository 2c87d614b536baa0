"""The Accounts part of the API contract: tokens, refresh, logout, revocation and the login throttles."""

import time

import pytest
from rest_framework.test import APIClient

from conftest import at_once
from learners.tests.api_accounts_helpers import LOGOUT, ME, REFRESH, TOKEN, USERS, bearer, tokens
from learners.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


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
    guess = {"email": "target@example.com", "password": "guess-guess"}
    statuses = [response.status_code for response in at_once([lambda: APIClient().post(TOKEN, guess)] * 12)]
    assert statuses.count(401) == 5
    assert statuses.count(429) == 7
