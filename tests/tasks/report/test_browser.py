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


def screenshot(page: Path, out: Path, profile: Path) -> Path:
    chromium(profile, f"--screenshot={out}", f"--window-size={WIDTH},{HEIGHT}", page.as_uri())
    return out


def dom(page: Path, profile: Path) -> str:
    return chromium(profile, "--dump-dom", page.as_uri()).stdout


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    assert Path(CHROMIUM).exists(), "install Debian's chromium: apt-get install -y chromium"
    return tmp_path_factory.mktemp("chromium-profile")


def check_screenshot(png: Path) -> None:
    pixels = image.imread(png)
    assert pixels.shape[:2] == (HEIGHT, WIDTH)
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
