"""The checked addresses of videos ask the rules other apps register (`before_serve_media`), and serve nothing
when there are none."""

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from courses import serving


@pytest.fixture
def request_():
    return RequestFactory().get("/media-files/1/intro.webm")


def rules(monkeypatch, *registered):
    monkeypatch.setattr(serving.hooks, "get_hooks", lambda name: list(registered) if name == serving.BEFORE_SERVE_MEDIA else [])


def test_no_rule_registered_serves_nothing(monkeypatch, request_):
    rules(monkeypatch)
    with pytest.raises(Http404):
        serving.refusal(request_, object())


def test_the_rules_let_in_or_the_first_refusal_answers(monkeypatch, request_):
    media, asked, refused = object(), [], HttpResponse(status=403)

    def lets_in(item, request):
        asked.append(("lets in", item, request))

    def refuses(item, request):
        asked.append(("refuses", item, request))
        return refused

    rules(monkeypatch, lets_in)
    assert serving.refusal(request_, media) is None
    assert asked == [("lets in", media, request_)]

    asked.clear()
    rules(monkeypatch, lets_in, refuses, lets_in)
    assert serving.refusal(request_, media) is refused
    assert [name for name, *_ in asked] == ["lets in", "refuses"]


def test_the_portal_registers_its_rule():
    from wagtail import hooks

    assert hooks.get_hooks(serving.BEFORE_SERVE_MEDIA)
