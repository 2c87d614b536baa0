"""The site's pages on a fresh database: our home page as the site root, and the catalog under it.
"""

from django.db import migrations


def create_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("courses", "HomePage")
    CourseIndexPage = apps.get_model("courses", "CourseIndexPage")

    # Wagtail's placeholder "Welcome" page goes; ours takes its place in the tree.
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore", content_type__model="page").delete()
    root = Page.objects.get(depth=1)
    locale = Locale.objects.order_by("pk").first()
    home_type, _ = ContentType.objects.get_or_create(app_label="courses", model="homepage")
    catalog_type, _ = ContentType.objects.get_or_create(app_label="courses", model="courseindexpage")
    home = HomePage.objects.create(
        title="Learn something new",
        draft_title="Learn something new",
        slug="home",
        content_type=home_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=1,
        url_path="/home/",
        locale=locale,
        live=True,
        intro="<p>Courses written by teachers, taken at your own pace, with quizzes and certificates.</p>",
    )
    root.numchild = 1
    root.save(update_fields=["numchild"])
    CourseIndexPage.objects.create(
        title="Courses",
        draft_title="Courses",
        slug="courses",
        content_type=catalog_type,
        path=f"{home.path}0001",
        depth=3,
        numchild=0,
        url_path="/home/courses/",
        locale=locale,
        live=True,
        intro="<p>Every course of the portal. Pick one and start with its first lesson.</p>",
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "port": 80, "site_name": ""}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
