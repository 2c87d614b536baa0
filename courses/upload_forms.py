"""Base classes of the Wagtail admin's document and media forms, checking uploads by content.

Wagtail and wagtailmedia build their upload forms on these (settings `WAGTAILDOCS_DOCUMENT_FORM_BASE`
and `WAGTAILMEDIA["MEDIA_FORM_BASE"]`), so the single upload, the multiple uploader and the chooser's
upload tab all refuse what courses.uploads refuses. `ImageFormBase` does the same for Wagtail's image
form once `WAGTAILIMAGES_IMAGE_FORM_BASE` names it: it holds images to the portal's image limit, and refuses
an image that cannot be read to its end.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtailmedia.forms import BaseMediaForm

from . import uploads


def _hold_to_limit(field, kind: str) -> None:
    """Size one of Wagtail's file fields (its check and its messages) by the portal's current limit.

    Wagtail reads its limit from the server's settings when the process starts; the portal's may be lower.
    """
    limit = uploads.max_bytes(kind)
    if field.max_upload_size is not None:
        limit = min(limit, field.max_upload_size)
    field.max_upload_size = limit
    field.max_upload_size_text = filesizeformat(limit)
    field.error_messages["file_too_large_unknown_size"] = _(
        "This file is too big. Maximum filesize %(max_filesize)s."
    ) % {"max_filesize": field.max_upload_size_text}
    help_text = _("Maximum filesize: %(max_upload_size)s.") % {"max_upload_size": field.max_upload_size_text}
    if formats := getattr(field, "supported_formats_text", None):
        help_text = _("Supported formats: %(supported_formats)s. Maximum filesize: %(max_upload_size)s.") % {
            "supported_formats": formats,
            "max_upload_size": field.max_upload_size_text,
        }
    field.help_text = help_text


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            _hold_to_limit(self.fields["file"], uploads.DOCUMENT)

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


class ReadImageField(WagtailImageField):
    """Wagtail's image field (format, extension and pixel checks, with its messages), which also reads the
    image to its end (`uploads.check_image_reads`).

    Willow opens an image lazily: a malformed one passes its format check and then fails in the pixel
    check with the decoder's own error, which Wagtail lets through as a server error.
    """

    def to_python(self, data):
        try:
            file = super().to_python(data)
        except ValidationError:
            raise
        except Exception as error:  # the decoder's, from the first read of the image's header
            raise uploads.unreadable_image() from error
        if file is not None:
            uploads.check_image_reads(file)
        return file


class ImageFormBase(BaseImageForm):
    """Wagtail's image form, holding images to the portal's image limit and refusing, as a form error,
    any that cannot be read to its end."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            wagtail_field = self.fields["file"]
            self.fields["file"] = ReadImageField(
                label=wagtail_field.label, required=wagtail_field.required, widget=wagtail_field.widget
            )
            _hold_to_limit(self.fields["file"], uploads.IMAGE)
