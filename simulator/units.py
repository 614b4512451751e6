"""Administrative units from the warehouse seed, as the simulator needs them."""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from simulator.profiles import load_profiles

UNITS_CSV = Path(__file__).resolve().parents[1] / "warehouse" / "seeds" / "admin_units.csv"


@dataclass(frozen=True)
class AdminUnit:
    """One version of a unit in `admin_units.csv`; empty optional cells become None."""

    unit_code: str
    name: str
    level: str
    province_code: str
    district_code: str | None
    valid_from: date
    valid_to: date | None
    successor_code: str | None

    def valid_on(self, day: date) -> bool:
        """True if the unit exists on `day` (both bounds inclusive)."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _parse(row: dict[str, str]) -> AdminUnit:
    # Normalise on read: a hand-edited seed may carry NFD text.
    cell = {key: unicodedata.normalize("NFC", value.strip()) for key, value in row.items()}
    return AdminUnit(
        unit_code=cell["unit_code"],
        name=cell["name"],
        level=cell["level"],
        province_code=cell["province_code"],
        district_code=cell["district_code"] or None,
        valid_from=date.fromisoformat(cell["valid_from"]),
        valid_to=date.fromisoformat(cell["valid_to"]) if cell["valid_to"] else None,
        successor_code=cell["successor_code"] or None,
    )


def load_units(path: Path = UNITS_CSV) -> list[AdminUnit]:
    """Read every administrative unit version from the seed CSV."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [_parse(row) for row in csv.DictReader(handle)]


def communes_for(units: Iterable[AdminUnit], province: str, day: date) -> list[AdminUnit]:
    """Communes served by simulated system `province` on `day`, ordered by code.

    Before the reorganisation: the legacy communes of its area (profiles.yaml);
    after it: the communes those map to by default, as a real system would
    send them once it switched to the new codes.
    """
    area = load_profiles().provinces[province].area
    communes = [unit for unit in units if unit.level == "commune"]
    legacy = [
        unit
        for unit in communes
        if unit.valid_to is not None
        and unit.province_code == area.province_code
        and area.district_code in (None, unit.district_code)
    ]
    found = [unit for unit in legacy if unit.valid_on(day)]
    if not found:
        successors = {unit.successor_code for unit in legacy}
        found = [u for u in communes if u.unit_code in successors and u.valid_on(day)]
    return sorted(found, key=lambda unit: unit.unit_code)
