"""Base classes of the Wagtail admin's document and media forms, checking uploads by content.

Wagtail and wagtailmedia build their upload forms on these (settings `WAGTAILDOCS_DOCUMENT_FORM_BASE`
and `WAGTAILMEDIA["MEDIA_FORM_BASE"]`), so the single upload, the multiple uploader and the chooser's
upload tab all refuse what courses.uploads refuses.
"""

from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm
from wagtailmedia.forms import BaseMediaForm

from . import uploads


class _RefusedFileMixin:
    """Shows a refused upload's own message alone."""

    def _post_clean(self):
        # A refused file leaves the model instance without one, and the model's own extension check
        # would then add a second, false error ("File extension “” is not allowed"). The form is
        # invalid already, so the model's validation has nothing to add.
        if not self.has_error("file"):
            super()._post_clean()


class DocumentFormBase(_RefusedFileMixin, BaseDocumentForm):
    """Wagtail's document form, refusing files whose content is not the document type their name claims."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        # An edit that keeps the stored file has nothing new to check.
        if isinstance(file, UploadedFile):
            uploads.validate_document(file)
        return file


class MediaFormBase(_RefusedFileMixin, BaseMediaForm):
    """wagtailmedia's form, refusing files that are not video (or audio) by content, and thumbnails that are not images."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            if self.instance.type == "audio":
                uploads.validate_audio(file)
            else:
                uploads.validate_video(file)
        return file

    def clean_thumbnail(self):
        thumbnail = self.cleaned_data.get("thumbnail")
        if isinstance(thumbnail, UploadedFile):
            uploads.validate_image(thumbnail)
        return thumbnail
