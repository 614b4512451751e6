"""Deliberately bad rows, the kinds real provincial systems send.

About `bad_row_share` of a period's rows get exactly one defect each. Kinds
are dealt in turn from a random starting point, so every kind shows up in
any period with at least as many bad rows as there are kinds.
"""

from __future__ import annotations

import copy
import random
import unicodedata
from collections.abc import Callable
from datetime import timedelta

from simulator.dossier import Record
from simulator.periods import parse_stamp, stamp

KINDS: tuple[str, ...] = (
    "malformed_ma_ho_so",
    "null_ma_ho_so",
    "duplicate",
    "due_before_received",
    "end_before_received",
    "unknown_status",
    "bad_channel",
    "unknown_unit",
    "short_cccd",
)


def inject_defects(
    rng: random.Random, rows: list[Record], share: float, known_units: frozenset[str]
) -> None:
    """Spoil about `share` of `rows` in place; duplicates are appended."""
    positions = sorted(rng.sample(range(len(rows)), round(len(rows) * share)))
    offset = rng.randrange(len(KINDS))
    for turn, position in enumerate(positions):
        kind = KINDS[(offset + turn) % len(KINDS)]
        if kind == "duplicate":
            rows.append(copy.deepcopy(rows[position]))
        elif kind == "unknown_unit":
            rows[position]["MaDonVi"] = _unknown_unit(rng, known_units)
        else:
            _SPOILERS[kind](rng, rows[position])


def _unknown_unit(rng: random.Random, known_units: frozenset[str]) -> str:
    while (code := f"9{rng.randrange(10**4):04d}") in known_units:
        pass
    return code


def _malformed_ma_ho_so(rng: random.Random, row: Record) -> None:
    code: str = row["MaHoSo"]
    variants = (code.replace("-", ""), code.replace("-", "/"), code[:-1])
    row["MaHoSo"] = rng.choice(variants)


def _null_ma_ho_so(rng: random.Random, row: Record) -> None:
    row["MaHoSo"] = None


def _due_before_received(rng: random.Random, row: Record) -> None:
    received = parse_stamp(row["NgayTiepNhan"])
    row["NgayHenTra"] = stamp(received - timedelta(days=rng.randint(1, 5)))


def _end_before_received(rng: random.Random, row: Record) -> None:
    received = parse_stamp(row["NgayTiepNhan"])
    if row["NgayKetThucXuLy"] is None:
        # An open dossier gets a finished status so that the date is its only fault.
        row["TrangThaiHoSo"] = "Dừng xử lý"
    row["NgayKetThucXuLy"] = stamp(received - timedelta(hours=rng.randint(1, 72)))


def _unknown_status(rng: random.Random, row: Record) -> None:
    # NFD bytes look identical on screen; the other two are real-world typos.
    nfd = unicodedata.normalize("NFD", row["TrangThaiHoSo"])
    row["TrangThaiHoSo"] = rng.choice((nfd, "Đã xử lí xong", "Da tra ket qua"))


def _bad_channel(rng: random.Random, row: Record) -> None:
    row["KenhThucHien"] = 7


def _short_cccd(rng: random.Random, row: Record) -> None:
    # What a spreadsheet does to a CCCD read as a number: the leading zero goes.
    row["SoGiayToChuHoSo"] = row["SoGiayToChuHoSo"][1:]


_SPOILERS: dict[str, Callable[[random.Random, Record], None]] = {
    "malformed_ma_ho_so": _malformed_ma_ho_so,
    "null_ma_ho_so": _null_ma_ho_so,
    "due_before_received": _due_before_received,
    "end_before_received": _end_before_received,
    "unknown_status": _unknown_status,
    "bad_channel": _bad_channel,
    "short_cccd": _short_cccd,
}
