"""Demo assets drawn at seed time: course covers and the video poster (Pillow), handouts (weasyprint), caption
tracks (WebVTT).

Covers and the poster carry no text: the pages print the title, level and language beside them, in the
visitor's language, and a poster's words would sit under the player's controls on a phone. A cover is the
category's gradient with a drawing of its subject (code, a chart, speech bubbles, shapes, a checklist), varied
per course. The demo video is the one file made ahead of time and kept in the repository, because encoding it
needs ffmpeg: `courses.demo.video` makes it from its script (`content.intro_video`).
"""

import logging
import random
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

FILES = Path(__file__).resolve().parent / "files"

COVER_SIZE = (1280, 720)
WHITE = (255, 255, 255)


def _rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return tuple(int(color[i : i + 2], 16) for i in (0, 2, 4))


def gradient(size: tuple[int, int], start: str, end: str) -> Image.Image:
    """A diagonal gradient from `start` (top left) to `end` (bottom right)."""
    across = Image.linear_gradient("L").rotate(90).resize(size)  # 0 on the left, 255 on the right
    down = Image.linear_gradient("L").resize(size)
    mask = ImageChops.add(across, down, scale=2)
    return Image.composite(Image.new("RGB", size, _rgb(end)), Image.new("RGB", size, _rgb(start)), mask)


