"""Uploads through the API for the file tests (test_file_access.py, test_file_collections.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtailmedia.models import get_media_model

from courses.tests.upload_files import real

Document = get_document_model()
Media = get_media_model()
VIDEO = real("tiny.mp4")


def api_upload(client, name, content, title):
    response = client.post("/api/v1/media/", {"file": SimpleUploadedFile(name, content), "title": title}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()
