"""Draw the Rep Coach brand images (icon and logo) into custom_components/rep_coach/brand/.

Pure geometry plus Pillow's built-in font, so any machine with the venv redraws the same pixels.
The picture: a bench, a hip rising in an arc above it, and the sensor's beam measuring it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND_DIR = Path(__file__).resolve().parents[1] / "custom_components" / "rep_coach" / "brand"

BACKGROUND = (24, 90, 157, 255)  # deep blue
FOREGROUND = (255, 255, 255, 255)
ACCENT = (255, 183, 3, 255)  # amber: the coach's cue
TEXT = (24, 90, 157, 255)


def draw_icon(size: int) -> Image.Image:
    """The square icon at ``size`` pixels."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    unit = size / 256
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=round(48 * unit), fill=BACKGROUND)
    line = max(2, round(14 * unit))
    # Bench: seat and two legs.
    draw.rounded_rectangle(
        (round(40 * unit), round(176 * unit), round(216 * unit), round(192 * unit)),
        radius=round(6 * unit),
        fill=FOREGROUND,
    )
    for x in (64, 184):
        draw.rectangle(
            (round((x - 6) * unit), round(192 * unit), round((x + 6) * unit), round(220 * unit)),
            fill=FOREGROUND,
        )
    # The hip's path: an arc rising from the bench.
    draw.arc(
        (round(56 * unit), round(64 * unit), round(200 * unit), round(232 * unit)),
        start=200,
        end=340,
        fill=FOREGROUND,
        width=line,
    )
    # The hip at the top of the rep, and the sensor's beam measuring it.
    hip = (128 * unit, 72 * unit)
    radius = 20 * unit
    draw.ellipse((hip[0] - radius, hip[1] - radius, hip[0] + radius, hip[1] + radius), fill=ACCENT)
    # The sensor above, its beam pointing down at the hip.
    draw.rounded_rectangle(
        (round(108 * unit), round(14 * unit), round(148 * unit), round(30 * unit)),
        radius=round(4 * unit),
        fill=ACCENT,
    )
    for y in (36, 44):
        draw.line(
            (hip[0], round(y * unit), hip[0], round((y + 4) * unit)),
            fill=ACCENT,
            width=max(1, round(6 * unit)),
        )
    return image


def draw_logo(height: int) -> Image.Image:
    """The landscape logo (icon plus name) at ``height`` pixels."""
    font = ImageFont.load_default(size=round(height * 0.42))
    text = "Rep Coach"
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    left, top, right, bottom = probe.textbbox((0, 0), text, font=font)
    gap = round(height * 0.18)
    width = height + gap + (right - left) + gap
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    image.paste(draw_icon(height), (0, 0))
    ImageDraw.Draw(image).text(
        (height + gap - left, (height - (bottom - top)) // 2 - top), text, font=font, fill=TEXT
    )
    return image


def render(directory: Path) -> list[Path]:
    """Write every brand image into ``directory``; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    images = {
        "icon.png": draw_icon(256),
        "icon@2x.png": draw_icon(512),
        "logo.png": draw_logo(128),
        "logo@2x.png": draw_logo(256),
    }
    written = []
    for name, image in images.items():
        path = directory / name
        image.save(path, optimize=True)
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in render(Path(sys.argv[1]) if len(sys.argv) > 1 else BRAND_DIR):
        print(written_path)
