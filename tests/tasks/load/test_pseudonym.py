"""Citizen IDs become keyed HMAC-SHA256 pseudonyms in staging, and never stay raw."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from pydantic import SecretStr

from simulator.generator import generate_dossiers
from tasks.load.pseudonym import MissingPseudonymKeyError, resolve_key
from tasks.settings import DEMO_PSEUDONYM_KEY
from tests.tasks.sources.records import dossier, land, stage, staged_rows

CCCD = "074123456789"


def reference(key: bytes, citizen_id: str) -> str:
    """HMAC-SHA256 from the standard library, independent of the product code."""
    return hmac.new(key, citizen_id.encode(), hashlib.sha256).hexdigest()


def sql_pseudonyms(ids: list[str | None], folder: Path, key: bytes) -> list[str | None]:
    records = [dossier(i + 1, SoGiayToChuHoSo=v) for i, v in enumerate(ids)]
    return [p for (p,) in staged_rows(stage(records, folder, key), "applicant_pseudonym")]


def ids_in_bytes(path: Path, ids: set[str]) -> set[str]:
    data = path.read_bytes()
    return {i for i in ids if i.encode() in data}


@pytest.mark.parametrize(
    "key",
    [
        b"k" * 32,
        b"0123456789abcdef" * 4,  # exactly one SHA-256 block
        b"a-long-key-" * 10,  # longer than a block: hashed first
        "khóa-bí-mật-của-sở-tư-pháp-tỉnh".encode(),
    ],
    ids=["32-bytes", "64-bytes", "110-bytes", "utf-8"],
)
def test_sql_hmac_equals_python_hmac(tmp_path: Path, key: bytes) -> None:
    ids = [CCCD, "001099012345", "123456789"]
    assert sql_pseudonyms(ids, tmp_path, key) == [reference(key, i) for i in ids]


def test_an_empty_id_has_no_pseudonym(tmp_path: Path) -> None:
    assert sql_pseudonyms([None, "", "  "], tmp_path, b"k" * 32) == [None, None, None]


@pytest.mark.parametrize(
    "variant",
    [
        " 074123456789 ",
        "074 123 456 789",
        "074\t123456789\n",
        unicodedata.normalize("NFD", CCCD),
        pytest.param(
            "074\u00a0123\u00a0456\u00a0789",
            id="no-break-space",
        ),
    ],
)
def test_spellings_of_one_cccd_share_one_pseudonym(tmp_path: Path, variant: str) -> None:
    key = b"k" * 32
    assert sql_pseudonyms([variant], tmp_path, key) == [reference(key, CCCD)]


def test_nfc_and_nfd_spellings_of_an_id_share_one_pseudonym(tmp_path: Path) -> None:
    key, nfc = b"k" * 32, "B\u00c91234567"  # a passport-style ID with a composed É
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert sql_pseudonyms([nfc, nfd], tmp_path, key) == [reference(key, nfc)] * 2


def test_no_landed_citizen_id_is_left_in_the_staging_file(tmp_path: Path) -> None:
    rows = generate_dossiers("binh-duong", "2025-08", seed=5, scale=0.3)
    landed = land(rows, tmp_path / "landed.parquet")
    table = pq.read_table(landed)
    ids = {
        m
        for column in table.column_names
        for value in table.column(column).to_pylist()
        for m in re.findall(r"(?<!\d)\d{12}(?!\d)", str(value))
    }
    assert len(ids) > 100
    staged = tmp_path / "staged.duckdb"
    stage(rows, tmp_path)
    assert varchar_values_containing(staged, ids) == []
    assert ids_in_bytes(staged, ids) == set()
    assert not staged.with_name(staged.name + ".wal").exists()
    # The byte scan does see IDs that are kept: a plain copy of the landed rows.
    control = tmp_path / "control.duckdb"
    with duckdb.connect(str(control)) as con:
        con.execute("CREATE TABLE t AS SELECT * FROM read_parquet(?)", [str(landed)])
        con.execute("CHECKPOINT")
    assert len(ids_in_bytes(control, ids)) > 0.9 * len(ids)


def varchar_values_containing(staged: Path, ids: set[str]) -> list[tuple[str, str]]:
    """(table.column, value) of every VARCHAR value in the file that contains an ID."""
    pattern = re.compile("|".join(sorted(ids)))
    found = []
    with duckdb.connect(str(staged), read_only=True) as con:
        columns = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE data_type = 'VARCHAR'"
        ).fetchall()
        assert ("staged", "applicant_pseudonym") in columns
        for table, column in columns:
            values = con.execute(f'SELECT DISTINCT "{column}" FROM "{table}"').fetchall()
            found += [(f"{table}.{column}", v) for (v,) in values if v and pattern.search(v)]
    return found


def test_no_key_outside_the_demo_refuses_to_run() -> None:
    with pytest.raises(MissingPseudonymKeyError, match="PLAN06_PSEUDONYM_KEY is not set"):
        resolve_key(None, demo=False)


def test_the_demo_key_is_used_on_the_simulator_only() -> None:
    assert resolve_key(None, demo=True) == DEMO_PSEUDONYM_KEY.encode()


def test_the_public_demo_key_is_refused_outside_the_demo() -> None:
    with pytest.raises(MissingPseudonymKeyError):
        resolve_key(SecretStr(DEMO_PSEUDONYM_KEY), demo=False)


@pytest.mark.parametrize("demo", [False, True])
def test_a_short_key_is_refused_without_echoing_it(demo: bool) -> None:
    short = "s3cret-but-only-31-bytes-long!!"
    assert len(short.encode()) == 31
    with pytest.raises(MissingPseudonymKeyError, match="at least 32 bytes") as caught:
        resolve_key(SecretStr(short), demo=demo)
    assert short not in str(caught.value)


def test_a_configured_key_of_32_bytes_is_used() -> None:
    key = "x" * 31 + "é"  # 33 bytes in UTF-8
    assert resolve_key(SecretStr(key), demo=False) == key.encode()
    assert resolve_key(SecretStr("y" * 32), demo=True) == b"y" * 32
