"""The app's PNG icons (static/img/icon-*.png, for the web app manifest), drawn from static/img/icon.svg
by the Chromium the browser tests use: `make icons` after changing the SVG, then commit the PNGs.

"any" icons are the SVG as it is (rounded corners, clear outside them). Maskable icons fill the
whole square, because the phone cuts its own shape out of them; the mark already sits inside the middle 80 % circle
a maskable icon must keep its content in, so only the corners change."""

from __future__ import annotations

import base64
import sys

from app.settings import ROOT

CHROMIUM = "/usr/bin/chromium"
IMG = ROOT / "static" / "img"
ROUNDED = 'rx="8"'
# file name → (size in pixels, rounded corners)
ICONS = {
    "icon-192.png": (192, True),
    "icon-512.png": (512, True),
    "icon-maskable-192.png": (192, False),
    "icon-maskable-512.png": (512, False),
}


def main() -> None:
    from playwright.sync_api import sync_playwright

    svg = (IMG / "icon.svg").read_text()
    if ROUNDED not in svg:
        sys.exit(f"static/img/icon.svg no longer has {ROUNDED}: say in app/dev/icons.py how to square its corners.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for name, (size, rounded) in ICONS.items():
            drawn = svg if rounded else svg.replace(ROUNDED, 'rx="0"')
            source = "data:image/svg+xml;base64," + base64.b64encode(drawn.encode()).decode()
            page = browser.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
            page.set_content(f'<body style="margin:0"><img src="{source}" width="{size}" height="{size}" alt="">')
            page.screenshot(path=str(IMG / name), omit_background=True)
            page.close()
            print(f"static/img/{name}: {size}×{size}")
        browser.close()


if __name__ == "__main__":
    main()
