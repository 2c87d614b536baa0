"""The enrollments listing: progress and state, its filters, and its exports."""

from datetime import timedelta

import pytest
from django.utils import timezone

from learners.tests.admin.helpers import (
    csv_rows,
    html,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db


def test_enrollments_show_progress_and_state_and_filter(admin_client, portal):
    page = html(admin_client.get("/admin/enrollments/"))
    assert "Ада Лавлейс" in page and "Борис Пастернак" in page and "Rust" in page
    assert "Left" in page and "Active" in page

    left = html(admin_client.get("/admin/enrollments/", {"state": "left"}))
    assert "Борис Пастернак" in left and "Ада Лавлейс" not in left
    completed = html(admin_client.get("/admin/enrollments/", {"state": "completed"}))
    assert "Ада Лавлейс" in completed and "Борис Пастернак" not in completed
    rust = html(admin_client.get("/admin/enrollments/", {"course": portal["other_course"].pk}))
    assert "Борис Пастернак" in rust and "Ада Лавлейс" not in rust
    by_learner = html(admin_client.get("/admin/enrollments/", {"learner": "Лавлейс"}))
    assert "Ада Лавлейс" in by_learner and "Борис Пастернак" not in by_learner
    searched = html(admin_client.get("/admin/enrollments/", {"q": "Rust"}))
    assert "Борис Пастернак" in searched and "Ада Лавлейс" not in searched
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = html(admin_client.get("/admin/enrollments/", {"enrolled_at_from": tomorrow}))
    assert "Ада Лавлейс" not in future and "Борис Пастернак" not in future


def test_enrollments_export_to_csv_and_xlsx(admin_client, portal):
    rows = csv_rows(admin_client.get("/admin/enrollments/", {"export": "csv", "course": portal["course"].pk}))
    header, *data = rows
    assert header[:5] == ["Learner", "Email", "Course", "Enrolled", "Progress (%)"]
    assert header[-1] == "State"
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in data}
    assert set(by_name) == {"Ада Лавлейс", "Борис Пастернак"}
    assert by_name["Ада Лавлейс"]["Progress (%)"] == "100"
    assert by_name["Ада Лавлейс"]["Lessons done"] == "2" and by_name["Ада Лавлейс"]["Completed"]
    assert by_name["Борис Пастернак"]["Progress (%)"] == "0"
    assert by_name["Борис Пастернак"]["State"] == "Left"

    sheet = xlsx_rows(admin_client.get("/admin/enrollments/", {"export": "xlsx"}))
    assert sheet[0][0] == "Learner"
    assert sorted((row[0], row[2]) for row in sheet[1:]) == [
        ("Ада Лавлейс", "Python"),
        ("Борис Пастернак", "Python"),
        ("Борис Пастернак", "Rust"),
    ]
