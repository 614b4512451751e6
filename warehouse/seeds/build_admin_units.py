"""Rebuild admin_units.csv and admin_unit_links.csv from two open datasets.

    pip install -e '.[seeds]' && python warehouse/seeds/build_admin_units.py

New units (34 provinces, 3,321 communes from 01/07/2025): `vietnam-provinces`
(its GSO list). Legacy units (63 provinces, their communes) and the old -> new
mapping: the SQLite and JSON files shipped by `vietnamadminunits`, read as
files (its Python API needs shapely and geopy, which plan06 never loads). The
mapping is keyed by names; it is turned into codes here, and a commune split
across several new ones keeps every part (`is_default` marks the dataset's
default), so the warehouse can report the ambiguity instead of guessing.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import unicodedata
from importlib import metadata, resources
from pathlib import Path

SEEDS = Path(__file__).resolve().parent
OLD_FROM, OLD_TO, NEW_FROM = "2020-01-01", "2025-06-30", "2025-07-01"
UNIT_COLUMNS = [
    "unit_code", "name", "level", "province_code", "district_code", "district_name",
    "valid_from", "valid_to", "successor_code",
]  # fmt: skip
LINK_COLUMNS = ["level", "old_code", "new_code", "is_default"]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def key(name: str) -> str:
    """The datasets' name key: lower case, no diacritics, letters and digits only."""
    text = unicodedata.normalize("NFD", name.lower()).replace("đ", "d")
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in text if unicodedata.category(c) != "Mn"))


def new_units() -> tuple[list[dict], dict[tuple[str, str], list[dict]]]:
    """The current provinces and communes; communes indexed by (province, name key)."""
    data = resources.files("vietnam_provinces") / "data" / "nested-divisions.json"
    provinces = json.loads(data.read_text(encoding="utf-8"))
    rows, by_key = [], {}
    for p in provinces:
        code = f"{p['code']:02d}"
        # the dataset names a tỉnh without its title ("Đồng Nai"); the old list has it
        title = "Tỉnh " if p["division_type"] == "tỉnh" else ""
        rows.append(_unit(code, title + p["name"], "province", code, NEW_FROM, ""))
        for w in p["wards"]:
            row = _unit(f"{w['code']:05d}", w["name"], "commune", code, NEW_FROM, "")
            rows.append(row)
            by_key.setdefault((code, key(w["name"])), []).append(row)
    return rows, by_key


def _unit(code: str, name: str, level: str, province: str, start: str, end: str) -> dict:
    return {
        "unit_code": code, "name": nfc(name), "level": level, "province_code": province,
        "district_code": "", "district_name": "", "valid_from": start, "valid_to": end,
        "successor_code": "",
    }  # fmt: skip


def _new_code(by_key: dict, province: str, ward_key: str, hint: str | None) -> str:
    """A mapped new commune's official code: its name within its province."""
    found = by_key.get((province, key(ward_key)), [])  # some keys keep diacritics
    if len(found) > 1:  # two names differ only by diacritics: the dataset's code decides
        found = [row for row in found if row["unit_code"] == hint]
    if len(found) != 1:
        raise ValueError(f"new commune {ward_key!r} of province {province}: {len(found)} matches")
    return found[0]["unit_code"]


def _links(db: sqlite3.Connection, mapping: dict, by_key: dict) -> dict[str, list]:
    """Legacy name key -> [(new code, is the dataset's default)]."""
    new_prov = dict(db.execute("SELECT provinceKey, provinceCode FROM admin_units"))
    hint = dict(db.execute("SELECT provinceKey || '/' || wardKey, wardCode FROM admin_units"))
    links: dict[str, list[tuple[str, bool]]] = {}
    for new_pk, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, olds in wards.items():
            code = _new_code(by_key, new_prov[new_pk], ward_key, hint.get(f"{new_pk}/{ward_key}"))
            for old in olds:
                links.setdefault(old, []).append((code, True))
    for new_pk, olds in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            for part in parts:
                key_ = part["newWardKey"]
                code = _new_code(by_key, new_prov[new_pk], key_, hint.get(f"{new_pk}/{key_}"))
                links.setdefault(old, []).append((code, bool(part["isDefaultNewWard"])))
    return links


def legacy_and_links(by_key: dict) -> tuple[list[dict], list[dict]]:
    """Legacy units with their default successor, and every old -> new link."""
    folder = resources.files("vietnamadminunits") / "data"
    db = sqlite3.connect(str(folder / "dataset.db"))
    mapping = json.loads((folder / "converter_2025.json").read_text(encoding="utf-8"))
    links = _links(db, mapping, by_key)
    new_prov = dict(db.execute("SELECT provinceKey, provinceCode FROM admin_units"))
    old_prov_to_new = {o: new_prov[n] for n, olds in mapping["DICT_PROVINCE"].items() for o in olds}
    units, link_rows, provinces = [], [], {}
    query = (
        "SELECT provinceCode, province, provinceKey, districtCode, district, districtKey,"
        " wardCode, ward, wardKey FROM admin_units_legacy WHERE wardCode IS NOT NULL"
        " ORDER BY wardCode"
    )
    for pc, pname, pk, dc, dname, dk, wc, wname, wk in db.execute(query):
        provinces[pc] = (pname, old_prov_to_new[pk])
        parts = sorted(set(links[f"{pk}_{dk}_{wk}"]), key=lambda part: (not part[1], part[0]))
        unit = _unit(wc, wname, "commune", pc, OLD_FROM, OLD_TO)
        unit.update(district_code=dc, district_name=nfc(dname), successor_code=parts[0][0])
        units.append(unit)
        link_rows += [_link("commune", wc, code, default) for code, default in parts]
    for pc, (pname, successor) in sorted(provinces.items()):
        province = _unit(pc, pname, "province", pc, OLD_FROM, OLD_TO)
        units.append(province | {"successor_code": successor})
        link_rows.append(_link("province", pc, successor, True))
    return units, link_rows


def _link(level: str, old: str, new: str, default: bool) -> dict:
    return {"level": level, "old_code": old, "new_code": new, "is_default": str(default).lower()}


def write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    current, by_key = new_units()
    legacy, links = legacy_and_links(by_key)
    units = sorted(legacy + current, key=lambda u: (u["level"], u["unit_code"], u["valid_from"]))
    write(SEEDS / "admin_units.csv", UNIT_COLUMNS, units)
    write(SEEDS / "admin_unit_links.csv", LINK_COLUMNS, links)
    versions = {name: metadata.version(name) for name in ("vietnam-provinces", "vietnamadminunits")}
    print(f"units={len(units)} links={len(links)} sources={versions}")


if __name__ == "__main__":
    main()
