"""The site's quiz form is read strictly: `q<question id>` = `<choice id>`, ids of ASCII digits only."""

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from quizzes.services import answers_from_form


def form(pairs) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in pairs:
        data.appendlist(name, value)
    return data


def test_answers_are_read_from_question_fields_and_the_token_is_ignored():
    data = form([("csrfmiddlewaretoken", "t"), ("q7", "71"), ("q8", "81"), ("q8", "83")])
    assert answers_from_form(data) == [{"question": 7, "choices": [71]}, {"question": 8, "choices": [81, 83]}]
    assert answers_from_form(form([])) == []


@pytest.mark.parametrize(
    "pairs",
    [
        [("q²", "1")],  # a digit to str.isdigit(), not to int()
        [("q٣", "1")],  # a digit that int() reads as 3: still not an id of ours
        [("q7", "١")],
        [("q" + "9" * 5000, "1")],  # past int()'s limit on digits
        [("q7", "9" * 5000)],
        [("q7", "9" * 19)],  # more than a bigint holds
        [("q", "1")],
        [("q-7", "1")],
        [("q7", "-1")],
        [("q7", "1.5")],
        [("q7", "")],
        [("q7", " 71")],
        [("q7", "71"), ("q7", "x")],
        [("q7\x00", "71")],
        [("q7", "7\x00")],
        [("question", "71")],
        [("anything", "else")],
    ],
)
def test_fields_and_values_that_are_not_ids_are_refused(pairs):
    with pytest.raises(ValidationError):
        answers_from_form(form(pairs))
