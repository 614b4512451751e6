"""Publishing: one transaction, slice replaced on rerun, rejected batches change nothing."""

from __future__ import annotations

import duckdb
import pytest

from tasks.load.publish import RepeatedKeyError
from tasks.validate.run import ExpectationOutcome, RowFailure, Verdict
from tests.builders import dossier


def core_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT dossier_code, period, status FROM core.dossiers ORDER BY dossier_code"
    ).fetchall()


def warning_on(row_number: int) -> Verdict:
    outcome = ExpectationOutcome("expect_x", "c", "warning", False, False, 1, "lý do")
    return Verdict([outcome], [RowFailure(row_number, "expect_x", "c", "warning", "lý do")])


def test_good_rows_published_failing_rows_quarantined_with_reason(warehouse, publish):
    result = publish([dossier(1), dossier(2), dossier(3)], verdict=warning_on(2))

    assert (result.status, result.rows_in, result.rows_published) == ("published", 3, 2)
    assert [r[0] for r in core_rows(warehouse)] == [
        "G22.74.05-261005-0001",
        "G22.74.05-261005-0003",
    ]
    quarantined = warehouse.execute(
        "SELECT natural_key, reason, severity, record->>'applicant_pseudonym' IS NOT NULL"
        " FROM ops.quarantine"
    ).fetchall()
    assert quarantined == [("G22.74.05-261005-0002", "lý do", "warning", True)]


def test_rerun_replaces_the_slice_without_duplicates(warehouse, publish):
    first = publish([dossier(1), dossier(2)], verdict=warning_on(2))
    second = publish([dossier(1), dossier(2)], verdict=warning_on(2))

    assert core_rows(warehouse) == [("G22.74.05-261005-0001", "2026-10", "Đã trả kết quả")]
    assert warehouse.execute("SELECT count(*) FROM ops.quarantine").fetchone() == (1,)
    assert first.checksum == second.checksum
    assert warehouse.execute("SELECT count(*) FROM ops.batches").fetchone() == (2,)


def test_rerun_drops_dossiers_the_source_no_longer_sends(warehouse, publish):
    publish([dossier(1), dossier(2)])
    publish([dossier(1)])
    assert [r[0] for r in core_rows(warehouse)] == ["G22.74.05-261005-0001"]


def test_other_periods_are_left_alone(warehouse, publish):
    publish([dossier(1, MaHoSo="G22.74.05-260905-0001")], period="2026-09")
    publish([dossier(2)], period="2026-10")
    publish([dossier(3)], period="2026-10")
    assert [(r[0], r[1]) for r in core_rows(warehouse)] == [
        ("G22.74.05-260905-0001", "2026-09"),
        ("G22.74.05-261005-0003", "2026-10"),
    ]


def test_rejected_batch_changes_no_core_row_but_is_audited(warehouse, publish):
    publish([dossier(1)])
    critical = ExpectationOutcome("expect_rows", None, "critical", False, False, 0, "Lô rỗng")
    result = publish([dossier(2)], verdict=Verdict([critical]))

    assert result.status == "rejected"
    assert [r[0] for r in core_rows(warehouse)] == ["G22.74.05-261005-0001"]
    assert warehouse.execute(
        "SELECT status, rows_published FROM ops.batches ORDER BY started_at DESC LIMIT 1"
    ).fetchone() == ("rejected", 0)


def test_a_failure_inside_publish_leaves_the_warehouse_as_it_was(warehouse, publish):
    publish([dossier(1)])
    before = core_rows(warehouse), warehouse.execute("SELECT count(*) FROM ops.batches").fetchone()
    # Two rows with one key and no quarantine: the key check refuses the insert
    # after the slice was already deleted inside the transaction.
    with pytest.raises(RepeatedKeyError, match="1 good row"):
        publish([dossier(5), dossier(5)])
    after = core_rows(warehouse), warehouse.execute("SELECT count(*) FROM ops.batches").fetchone()
    assert after == before


def test_a_row_failing_two_checks_of_one_type_is_quarantined_once_per_check(warehouse, publish):
    outcome = ExpectationOutcome("expect_in_set", "c", "warning", False, False, 1, "x")
    failures = [
        RowFailure(1, "expect_in_set", "unit_code", "warning", "đơn vị"),
        RowFailure(1, "expect_in_set", "channel", "warning", "kênh"),
    ]
    result = publish([dossier(1), dossier(2)], verdict=Verdict([outcome], failures))
    assert result.rows_quarantined == 1
    assert warehouse.execute(
        "SELECT column_name, reason FROM ops.quarantine ORDER BY column_name"
    ).fetchall() == [("channel", "kênh"), ("unit_code", "đơn vị")]


def test_every_batch_keeps_its_own_quarantined_rows(warehouse, publish):
    """The audit adds up: each batch's rows_quarantined is in the history, nothing deleted."""
    for _ in range(3):
        publish([dossier(1), dossier(2)], verdict=warning_on(2))
    per_batch = warehouse.execute(
        "SELECT b.batch_id, b.rows_quarantined, count(q.row_number)"
        " FROM ops.batches AS b LEFT JOIN ops.quarantine_log AS q USING (batch_id)"
        " GROUP BY ALL ORDER BY b.batch_id"
    ).fetchall()
    assert per_batch == [("b1", 1, 1), ("b2", 1, 1), ("b3", 1, 1)]
    # the current slice (what readers of ops.quarantine see) is the last batch's
    assert warehouse.execute("SELECT batch_id FROM ops.quarantine").fetchall() == [("b3",)]
