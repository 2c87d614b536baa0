"""The small things people notice (issue 17): branded error pages, a favicon, the account menu, landing on
"My learning" after logging in."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from learners.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_favicon_instead_of_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    assert 'rel="icon"' in client.get("/courses/").content.decode()


def test_an_unknown_page_is_a_branded_404_with_a_way_on(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404 and "This page does not exist" in html and 'href="/courses/"' in html
    assert "Такой страницы нет" not in html
    russian = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Такой страницы нет" in russian


def test_a_mistyped_certificate_code_says_so(client):
    response = client.get("/certificates/ABCDEFGHJKMN/")
    html = response.content.decode()
    assert response.status_code == 404 and "No certificate with this code" in html and "ABCDEFGHJKMN" in html
    assert 'href="/"' in html


def test_the_500_page_needs_neither_request_nor_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and "Something went wrong" in response.content.decode()


def test_logging_in_lands_on_my_learning_unless_told_where(client, student):
    response = client.post("/accounts/login/", {"username": student.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/learn/"
    client.logout()
    response = client.post("/accounts/login/?next=/courses/", {"username": student.email, "password": PASSWORD})
    assert response["Location"] == "/courses/"


def test_the_header_shows_the_name_and_an_account_menu(client, student):
    client.force_login(student)
    html = client.get("/courses/").content.decode()
    menu = html[html.index('<details class="account-menu">') : html.index("</details>")]
    assert student.get_short_name() in menu and student.email in menu
    assert 'href="/accounts/password/change/"' in menu and 'action="/accounts/logout/"' in menu
