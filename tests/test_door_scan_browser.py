"""The door scans: the QR on "My codes" carries only the code, and where the browser reads QR codes the redeem page
scans it with the camera and sends it as if typed. Debian's Chromium has no BarcodeDetector, so these tests give it
one that really reads the camera's frame (drawn to a canvas, decoded by zxing-cpp in the test); the camera is
Chromium's fake one, filmed from the QR a young person's phone showed. Elsewhere the page is the typing form."""

from __future__ import annotations

import asyncio
import base64
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from app.codes import pool as code_pool
from app.codes.tables import Code
from tests import factories
from tests.browser import look, signed_in_as
from tests.people import member, young_person

pytestmark = pytest.mark.browser

# A BarcodeDetector as Chrome on Android has one, for the page to find: it draws the video's current frame to a
# canvas and asks the test's decoder (`readQr`) what QR codes are in it. It also notes each camera the page opens.
STAND_IN = """
(() => {
  window.openedCameras = [];
  const media = navigator.mediaDevices;
  const open = media && media.getUserMedia.bind(media);
  if (open) media.getUserMedia = (asked) => open(asked).then((stream) => {
    window.openedCameras.push({ asked, stream });
    return stream;
  });
  window.BarcodeDetector = class BarcodeDetector {
    static async getSupportedFormats() { return FORMATS; }
    async detect(video) {
      const canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext("2d").drawImage(video, 0, 0);
      const found = await window.readQr(canvas.toDataURL("image/png"));
      return found.map((rawValue) => ({ rawValue, format: "qr_code", cornerPoints: [] }));
    }
  };
})();
"""
CAMERAS_ENDED = (
    "() => openedCameras.length > 0"
    " && openedCameras.every(c => c.stream.getTracks().every(t => t.readyState === 'ended'))"
)
VIDEO_PLAYING = (
    "() => { const v = document.querySelector('.scan__video'); return !!v && v.readyState >= 2 && !v.paused; }"
)


def read_qr(png: bytes) -> list[str]:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    # A full QR code: phones and BarcodeDetector's "qr_code" do not read Micro QR (segno.make's pick for short text).
    assert all(barcode.format == zxingcpp.BarcodeFormat.QRCode for barcode in found), [b.format for b in found]
    return [barcode.text for barcode in found]


