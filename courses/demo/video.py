"""Make the demo video, `files/intro.webm`, from its script (`content.intro_video`): needs ffmpeg.

Run from the project root: `.venv/bin/python -m courses.demo.video`. Only a maintainer who changes the
slides runs it; the file is kept in the repository, so neither installing nor seeding the portal needs
ffmpeg. The slides' texts go through files (`textfile=`), so no text needs escaping for ffmpeg's filters.

The result: 640×360 at 12 frames a second, VP9 and mono Opus, about 75 seconds in well under 1.5 MB (the
slides hardly change from frame to frame).
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .content.intro_video import DURATION, SLIDE_SECONDS, SLIDES

SIZE = (640, 360)
RATE = 12
FONTS = Path("/usr/share/fonts/truetype/dejavu")
OUTPUT = Path(__file__).resolve().parent / "files" / "intro.webm"
FADE = 0.6  # seconds each slide's text takes to appear and to go


def _alpha(start: float, end: float) -> str:
    """A drawtext opacity that fades in after `start` and out before `end` (0 outside)."""
    return (
        f"if(lt(t,{start}),0,if(lt(t,{start + FADE}),(t-{start})/{FADE},"
        f"if(lt(t,{end - FADE}),1,if(lt(t,{end}),({end}-t)/{FADE},0))))"
    )


def _text(folder: Path, name: str, content: str, *, size: int, y: int, bold: bool, alpha: str, x: str) -> str:
    path = folder / f"{name}.txt"
    path.write_text(content, encoding="utf-8")
    font = FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    return (
        f"drawtext=fontfile={font}:textfile={path}:fontsize={size}:fontcolor=white:"
        f"x={x}:y={y}:alpha='{alpha}':shadowcolor=black@0.35:shadowx=2:shadowy=2"
    )


def filters(folder: Path) -> str:
    """The filter graph: the moving gradient, the slides' texts, and a progress line along the bottom."""
    width, height = SIZE
    steps = [_text(folder, "brand", "LEARNING PORTAL", size=14, y=24, bold=True, alpha="0.8", x="32")]
    for number, slide in enumerate(SLIDES):
        start, end = number * SLIDE_SECONDS, (number + 1) * SLIDE_SECONDS
        alpha = _alpha(start + 0.2, end - 0.2)
        steps.append(
            _text(folder, f"title-{number}", slide.title, size=30, y=100, bold=True, alpha=alpha, x="(w-text_w)/2")
        )
        for line_number, line in enumerate(slide.text.splitlines()):
            steps.append(
                _text(
                    folder,
                    f"text-{number}-{line_number}",
                    line,
                    size=20,
                    y=158 + 30 * line_number,
                    bold=False,
                    alpha=alpha,
                    x="(w-text_w)/2",
                )
            )
    return (
        f"[0:v]{','.join(steps)}[slides];"
        f"[slides][1:v]overlay=x='-w+w*t/{DURATION}':y={height - 5}:shortest=1,format=yuv420p[video]"
    )


def command(folder: Path) -> list[str]:
    width, height = SIZE
    chord = "+".join(
        f"{weight}*sin(2*PI*{hertz}*t)" for hertz, weight in ((220.0, 1), (277.18, 0.7), (329.63, 0.6), (440.0, 0.2))
    )
    return [
        "ffmpeg", "-y", "-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i",
        f"gradients=s={width}x{height}:r={RATE}:d={DURATION}:c0=0x0f172a:c1=0x1e3a8a:c2=0x115e59:n=3:speed=0.002:seed=7",
        "-f", "lavfi", "-i", f"color=c=white@0.9:s={width}x5:r={RATE}:d={DURATION}",
        "-f", "lavfi", "-i", f"aevalsrc='0.05*({chord})*(0.8+0.2*sin(2*PI*t/8))':s=48000:d={DURATION}",
        "-filter_complex", filters(folder),
        "-map", "[video]", "-map", "2:a",
        "-af", f"afade=t=in:d=2,afade=t=out:st={DURATION - 3}:d=3",
        "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "42", "-deadline", "good", "-cpu-used", "2", "-row-mt", "1",
        "-g", str(RATE * 5),
        "-c:a", "libopus", "-b:a", "24k", "-ac", "1",
        "-t", str(DURATION),
        str(OUTPUT),
    ]  # fmt: skip


def main() -> None:
    if shutil.which("ffmpeg") is None:
        sys.exit("ffmpeg is needed to make the demo video (apt-get install ffmpeg).")
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(command(Path(folder)), check=True)  # noqa: S603 (our own command)
    print(f"{OUTPUT}: {OUTPUT.stat().st_size:,} bytes, {DURATION:g} s")


if __name__ == "__main__":
    main()
