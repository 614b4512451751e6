"""The four non-dossier progress marts against counts worked out by hand.

Rows go straight into core (as publish leaves them) for two units and two
periods; each mart must give every unit a row in every period, the period's
counts, and cumulative counts up to the period.
"""

from __future__ import annotations

import pytest

from tasks.load.marts import refresh_marts
from tests.builders import PLAN_ID

A, B = "25741", "25744"  # two communes of the plan's area


def insert(con, table: str, rows: list[dict]) -> None:
    for row in rows:
        row = {"plan_id": PLAN_ID, "batch_id": "b1", "domain": "dat_dai"} | row
        names = ", ".join(f"? AS {k}" for k in row)
        con.execute(f"INSERT INTO core.{table} BY NAME SELECT {names}", list(row.values()))


def mart(con, name: str, columns: str) -> list[tuple]:
    return con.execute(
        f"SELECT unit_code, period, {columns} FROM marts.{name} WHERE plan_id = ? ORDER BY 1, 2",
        [PLAN_ID],
    ).fetchall()


def parcel(n: int, unit: str, period: str, group: int, auth: bool, scanned: bool, entered: bool):
    return {"parcel_id": f"TD-{n}", "unit_code": unit, "period": period, "data_group": group,
            "owner_authenticated": auth, "certificate_scanned": scanned,
            "entered_in_land_db": entered}  # fmt: skip


def test_land_parcels_progress(warehouse):
    insert(warehouse, "land_parcels", [
        parcel(1, A, "2026-09", 1, True, True, True),
        parcel(2, A, "2026-09", 2, False, True, False),
        parcel(3, A, "2026-10", 3, False, False, False),
        parcel(4, B, "2026-10", 1, True, False, True),
    ])  # fmt: skip
    refresh_marts(warehouse, PLAN_ID)
    columns = "parcels, parcels_usable, parcels_to_correct, parcels_to_rebuild,"
    columns += " owners_authenticated, certificates_scanned, parcels_entered,"
    columns += " cum_parcels, cum_parcels_usable, cum_owners_authenticated, cum_parcels_entered"
    assert mart(warehouse, "land_parcels_progress", columns) == [
        (A, "2026-09", 2, 1, 1, 0, 1, 2, 1, 2, 1, 1, 1),
        (A, "2026-10", 1, 0, 0, 1, 0, 0, 0, 3, 1, 1, 1),
        (B, "2026-09", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),  # no parcel yet: a row of zeros
        (B, "2026-10", 1, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1),
    ]


def test_residence_records_progress(warehouse):
    def record(n: int, unit: str, period: str, digitised: bool, cleansed: bool, auth: bool):
        return {"record_id": f"R{n}", "unit_code": unit, "period": period, "domain": "cu_tru",
                "record_type": "ho", "digitised": digitised, "cleansed": cleansed,
                "authenticated": auth}  # fmt: skip

    insert(warehouse, "residence_records", [
        record(1, A, "2026-09", True, True, False),
        record(2, A, "2026-10", True, False, False),
        record(3, A, "2026-10", False, False, False),
        record(4, B, "2026-09", True, True, True),
    ])  # fmt: skip
    refresh_marts(warehouse, PLAN_ID)
    columns = "records, records_digitised, records_cleansed, records_authenticated,"
    columns += " cum_records, cum_records_digitised, cum_records_authenticated"
    assert mart(warehouse, "residence_records_progress", columns) == [
        (A, "2026-09", 1, 1, 1, 0, 1, 1, 0),
        (A, "2026-10", 2, 1, 0, 0, 3, 2, 0),
        (B, "2026-09", 1, 1, 1, 1, 1, 1, 1),
        (B, "2026-10", 0, 0, 0, 0, 1, 1, 1),  # nothing new: cumulative carried on
    ]


def test_civil_status_registers_progress(warehouse):
    def register(code: str, unit: str, period: str, entries: int, digitised: int):
        return {"register_code": code, "unit_code": unit, "period": period,
                "domain": "ho_tich", "register_type": "khai_sinh", "register_year": 2001,
                "entries": entries, "entries_digitised": digitised}  # fmt: skip

    insert(warehouse, "civil_status_registers", [
        register("S1", A, "2026-09", 100, 100),  # fully digitised
        register("S2", A, "2026-09", 50, 20),
        register("S3", B, "2026-10", 10, 10),
    ])  # fmt: skip
    refresh_marts(warehouse, PLAN_ID)
    columns = "registers, registers_digitised, entries, entries_digitised,"
    columns += " cum_registers, cum_entries_digitised"
    assert mart(warehouse, "civil_status_registers_progress", columns) == [
        (A, "2026-09", 2, 1, 150, 120, 2, 120),
        (A, "2026-10", 0, 0, 0, 0, 2, 120),
        (B, "2026-09", 0, 0, 0, 0, 0, 0),
        (B, "2026-10", 1, 1, 10, 10, 1, 10),
    ]


@pytest.mark.parametrize("vneid_share", [0.0, 0.5])
def test_judicial_records_progress(warehouse, vneid_share):
    rows = [(A, "2026-09", 40), (A, "2026-10", 60), (B, "2026-10", 10)]
    insert(warehouse, "judicial_records", [
        {"unit_code": u, "period": p, "report_period": p, "domain": "ly_lich_tu_phap",
         "certificates_issued": n, "certificates_vneid": int(n * vneid_share)}
        for u, p, n in rows
    ])  # fmt: skip
    refresh_marts(warehouse, PLAN_ID)
    got = mart(warehouse, "judicial_records_progress",
               "certificates_issued, certificates_vneid, cum_certificates_issued,"
               " cum_certificates_vneid")  # fmt: skip
    half = vneid_share == 0.5
    assert got == [
        (A, "2026-09", 40, 20 * half, 40, 20 * half),
        (A, "2026-10", 60, 30 * half, 100, 50 * half),
        (B, "2026-09", 0, 0, 0, 0),
        (B, "2026-10", 10, 5 * half, 10, 5 * half),
    ]
