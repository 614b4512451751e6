"""Screenshots of every report page at a phone's and a desktop's width, for docs/screens/:

python -m tests.tasks.report.screens data/reports docs/screens
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.tasks.report.test_browser import overflow, screenshot

WIDTHS = (400, 1400)


def shoot(reports_dir: Path, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp)
        for page in sorted(reports_dir.resolve().glob("*.html")):
            for width in WIDTHS:
                if (found := overflow(page, profile, width, profile)) != "0:":
                    print(f"warning: {page.name} at {width} px overflows: {found}")
                out = out_dir / f"{page.stem}-{width}.png"
                written.append(screenshot(page, out, profile, width))
    return written


if __name__ == "__main__":
    for path in shoot(Path(sys.argv[1]), Path(sys.argv[2])):
        print(path)
