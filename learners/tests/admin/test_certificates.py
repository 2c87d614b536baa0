"""The certificates listing: filters, exports, and revoking (audited)."""

import pytest
from wagtail.models import ModelLogEntry

from learners.models import Certificate
from learners.tests.admin.helpers import csv_rows, html, xlsx_rows

pytestmark = pytest.mark.django_db


def test_certificates_filter_by_state_and_course_export_and_revoke(admin_client, portal, admin_user):
    certificate = Certificate.objects.get()
    assert certificate.code in html(admin_client.get("/admin/certificates/", {"state": "valid"}))
    assert certificate.code not in html(admin_client.get("/admin/certificates/", {"state": "revoked"}))
    assert certificate.code not in html(admin_client.get("/admin/certificates/", {"course": portal["other_course"].pk}))

    response = admin_client.post(f"/admin/certificates/edit/{certificate.pk}/", {"revoked_reason": "Plagiarised"})
    assert response.status_code == 302
    assert certificate.code in html(admin_client.get("/admin/certificates/", {"state": "revoked"}))
    assert certificate.code not in html(admin_client.get("/admin/certificates/", {"state": "valid"}))

    header, row = csv_rows(admin_client.get("/admin/certificates/", {"export": "csv"}))
    record = dict(zip(header, row, strict=True))
    assert record["Code"] == certificate.code and record["Learner"] == "Ада Лавлейс"
    assert record["State"] == "Revoked" and record["Reason for revoking"] == "Plagiarised"
    sheet = xlsx_rows(admin_client.get("/admin/certificates/", {"export": "xlsx", "state": "revoked"}))
    assert sheet[1][0] == certificate.code

    entry = ModelLogEntry.objects.get(action="learners.certificate_revoke")
    assert entry.user_id == admin_user.pk and entry.data == {"reason": "Plagiarised"}
    assert "Certificate revoked" in html(admin_client.get("/admin/reports/site-history/"))