def _decorate(image: Image.Image) -> None:
    """Soft translucent circles, so that covers of one category still look apart."""
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    w, h = image.size
    draw.ellipse((w - 520, -260, w + 260, 520), fill=(255, 255, 255, 28))
    draw.ellipse((w - 300, h - 220, w + 120, h + 200), fill=(255, 255, 255, 22))
    draw.ellipse((-180, h - 160, 200, h + 220), fill=(0, 0, 0, 30))
    image.paste(Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB"))


def _png(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# --- covers: a drawing of the category's subject, with no text ------------------------------------------------

SOFT, FAINT, STRONG = (255, 255, 255, 60), (255, 255, 255, 32), (255, 255, 255, 215)


def _dots(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int]) -> None:
    """A field of small dots over the left part, thinning out to the right, placed a little differently per course."""
    w, h = size
    step = 40
    offset = rng.randrange(step)
    for x in range(offset, w // 2, step):
        for y in range(offset, h, step):
            if rng.random() < 1 - x / (w / 2):
                draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill=FAINT)


def _code(draw: ImageDraw.ImageDraw, rng: random.Random, box: tuple[int, int, int, int]) -> None:
    """An editor window with lines of code as bars, indented as code is."""
    x0, y0, x1, y1 = box
    draw.rounded_rectangle(box, radius=28, fill=(15, 23, 42, 110), outline=SOFT, width=3)
    draw.line((x0, y0 + 64, x1, y0 + 64), fill=SOFT, width=2)
    for number, color in enumerate(((248, 113, 113, 220), (250, 204, 21, 220), (74, 222, 128, 220))):
        cx = x0 + 40 + number * 34
        draw.ellipse((cx - 10, y0 + 22, cx + 10, y0 + 42), fill=color)
    indent, y = 0, y0 + 100
    while y < y1 - 40:
        length = rng.randint(120, 340)
        left = x0 + 48 + indent * 44
        draw.rounded_rectangle(
            (left, y, min(left + length, x1 - 48), y + 18), radius=9, fill=STRONG if indent == 0 else SOFT
        )
        if rng.random() < 0.3:
            draw.rounded_rectangle(
                (min(left + length, x1 - 140) + 20, y, min(left + length + 110, x1 - 48), y + 18),
                radius=9,
                fill=(125, 211, 252, 200),
            )
        indent = max(0, min(3, indent + rng.choice((-1, 0, 1, 1))))
        y += 42


def _chart(draw: ImageDraw.ImageDraw, rng: random.Random, box: tuple[int, int, int, int]) -> None:
    """A bar chart rising to the right, with a trend line and its points."""
    x0, y0, x1, y1 = box
    for y in range(y0, y1 + 1, (y1 - y0) // 4):
        draw.line((x0, y, x1, y), fill=FAINT, width=2)
    bars = 7
    gap = 22
    width = (x1 - x0 - gap * (bars - 1)) // bars
    points = []
    height = (y1 - y0) * 0.25
    for number in range(bars):
        height = min((y1 - y0) * 0.95, max((y1 - y0) * 0.15, height + rng.uniform(-0.05, 0.2) * (y1 - y0)))
        left = x0 + number * (width + gap)
        draw.rounded_rectangle((left, y1 - height, left + width, y1), radius=10, fill=SOFT if number % 2 else STRONG)
        points.append((left + width // 2, y1 - height - 40))
    draw.line(points, fill=(255, 255, 255, 235), width=6, joint="curve")
    for x, y in points:
        draw.ellipse((x - 11, y - 11, x + 11, y + 11), fill=(255, 255, 255, 255))


def _bubble(draw, box, *, tail_left: bool, fill, lines: list[float]) -> None:
    x0, y0, x1, y1 = box
    draw.rounded_rectangle(box, radius=36, fill=fill)
    tail = (x0 + 70, y1 - 2) if tail_left else (x1 - 70, y1 - 2)
    tip = (tail[0] - 40, y1 + 60) if tail_left else (tail[0] + 40, y1 + 60)
    draw.polygon([(tail[0] - 30, tail[1]), (tail[0] + 30, tail[1]), tip], fill=fill)
    for number, share in enumerate(lines):
        y = y0 + 44 + number * 40
        draw.rounded_rectangle((x0 + 44, y, x0 + 44 + (x1 - x0 - 88) * share, y + 18), radius=9, fill=(15, 23, 42, 90))


def _speech(draw: ImageDraw.ImageDraw, rng: random.Random, box: tuple[int, int, int, int]) -> None:
    """Two speech bubbles in conversation, and a globe's meridians behind them."""
    x0, y0, x1, y1 = box
    cx, cy, r = x1 - 150, y0 + 120, 140
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=SOFT, width=4)
    draw.ellipse((cx - r // 2, cy - r, cx + r // 2, cy + r), outline=SOFT, width=3)
    draw.line((cx - r, cy, cx + r, cy), fill=SOFT, width=3)
    draw.line((cx, cy - r, cx, cy + r), fill=SOFT, width=3)
    lines = [rng.uniform(0.5, 1.0) for _ in range(3)]
    _bubble(draw, (x0, y0 + 40, x0 + 400, y0 + 230), tail_left=True, fill=(255, 255, 255, 215), lines=lines)
    lines = [rng.uniform(0.4, 1.0) for _ in range(2)]
    _bubble(draw, (x1 - 400, y1 - 190, x1, y1 - 40), tail_left=False, fill=(255, 255, 255, 120), lines=lines)


def _shapes(draw: ImageDraw.ImageDraw, rng: random.Random, box: tuple[int, int, int, int]) -> None:
    """Overlapping shapes on a layout grid, as on a designer's board."""
    x0, y0, x1, y1 = box
    for x in range(x0, x1 + 1, 80):
        draw.line((x, y0, x, y1), fill=FAINT, width=1)
    for y in range(y0, y1 + 1, 80):
        draw.line((x0, y, x1, y), fill=FAINT, width=1)
    shift = rng.randint(-40, 40)
    draw.ellipse((x0 + 60 + shift, y0 + 60, x0 + 340 + shift, y0 + 340), fill=(255, 255, 255, 200))
    draw.rounded_rectangle(
        (x0 + 250, y0 + 160 + shift, x0 + 500, y0 + 410 + shift), radius=24, fill=(255, 255, 255, 90)
    )
    draw.polygon([(x1 - 60, y1 - 30), (x1 - 260, y1 - 30), (x1 - 160, y0 + 150 + shift)], fill=(255, 255, 255, 150))
    draw.line((x0 + 40, y1 - 40, x1 - 300, y0 + 40), fill=STRONG, width=5)
    for x, y in ((x0 + 40, y1 - 40), (x1 - 300, y0 + 40)):
        draw.rectangle((x - 10, y - 10, x + 10, y + 10), fill=(255, 255, 255, 255))


def _checklist(draw: ImageDraw.ImageDraw, rng: random.Random, box: tuple[int, int, int, int]) -> None:
    """A card of tasks, the first ones ticked off, and a target beside it."""
    x0, y0, x1, y1 = box
    card = (x0, y0, x0 + 400, y1)
    draw.rounded_rectangle(card, radius=28, fill=(255, 255, 255, 60), outline=SOFT, width=3)
    done = rng.randint(2, 3)
    for number in range(5):
        y = y0 + 50 + number * 80
        draw.rounded_rectangle((x0 + 40, y, x0 + 80, y + 40), radius=8, outline=STRONG, width=4)
        if number < done:
            draw.line([(x0 + 48, y + 20), (x0 + 58, y + 31), (x0 + 76, y + 6)], fill=(255, 255, 255, 255), width=6)
        length = rng.randint(160, 260)
        draw.rounded_rectangle(
            (x0 + 110, y + 11, x0 + 110 + length, y + 29), radius=9, fill=SOFT if number < done else STRONG
        )
    cx, cy = x1 - 140, y0 + (y1 - y0) // 2
    for radius, alpha in ((140, 50), (100, 90), (60, 150), (24, 255)):
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=(255, 255, 255, alpha))
    draw.line((cx, cy, cx + 150, cy - 150), fill=(255, 255, 255, 255), width=6)


MOTIFS = {"programming": _code, "data": _chart, "languages": _speech, "design": _shapes, "business": _checklist}
MOTIF_BOX = (560, 130, 1180, 600)  # the drawing's place: right of the middle, clear of the card's edges


def cover(*, key: str, motif: str, colors: tuple[str, str]) -> bytes:
    """A 1280×720 PNG without text: the category's gradient, a field of dots, and a drawing of the subject (`motif`,
    a category slug; an unknown one gets only the dots), varied by `key` (the course's slug)."""
    image = gradient(COVER_SIZE, *colors)
    _decorate(image)
    rng = random.Random(key)
    overlay = Image.new("RGBA", COVER_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    _dots(draw, rng, COVER_SIZE)
    if drawing := MOTIFS.get(motif):
        drawing(draw, rng, MOTIF_BOX)
    return _png(Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB"))


def poster(*, size: tuple[int, int] = (960, 540)) -> bytes:
    """A thumbnail for a video: a dark gradient and a play button (the page prints the title beside the player)."""
    image = gradient(size, "#0f172a", "#1d4ed8")
    _decorate(image)
    draw = ImageDraw.Draw(image)
    w, h = size
    radius = 64
    cx, cy = w // 2, h // 2
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=WHITE)
    draw.polygon([(cx - 20, cy - 32), (cx - 20, cy + 32), (cx + 36, cy)], fill=_rgb("#1d4ed8"))
    return _png(image)


def vtt(cues: list[tuple[float, float, str]]) -> bytes:
    """A WebVTT caption track of (start, end, text) cues, times in seconds."""

    def stamp(seconds: float) -> str:
        milliseconds = round(seconds * 1000)
        hours, rest = divmod(milliseconds, 3_600_000)
        minutes, rest = divmod(rest, 60_000)
        return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"

    blocks = [f"{stamp(start)} --> {stamp(end)}\n{text.strip()}" for start, end, text in cues]
    return ("WEBVTT\n\n" + "\n\n".join(blocks) + "\n").encode()


def pdf(html: str) -> bytes:
    """Print an HTML handout to PDF (weasyprint is imported here: it is slow to load)."""
    progress = logging.getLogger("weasyprint.progress")  # "Step 1 - Fetching…" at INFO, per document
    level = progress.level
    progress.setLevel(logging.WARNING)
    try:
        from weasyprint import HTML

        return HTML(string=html).write_pdf()
    finally:
        progress.setLevel(level)


def video_file(filename: str) -> Path:
    return FILES / filename
