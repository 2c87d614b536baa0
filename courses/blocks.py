"""The blocks a lesson body is made of, with the shapes the API gives them."""

import mimetypes

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import expand_db_html
from wagtailmedia.blocks import VideoChooserBlock

from lms.links import absolute_url

from .files import media_url, poster_url


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "courses/blocks/heading.html"
        label = _("Heading")


class TextBlock(blocks.RichTextBlock):
    def get_api_representation(self, value, context=None):
        return expand_db_html(value.source)

    class Meta:
        icon = "pilcrow"
        template = "courses/blocks/text.html"
        label = _("Text")


class ChosenFileRepresentation:
    """A chosen file in the API: its id, title and absolute (checked) URL, and what `file_fields` adds for its kind."""

    def get_api_representation(self, value, context=None):
        if value is None:
            return None
        request = (context or {}).get("request")
        url = absolute_url(self.file_url(value), request)
        return {"id": value.pk, "title": value.title, "url": url, **self.file_fields(value, request)}

    def file_url(self, value) -> str:
        return value.url

    def file_fields(self, value, request) -> dict:
        raise NotImplementedError


def media_type(media) -> str:
    return mimetypes.guess_type(media.file.name)[0] or "application/octet-stream"


RESUME_MARGIN = 5.0  # seconds: a position this close to either end of a video starts it over, offering no resume


def clock(seconds: float) -> str:
    """A time in a video as players show it: m:ss, or h:mm:ss from an hour on."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class VideoBlock(ChosenFileRepresentation, VideoChooserBlock):
    """A video (or audio file), played and downloaded from its checked address, never from its storage path.

    When an app follows the visitor's watching, the page's context has `video_progress` (learners.page_parts):
    `{"url": where the player sends its heartbeats, "videos": {media id: progress with position and duration}}`;
    the player of a followed video then reports to that address (static/js/video-progress.js) and offers to resume
    at the last position.
    """

    def file_url(self, value):
        return media_url(value)

    def file_fields(self, value, request):
        poster = poster_url(value)
        return {
            "type": media_type(value),
            "duration": value.duration,
            "thumbnail": absolute_url(poster, request) if poster else None,
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        if value is not None:
            context.update(video_url=media_url(value), poster_url=poster_url(value), video_type=media_type(value))
            context["watching"] = self.watching(value, parent_context or {})
        return context

    @staticmethod
    def watching(value, parent_context) -> dict | None:
        """Where the player reports, where it stands, and the resume offer (m:ss, or None), if it is followed."""
        progress = parent_context.get("video_progress")
        state = progress["videos"].get(value.pk) if progress else None
        if state is None:
            return None
        end = state.duration or float("inf")
        resume = RESUME_MARGIN <= state.position < end - RESUME_MARGIN
        return {
            "url": progress["url"],
            "position": state.position,
            "resume_at": clock(state.position) if resume else None,
        }

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        label = _("Video")


class FileBlock(ChosenFileRepresentation, DocumentChooserBlock):
    """A material to download: a Wagtail document."""

    def file_fields(self, value, request):
        return {"file_extension": value.file_extension, "size": value.get_file_size()}

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/file.html"
        label = _("File or material")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(required=False, max_length=255, label=_("Caption"))

    def get_api_representation(self, value, context=None):
        image = value["image"]
        if image is None:
            return None
        request = (context or {}).get("request")
        rendition = image.get_rendition("max-1200x1200")
        return {
            "id": image.pk,
            "url": absolute_url(rendition.url, request),
            "width": rendition.width,
            "height": rendition.height,
            "alt": value["caption"] or image.title,
            "caption": value["caption"],
        }

    class Meta:
        icon = "image"
        template = "courses/blocks/image.html"
        label = _("Image")


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(
        choices=[
            ("text", "Plain text"),
            ("python", "Python"),
            ("javascript", "JavaScript"),
            ("html", "HTML"),
            ("css", "CSS"),
            ("sql", "SQL"),
            ("bash", "Shell"),
        ],
        default="python",
        label=_("Language"),
    )
    code = blocks.TextBlock(label=_("Code"))

    class Meta:
        icon = "code"
        template = "courses/blocks/code.html"
        label = _("Code")


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = TextBlock(features=["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "code", "blockquote"])
    video = VideoBlock()
    image = ImageBlock()
    file = FileBlock()
    embed = EmbedBlock(icon="site", label=_("Embed"), template="courses/blocks/embed.html")
    code = CodeBlock()
