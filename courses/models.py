"""Content of the portal: the home page, the catalog, courses and lessons, as Wagtail pages."""

from django.db import models
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import LessonBodyBlock
from .files import PageFilesForm
from .forms import PageForm
from .permissions import CatalogPermissionTester, CoursePermissionTester
from .visibility import for_request, visible


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")
    GERMAN = "de", _("German")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")


@register_snippet
class Category(index.Indexed, models.Model):
    """A subject area of the catalog, such as Programming or Languages."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=False)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class HomePage(Page):
    """The site root: a welcome and the way into the catalog."""

    intro = RichTextField(_("intro"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage"]
    max_count = 1
    base_form_class = PageForm

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        catalog = CourseIndexPage.objects.live().first()
        context["catalog"] = catalog
        context["featured"] = visible(catalog.courses(), **for_request(request))[:6] if catalog else []
        return context


class CourseIndexPage(Page):
    """The catalog: every published course lives under it."""

    intro = RichTextField(_("intro"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1
    base_form_class = PageForm
    per_page = 12

    class Meta:
        verbose_name = _("course catalog")

    def permissions_for_user(self, user):
        return CatalogPermissionTester(user, self)

    def courses(self):
        return (
            CoursePage.objects.child_of(self)
            .live()
            .select_related("owner", "category", "cover_image")
            .order_by("-created_at", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        # The catalog is searched, filtered and sorted by its URL; `search` builds on these models.
        from search.browse import catalog_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalog_context(request, self.courses(), per_page=self.per_page, scope=f"index:{self.pk}"))
        return context


class CoursePage(Page):
    """A course: a description and an ordered set of lessons, taught by the page's owner."""

    summary = models.CharField(_("summary"), max_length=300, help_text=_("One or two sentences for the catalog card."))
    description = RichTextField(_("description"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.BEGINNER)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH)
    duration_minutes = models.PositiveIntegerField(
        _("estimated duration (minutes)"), null=True, blank=True, help_text=_("Leave empty to add up the lessons.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False, db_index=True)
    # Kept by the reviews service after every change to a course's visible reviews, so that lists
    # can show and sort by ratings without a query per course.
    rating_avg = models.DecimalField(_("average rating"), max_digits=3, decimal_places=2, null=True, editable=False)
    rating_count = models.PositiveIntegerField(_("number of ratings"), default=0, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("level"), FieldPanel("language"), FieldPanel("duration_minutes")],
            heading=_("About the course"),
        ),
    ]
    settings_panels = [
        *Page.settings_panels,
        FieldPanel("owner", permission="superuser", heading=_("Teacher")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("description"),
        index.RelatedFields("category", [index.SearchField("name")]),
        index.RelatedFields("owner", [index.SearchField("name")]),
        index.FilterField("level"),
        index.FilterField("language"),
        index.FilterField("category"),
        index.FilterField("owner"),
        index.FilterField("created_at"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]
    base_form_class = PageFilesForm  # its description links only documents its teacher may choose

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def permissions_for_user(self, user):
        return CoursePermissionTester(user, self)

    def with_content_json(self, content):
        page = super().with_content_json(content)
        # The ratings are the reviews service's, not the editor's: publishing an older draft must not
        # bring back the ratings it was saved with.
        page.rating_avg, page.rating_count = self.rating_avg, self.rating_count
        return page

    @property
    def course_owner_id(self):
        return self.owner_id

    def lessons(self):
        """The published lessons in syllabus order (the page tree's order)."""
        return LessonPage.objects.child_of(self).live().order_by("path")

    def total_minutes(self, lessons=None):
        if self.duration_minutes:
            return self.duration_minutes
        lessons = self.lessons() if lessons is None else lessons
        return sum(lesson.duration_minutes or 0 for lesson in lessons) or None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lessons = list(visible(self.lessons(), **for_request(request)))
        context["lessons"] = lessons
        context["total_minutes"] = self.total_minutes(lessons)
        return context


class LessonQuerySet(PageQuerySet):
    def taught_by(self, user):
        """Lessons of the courses the user owns (teaches)."""
        parent_path = Substr("path", 1, Length("path") - Page.steplen)
        return self.annotate(course_path=parent_path).filter(
            course_path__in=CoursePage.objects.filter(owner=user).values("path")
        )


class LessonPage(Page):
    """One lesson of a course: a body of blocks, taken in the course's order."""

    objects = PageManager.from_queryset(LessonQuerySet)()

    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)
    duration_minutes = models.PositiveIntegerField(_("estimated duration (minutes)"), null=True, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("duration_minutes"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    base_form_class = PageFilesForm  # its body holds only documents and videos its teacher may choose

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def permissions_for_user(self, user):
        return CoursePermissionTester(user, self)

    @property
    def course(self) -> CoursePage:
        if not hasattr(self, "_course"):
            self._course = CoursePage.objects.select_related("owner").get(
                path=self.path[: -self.steplen], depth=self.depth - 1
            )
        return self._course

    @property
    def course_owner_id(self):
        return self.course.owner_id

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lessons = list(visible(self.course.lessons(), **for_request(request)).only("id", "title", "path", "url_path"))
        ids = [lesson.pk for lesson in lessons]
        position = ids.index(self.pk) if self.pk in ids else None
        context["course"] = self.course
        context["lessons"] = lessons
        context["position"] = position + 1 if position is not None else None
        context["previous_lesson"] = lessons[position - 1] if position else None
        context["next_lesson"] = (
            lessons[position + 1] if position is not None and position + 1 < len(lessons) else None
        )
        return context

