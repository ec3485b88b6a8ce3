"""Draw the site's fixed images into static/img (run again after changing
them; the PNGs are committed, so no server needs fonts or this script):

- share-card.png (1200×630): the card a chat app shows for a shared link to
  the report page (Open Graph image);
- icon-192.png, icon-512.png: the installed web app's icons.

Needs Pillow and Debian's fonts-noto-cjk; the Tibetan line uses the Noto
Tibetan font the site serves.

    .venv/bin/python scripts/draw_images.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "img"
CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
CJK_REGULAR = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
TIBETAN = ROOT / "static" / "vendor" / "fonts" / "NotoSerifTibetan-Regular.ttf"
BRAND = (179, 38, 30)  # the pages' --brand
WHITE = (255, 255, 255)


def pin(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    """A map pin: a round head over a point, a white dot in it."""
    draw.polygon(
        [
            (cx - r * 0.78, cy + r * 0.55),
            (cx + r * 0.78, cy + r * 0.55),
            (cx, cy + r * 2.0),
        ],
        fill=WHITE,
    )
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=WHITE)
    draw.ellipse(
        [cx - r * 0.42, cy - r * 0.42, cx + r * 0.42, cy + r * 0.42], fill=BRAND
    )


def icon(size: int) -> None:
    image = Image.new("RGB", (size, size), BRAND)
    draw = ImageDraw.Draw(image)
    # The pin sits in the middle 60 %: a maskable icon's safe zone.
    pin(draw, size / 2, size * 0.42, size * 0.17)
    image.save(OUT / f"icon-{size}.png", optimize=True)


def share_card() -> None:
    image = Image.new("RGB", (1200, 630), BRAND)
    draw = ImageDraw.Draw(image)
    pin(draw, 190, 260, 90)
    draw.text(
        (340, 150), "随手拍 · 接诉即办", font=ImageFont.truetype(CJK, 76), fill=WHITE
    )
    draw.text(
        (340, 260),
        "看到问题，三步告诉街道",
        font=ImageFont.truetype(CJK_REGULAR, 52),
        fill=WHITE,
    )
    draw.text(
        (340, 345),
        "ཉེ་འཁོར་གྱི་དཀའ་ངལ་ང་ཚོར་གསུངས་རོགས།",
        font=ImageFont.truetype(str(TIBETAN), 46),
        fill=WHITE,
    )
    draw.text(
        (340, 470),
        "CivicGrid",
        font=ImageFont.truetype(CJK, 44),
        fill=(255, 214, 210),
    )
    image.save(OUT / "share-card.png", optimize=True)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    share_card()
    for size in (192, 512):
        icon(size)
