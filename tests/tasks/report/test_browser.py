"""The HTML reports open in a real browser (Debian's headless Chromium) without network
or account: the screenshot is the expected size and not blank, and the DOM holds the
text a lead looks for. PLAN06_SCREENSHOTS_DIR, when set, keeps the screenshots."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from matplotlib import image

from tests.tasks.report.conftest import BD, KG

CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 1280, 2000


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=90, check=True)


def screenshot(page: Path, out: Path, profile: Path, width: int = WIDTH) -> Path:
    chromium(profile, f"--screenshot={out}", f"--window-size={width},{HEIGHT}", page.as_uri())
    return out


# Appended to a copy of the page: lists every element whose box ends right of
# the viewport (a table running off a phone's screen, a clipped chart).
OVERFLOW_PROBE = """<script>
const root = document.documentElement, w = root.clientWidth, bad = [];
for (const el of document.querySelectorAll("body *")) {
  const r = el.getBoundingClientRect();
  if (r.width && r.right > w + 1) bad.push(el.tagName + "." + (el.getAttribute("class") || ""));
}
if (root.scrollWidth > w + 1) bad.push("page " + root.scrollWidth);
document.body.setAttribute("data-overflow", bad.length + ":" + bad.slice(0, 5).join(","));
</script>"""


def overflow(page: Path, profile: Path, width: int, tmp: Path) -> str:
    """What runs past the right edge at `width` px: "0:" when nothing does."""
    probe = page.parent / f".probe-{width}-{page.name}"
    probe.write_text(
        page.read_text(encoding="utf-8").replace("</body>", OVERFLOW_PROBE + "</body>")
    )
    try:
        dumped = chromium(profile, f"--window-size={width},{HEIGHT}", "--dump-dom", probe.as_uri())
    finally:
        probe.unlink()
    return dumped.stdout.split('data-overflow="', 1)[1].split('"', 1)[0]


def dom(page: Path, profile: Path) -> str:
    return chromium(profile, "--dump-dom", page.as_uri()).stdout


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    assert Path(CHROMIUM).exists(), "install Debian's chromium: apt-get install -y chromium"
    return tmp_path_factory.mktemp("chromium-profile")


def check_screenshot(png: Path, width: int = WIDTH) -> None:
    pixels = image.imread(png)
    assert pixels.shape[:2] == (HEIGHT, width)
    rgb = pixels[..., :3]
    inked = (rgb.min(axis=2) < 0.9).mean()  # share of pixels that are not (near) white
    assert inked > 0.05, f"{png} is nearly blank ({inked:.1%} inked)"
    assert rgb.std() > 0.05


def keep(png: Path, name: str) -> None:
    if folder := os.environ.get("PLAN06_SCREENSHOTS_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(folder) / name)


def test_plan_report_renders_in_chromium(reports, profile, tmp_path):
    page = reports.plans[BD.id]
    png = screenshot(page, tmp_path / "plan.png", profile)
    check_screenshot(png)
    keep(png, "plan-report.png")
    rendered = dom(page, profile)
    assert BD.name in rendered and "Tiến độ so với chỉ tiêu" in rendered
    assert "Mã hồ sơ sai định dạng" in rendered
    assert rendered.count("<svg") == len(BD.targets) + 1


def test_portfolio_renders_in_chromium(reports, profile, tmp_path):
    png = screenshot(reports.portfolio, tmp_path / "portfolio.png", profile)
    check_screenshot(png)
    keep(png, "portfolio.png")
    rendered = dom(reports.portfolio, profile)
    assert BD.name in rendered and KG.name in rendered
    assert "Độ mới của từng bộ dữ liệu" in rendered


def every_page(reports) -> dict[str, Path]:
    pages = {"portfolio": reports.portfolio, "review": reports.review}
    return pages | {f"plan-{plan_id}": path for plan_id, path in reports.plans.items()}


@pytest.mark.parametrize("width", [400, 1400])
def test_no_page_runs_off_the_screen_at_phone_and_desktop_widths(reports, profile, tmp_path, width):
    for name, page in every_page(reports).items():
        assert overflow(page, profile, width, tmp_path) == "0:", (name, width)
        png = screenshot(page, tmp_path / f"{name}-{width}.png", profile, width)
        check_screenshot(png, width)
        keep(png, f"{name}-{width}.png")


def test_the_overflow_probe_catches_a_table_wider_than_a_phone(profile, tmp_path):
    page = tmp_path / "wide.html"
    page.write_text(
        '<!doctype html><meta name="viewport" content="width=device-width">'
        '<body><table><tr><td style="min-width:600px">x</td></tr></table></body>'
    )
    assert overflow(page, profile, 400, tmp_path).startswith(("4:", "3:", "5:"))
    assert overflow(page, profile, 1400, tmp_path) == "0:"
