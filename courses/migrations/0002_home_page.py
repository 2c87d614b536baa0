"""Replace Wagtail's placeholder welcome page with our home page as the site root."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("courses", "HomePage")
    Locale = apps.get_model("wagtailcore", "Locale")

    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="courses")
    root = Page.objects.get(depth=1)
    locale = Locale.objects.order_by("pk").first()
    home = HomePage.objects.create(
        title="Learn something new",
        draft_title="Learn something new",
        slug="home",
        content_type=content_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        intro="<p>Courses written by teachers, taken at your own pace, with quizzes and certificates.</p>",
    )
    root.numchild = 1
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "port": 80}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home_page, migrations.RunPython.noop)]
