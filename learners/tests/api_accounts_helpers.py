"""The Accounts API's paths and token helpers, shared by its test modules (test_api_registration.py,
test_api_tokens.py, test_api_accounts.py)."""

from rest_framework.test import APIClient

from learners.tests.factories import PASSWORD

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