def film(png: bytes, path: Path) -> Path:
    """One 640×480 frame of the picture, centred on white, as a .y4m Chromium's fake camera plays over and over."""
    picture = Image.open(io.BytesIO(png)).convert("L")
    frame = Image.new("L", (640, 480), 255)
    frame.paste(picture, ((640 - picture.width) // 2, (480 - picture.height) // 2))
    grey = bytes([128]) * (640 * 480 // 2)  # no colour: the U and V planes of 4:2:0
    path.write_bytes(b"YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420\nFRAME\n" + frame.tobytes() + grey)
    return path


class Reader:
    """The test's side of the stand-in: what it read, frame by frame; with `gate`, it reads nothing until it opens."""

    def __init__(self, gate: asyncio.Event | None = None) -> None:
        self.gate = gate
        self.readings: list[list[str]] = []
        self.read = asyncio.Event()

    async def decode(self, data_url: str) -> list[str]:
        if self.gate is not None:
            await self.gate.wait()
        self.readings.append(read_qr(base64.b64decode(data_url.split(",", 1)[1])))
        self.read.set()
        return self.readings[-1]


async def reads_qr_codes(
    page: Any, formats: tuple[str, ...] = ("qr_code",), gate: asyncio.Event | None = None
) -> Reader:
    """The page gets the stand-in BarcodeDetector."""
    reader = Reader(gate)
    await page.context.expose_function("readQr", reader.decode)
    await page.context.add_init_script(STAND_IN.replace("FORMATS", json.dumps(list(formats))))
    return reader


async def _door(phone: Any, live_server: str, org: Any, redeemer: int) -> None:
    await signed_in_as(phone, live_server, redeemer)
    await phone.goto(f"{live_server}/organisations/{org.id}/redeem")


async def test_the_door_scans_the_qr_a_young_person_shows(
    live_server: str, page: Any, camera_phone: Any, tmp_path: Path
) -> None:
    org = await factories.organisation(name="Valleys Leisure Trust", kind="leisure")
    offer = await factories.offer(org, type="sport", title="Free swim at Llys Cadwyn")
    await Code.insert(*[Code(offer=offer.id, code=code_pool.new_code()) for _ in range(2)])
    user_id, _ = await young_person("ffion@example.org", "Ffion", date(2031, 1, 1), born=date(2006, 2, 2))
    await signed_in_as(page, live_server, user_id)
    await page.goto(f"{live_server}/offers/{offer.id}")
    await page.get_by_role("button", name="Claim a code").click()
    await page.wait_for_url("**/me/codes")
    code = (await page.locator(".code-box").first.inner_text()).strip()

    # What the young person's phone shows is a QR of the code and nothing else: no address, no name.
    shown = await page.locator("img.qr").first.screenshot()
    assert read_qr(shown) == [code]

    gate = asyncio.Event()
    door = await camera_phone(film(shown, tmp_path / "my-code.y4m"))
    reader = await reads_qr_codes(door, gate=gate)
    await _door(door, live_server, org, await member(org, "door@valleys.example", "redeemer"))
    scan = door.get_by_role("button", name="Scan a code")
    await scan.wait_for()
    await look(door, "redeem-scan")

    # Opened and stopped before anything is read: the camera goes off, and a late reading is dropped.
    await scan.click()
    await door.wait_for_function(VIDEO_PLAYING)
    await door.get_by_text("Point the camera at the QR code on their phone.").wait_for()
    assert await door.evaluate("() => openedCameras[0].asked.video.facingMode") == "environment"
    await look(door, "redeem-scanning")
    await door.get_by_role("button", name="Stop scanning").click()
    assert await door.evaluate(CAMERAS_ENDED)
    assert await door.evaluate("() => document.activeElement.textContent.trim()") == "Scan a code"
    await door.get_by_text("Camera stopped.").wait_for()
    gate.set()  # the frame the stand-in was holding is read now, after Stop
    await asyncio.wait_for(reader.read.wait(), 5)
    assert reader.readings == [[code]]
    await door.evaluate("() => new Promise(done => setTimeout(done, 100))")  # the page has had the late reading
    assert await door.get_by_label("Code").input_value() == "" and not await door.locator(".result").count()
    assert await Code.count().where(Code.redeemed_at.is_not_null()) == 0

    # Scanned: the code goes in as if typed, the camera goes off, and the answer is read out where focus is.
    await scan.click()
    await door.get_by_text("Valid: let them in").wait_for()
    assert code in await door.locator(".result").inner_text()
    assert await door.evaluate(CAMERAS_ENDED)
    assert await door.evaluate("() => openedCameras.length") == 2
    # Focus moves once htmx has settled the answer in (htmx:load), a moment after its words appear.
    await door.wait_for_function("() => document.activeElement.classList.contains('result')", timeout=5000)
    assert await door.get_by_role("button", name="Scan a code").is_visible()  # ready for the next person
    assert await Code.count().where(Code.code == code, Code.redeemed_at.is_not_null()) == 1
    await look(door, "redeem-scanned")

    await page.reload()
    await page.wait_for_selector(".code-card--used")


async def test_a_refused_camera_says_so_and_the_code_can_be_typed(live_server: str, camera_phone: Any) -> None:
    org = await factories.organisation(name="Valleys Leisure Trust", kind="leisure")
    door = await camera_phone(allowed=False)
    await reads_qr_codes(door)
    await _door(door, live_server, org, await member(org, "door@valleys.example", "redeemer"))
    await door.get_by_role("button", name="Scan a code").click()
    await door.get_by_text("This browser is not allowed to use the camera.", exact=False).wait_for()
    assert await door.evaluate("() => document.activeElement.id") == "f-code"
    assert not await door.locator(".scan__video").is_visible()
    await look(door, "redeem-camera-refused")
    # A QR that is not one of ours (a poster's web address, say) goes in as the scanner puts it, past the box's
    # maxlength: the server says no, and the long answer wraps on a phone.
    poster = "https://example.org/a-poster-by-the-door/" + "x" * 120
    await door.get_by_label("Code").evaluate("(box, text) => { box.value = text; }", poster)
    await door.get_by_role("button", name="Check and use").click()
    await door.get_by_text("Not a code we know").wait_for()
    await look(door, "redeem-not-ours")


async def test_without_a_qr_reader_or_a_camera_the_door_is_for_typing(
    live_server: str, page: Any, another_phone: Any
) -> None:
    org = await factories.organisation(name="Valleys Leisure Trust", kind="leisure")
    redeemer = await member(org, "door@valleys.example", "redeemer")
    await _door(page, live_server, org, redeemer)  # Debian's Chromium: no BarcodeDetector at all
    await page.get_by_label("Code").wait_for()
    assert await page.locator("[data-scan]").is_hidden()

    barcodes_only = await another_phone()  # a detector that reads bar codes but not QR codes
    await reads_qr_codes(barcodes_only, formats=("ean_13", "code_128"))
    await _door(barcodes_only, live_server, org, redeemer)
    await barcodes_only.get_by_label("Code").wait_for()
    await barcodes_only.evaluate("() => new Promise(done => setTimeout(done, 300))")
    assert await barcodes_only.locator("[data-scan]").is_hidden()

    no_camera = await another_phone()  # reads QR codes, but this machine has no camera
    await reads_qr_codes(no_camera)
    await _door(no_camera, live_server, org, redeemer)
    await no_camera.get_by_role("button", name="Scan a code").click()
    await no_camera.get_by_text("No camera was found. Type the code instead.").wait_for()
    assert await no_camera.evaluate("() => document.activeElement.id") == "f-code"
    await look(no_camera, "redeem-no-camera")
