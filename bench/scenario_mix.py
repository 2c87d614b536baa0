"""The cache-hostile classes of the benchmark: many distinct requests per scenario, drawn at random per
request by bench/load.py (`requests`, `mix`), so that the figures are those of real traffic, not of one
cached answer asked again and again.

| class | requests |
|---|---|
| `catalog_mix` | `/api/v1/courses/?page=N&ordering=…[&level=…][&category=…][&language=…]`: thousands of distinct pages, every one within the filtered list's pages |
| `search_mix` | `/api/v1/courses/?search=WORD&page=1…3`: a few hundred words of the seeded content (bench/search_words.py) |
| `detail_random` | `/api/v1/courses/{id}/` of random live courses, anonymous |
| `course_html_random` | the course pages of the same random courses, anonymous |
| `lesson_random` | the bench course's open lessons (1–15) as random bench learners (session cookie) |
| `day_mix` | all of the above and quiz submissions, weighted as `DAY_MIX` |

Everything is drawn with `random.Random(MIX_SEED)`, so every run asks the same requests.
"""

import math
import random
from collections import Counter
from urllib.parse import urlencode

from .search_words import search_words

MIX_SEED = 20261130
CATALOG_VARIANTS = 4000  # distinct catalog pages asked for (fewer when the catalog has fewer)
COURSE_SAMPLE = 2000  # random live courses whose detail and page are asked for
PAGE_SIZE = 20
CATALOG_PAGES = 20
SEARCH_PAGES = 3
ORDERINGS = ("relevance", "title", "-created", "-rating", "-popularity")
FILTER_SHARES = {"level": 0.3, "category": 0.4, "language": 0.3}  # how often each filter is set
# The day's mix, in per cent of requests.
DAY_MIX = {
    "catalog_mix": 30,
    "search_mix": 20,
    "detail_random": 15,
    "lesson_random": 15,
    "course_html_random": 10,
    "quiz": 10,
}
LABELS = {
    "catalog_mix": "catalog, distinct pages, orderings, filters",
    "search_mix": "search, distinct words × pages 1–3",
    "detail_random": "course detail, random courses",
    "course_html_random": "course page HTML, random courses",
    "lesson_random": "lesson page HTML, random open lessons",
    "day_mix": "day mix (all classes and quiz)",
}


def catalog_requests(rng: random.Random) -> list[dict]:
    """Distinct catalog pages: each a random ordering and random filters, at a page the filtered list has."""
    from courses.models import CoursePage, Language, Level

    counts = Counter()
    for row in CoursePage.objects.live().values("category__slug", "level", "language").order_by():
        counts[(row["category__slug"], row["level"], row["language"])] += 1
    choices = {
        "level": list(Level.values),
        "category": sorted({category for category, _level, _language in counts if category}),
        "language": list(Language.values),
    }

    def total(level, category, language) -> int:
        return sum(
            n
            for (c, lv, la), n in counts.items()
            if (level is None or lv == level)
            and (category is None or c == category)
            and (language is None or la == language)
        )

    seen, requests = set(), []
    for _attempt in range(CATALOG_VARIANTS * 20):
        if len(requests) >= CATALOG_VARIANTS:
            break
        picked = {
            name: rng.choice(choices[name]) if rng.random() < share else None for name, share in FILTER_SHARES.items()
        }
        pages = max(1, math.ceil(total(picked["level"], picked["category"], picked["language"]) / PAGE_SIZE))
        query = {"page": rng.randint(1, min(CATALOG_PAGES, pages)), "ordering": rng.choice(ORDERINGS)}
        query.update({name: value for name, value in picked.items() if value is not None})
        path = f"/api/v1/courses/?{urlencode(query)}"
        if path not in seen:
            seen.add(path)
            requests.append({"path": path, "group": "catalog_mix"})
    return requests


def search_requests() -> list[dict]:
    """Every word at pages 1 to 3; a page past the last one is a 404, which counts as an answer too."""
    return [
        {
            "path": f"/api/v1/courses/?{urlencode({'search': word, 'page': page})}",
            "expect": 200 if page == 1 else [200, 404],
            "group": "search_mix",
        }
        for word in search_words()
        for page in range(1, SEARCH_PAGES + 1)
    ]


def course_requests(rng: random.Random) -> tuple[list[dict], list[dict]]:
    """(API details, HTML pages) of `COURSE_SAMPLE` random live courses."""
    from courses.models import CoursePage

    ids = sorted(CoursePage.objects.live().values_list("pk", flat=True))
    sample = rng.sample(ids, min(COURSE_SAMPLE, len(ids)))
    pages = CoursePage.objects.live().filter(pk__in=sample).only("pk", "url_path")
    urls = {page.pk: page.get_url() for page in pages}
    details = [{"path": f"/api/v1/courses/{pk}/", "group": "detail_random"} for pk in sample]
    html = [{"path": urls[pk], "group": "course_html_random"} for pk in sample if urls.get(pk)]
    return details, html


def mixed_scenarios(open_lessons: list, cookies: list[dict], quiz: dict) -> list[dict]:
    """The cache-hostile scenarios; `quiz` is the same-URL quiz scenario, whose submissions the day's mix reuses."""
    rng = random.Random(MIX_SEED)
    catalog = catalog_requests(rng)
    search = search_requests()
    details, html = course_requests(rng)
    lessons = [
        {"path": lesson.url, "headers": cookie, "group": "lesson_random"}
        for lesson in open_lessons
        for cookie in cookies
    ]
    submissions = [
        {
            "method": "POST",
            "path": quiz["path"],
            "headers": headers,
            "body": quiz["body"],
            "expect": 201,
            "group": "quiz",
        }
        for headers in quiz["headers"]
    ]

    def scenario(name: str, requests: list[dict], **extra) -> dict:
        first = requests[0]
        return {
            "name": name,
            "label": LABELS[name],
            "method": first.get("method", "GET"),
            "path": first["path"],
            "headers": [{}],
            "body": None,
            "expect": 200,
            "requests": requests,
            **extra,
        }

    return [
        scenario("catalog_mix", catalog),
        scenario("search_mix", search),
        scenario("detail_random", details),
        scenario("course_html_random", html),
        scenario("lesson_random", lessons),
        scenario("day_mix", [*catalog, *search, *details, *html, *lessons, *submissions], mix=DAY_MIX),
    ]


def samples(scenario: dict, count: int) -> list[dict]:
    """`count` of a class's requests, spread over its list, each as a one-request scenario (for query counts)."""
    requests = scenario.get("requests") or []
    if not requests:
        return [scenario]
    step = max(1, len(requests) // count)
    return [
        {**scenario, **request, "headers": [request.get("headers", {})], "requests": None}
        for request in requests[::step][:count]
    ]
