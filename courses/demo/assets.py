"""Demo assets drawn at seed time: course covers and the video poster (Pillow), handouts (weasyprint).

The demo video is the one file made ahead of time and kept in the repository, because encoding it
needs ffmpeg; `VIDEO_RECIPE` is the command that made it (run from the project root).
"""

import logging
from functools import cache
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

FILES = Path(__file__).resolve().parent / "files"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

VIDEO_RECIPE = """
ffmpeg -f lavfi -i testsrc2=size=480x270:rate=24:duration=6 \\
       -f lavfi -i sine=frequency=440:sample_rate=48000:duration=6 \\
       -vf "drawbox=x=0:y=200:w=480:h=70:color=black@0.55:t=fill,
            drawtext=fontfile=DejaVuSans-Bold.ttf:text='Learning Portal — demo video':fontcolor=white:fontsize=22:x=(w-text_w)/2:y=212,
            drawtext=fontfile=DejaVuSans-Bold.ttf:text='%{eif\\:t+1\\:d} / 6':fontcolor=white:fontsize=16:x=(w-text_w)/2:y=242" \\
       -af "volume=0.25,afade=t=in:d=0.3,afade=t=out:st=5.5:d=0.5" \\
       -c:v libvpx-vp9 -b:v 0 -crf 42 -deadline good -cpu-used 2 -row-mt 1 -pix_fmt yuv420p \\
       -c:a libopus -b:a 32k -ac 1 -t 6 courses/demo/files/intro.webm
"""

COVER_SIZE = (1280, 720)
WHITE = (255, 255, 255)
LEVEL_LABELS = {
    "en": {"beginner": "Beginner", "intermediate": "Intermediate", "advanced": "Advanced"},
    "ru": {"beginner": "Для начинающих", "intermediate": "Средний уровень", "advanced": "Продвинутый уровень"},
}


@cache
def font(size: int, *, bold: bool = True) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """DejaVu Sans (it has Cyrillic) when the system has it, else Pillow's own font."""
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return tuple(int(color[i : i + 2], 16) for i in (0, 2, 4))


def gradient(size: tuple[int, int], start: str, end: str) -> Image.Image:
    """A diagonal gradient from `start` (top left) to `end` (bottom right)."""
    across = Image.linear_gradient("L").rotate(90).resize(size)  # 0 on the left, 255 on the right
    down = Image.linear_gradient("L").resize(size)
    mask = ImageChops.add(across, down, scale=2)
    return Image.composite(Image.new("RGB", size, _rgb(end)), Image.new("RGB", size, _rgb(start)), mask)


def _wrap(draw: ImageDraw.ImageDraw, words: list[str], face, width: int) -> list[str]:
    lines: list[str] = []
    for word in words:
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=face) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _fit(draw: ImageDraw.ImageDraw, title: str, width: int, max_lines: int = 3):
    """The largest font size (and the wrapped lines) at which the title fits the box."""
    words = title.split()
    for size in range(96, 39, -4):
        face = font(size)
        lines = _wrap(draw, words, face, width)
        if len(lines) <= max_lines and all(draw.textlength(line, font=face) <= width for line in lines):
            return face, lines, size
    face = font(40)
    return face, _wrap(draw, words, face, width), 40


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


def cover(*, title: str, category: str, colors: tuple[str, str], level: str, language: str) -> bytes:
    """A 1280×720 PNG: the category's gradient, the course title large, category and level above it."""
    image = gradient(COVER_SIZE, *colors)
    _decorate(image)
    draw = ImageDraw.Draw(image)
    margin = 88
    width = COVER_SIZE[0] - 2 * margin

    label = category.upper()
    draw.text((margin, 84), label, font=font(30), fill=WHITE)
    draw.rectangle((margin, 134, margin + 96, 140), fill=WHITE)

    face, lines, size = _fit(draw, title, width)
    line_height = int(size * 1.18)
    top = 190 + max(0, (3 - len(lines)) * line_height // 2)
    for number, line in enumerate(lines):
        draw.text((margin + 3, top + number * line_height + 3), line, font=face, fill=(0, 0, 0, 90))
        draw.text((margin, top + number * line_height), line, font=face, fill=WHITE)

    footer = f"{LEVEL_LABELS.get(language, LEVEL_LABELS['en']).get(level, level)}  ·  {language.upper()}"
    draw.text((margin, COVER_SIZE[1] - 110), footer, font=font(30, bold=False), fill=WHITE)
    return _png(image)


def poster(*, title: str, size: tuple[int, int] = (960, 540)) -> bytes:
    """A thumbnail for a video: a dark gradient, a play button and the title."""
    image = gradient(size, "#0f172a", "#1d4ed8")
    _decorate(image)
    draw = ImageDraw.Draw(image)
    w, h = size
    radius = 64
    cx, cy = w // 2, h // 2 - 40
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=WHITE)
    draw.polygon([(cx - 20, cy - 32), (cx - 20, cy + 32), (cx + 36, cy)], fill=_rgb("#1d4ed8"))
    face = font(40)
    lines = _wrap(draw, title.split(), face, w - 120)
    for number, line in enumerate(lines[:2]):
        draw.text((w // 2, cy + radius + 50 + number * 50), line, font=face, fill=WHITE, anchor="mm")
    return _png(image)


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
