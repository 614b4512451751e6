"""Civil-status completion per locality in the working group's three classes
(warehouse/seeds/progress.yaml: hoàn thành >= 100%, cơ bản >= 90%, else chưa)."""

from __future__ import annotations

from tasks.load.marts import refresh_marts
from tests.builders import PLAN_ID

# (unit, entries, digitised): 100% -> hoàn thành; 92% -> cơ bản; 89.9% -> chưa
REGISTERS = [("25747", 200, 200), ("25750", 250, 230), ("25942", 1000, 899)]


def test_each_locality_gets_its_class(warehouse):
    warehouse.executemany(
        "INSERT INTO core.civil_status_registers (plan_id, register_code, period, unit_code,"
        " domain, register_type, entries, entries_digitised, batch_id)"
        " VALUES (?, ?, '2026-10', ?, 'ho_tich', 'khai_sinh', ?, ?, 'b1')",
        [[PLAN_ID, f"SO-{unit}", unit, n, done] for unit, n, done in REGISTERS],
    )
    refresh_marts(warehouse, PLAN_ID)
    rows = warehouse.execute(
        "SELECT unit_code, completion_class, completion_vi"
        " FROM marts.civil_status_registers_progress WHERE period = '2026-10' ORDER BY unit_code"
    ).fetchall()
    assert rows == [
        ("25747", "hoan_thanh", "Hoàn thành"),
        ("25750", "co_ban_hoan_thanh", "Cơ bản hoàn thành"),
        ("25942", "chua_hoan_thanh", "Chưa hoàn thành"),
    ]
