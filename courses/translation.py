"""What editors write in each of the portal's languages (django-modeltranslation).

Each field below has a column per language (`intro_en`, `intro_ru`), which the editor shows one under the other
("Intro (English)", "Intro (Russian)"). Read as `page.intro`, a field gives the active language's text, or the
English one where that is empty (`MODELTRANSLATION_FALLBACK_LANGUAGES`); querysets filter and order by the active
language's column. Only our own models' fields: Wagtail's own (a page's title) stay as they are.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Category, CourseIndexPage, HomePage


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description")
    # Names are unique in each language: a missing Russian name is NULL rather than "", so many may lack one.
    empty_values = {"name": None}
    required_languages = {"en": ("name",)}


@register(HomePage)
class HomePageTranslation(TranslationOptions):
    fields = ("heading", "intro")


@register(CourseIndexPage)
class CourseIndexPageTranslation(TranslationOptions):
    fields = ("heading", "intro")
