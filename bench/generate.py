"""Generate dossier data at benchmark scale, fast, in DuckDB.

The simulator builds realistic records one by one in Python (about 50 ms per
1,500 rows): right for the API, far too slow for 10 M rows. This writes the
same fields with the same formats and a comparable share of bad rows as one
vectorised DuckDB query, deterministic for (rows, period, seed).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

UNITS = ["25741", "25744", "25951"]  # new communes of the Bình Dương area (seed)
STATUSES = ["Đã trả kết quả", "Đã xử lý xong", "Đang xử lý", "Yêu cầu bổ sung", "Từ chối"]

GENERATE_SQL = """
WITH base AS (
    SELECT
        i,
        (hash(i, {seed}) >> 1)::BIGINT AS h1,
        (hash(i * 7919, {seed}) >> 1)::BIGINT AS h2,
        (hash(i * 104729, {seed}) >> 1)::BIGINT AS h3,
        DATE '{first_day}' + CAST(i % {days} AS INTEGER) AS day
    FROM range({rows}) AS t(i)
)
SELECT
    CASE WHEN h1 % 1000 = 0 THEN 'BAD CODE ' || i
         -- (agency, day, sequence) is unique: i = agency * days * 10000 + seq * days + day
         ELSE 'G22.74.' || lpad((i // ({days} * 10000))::VARCHAR, 2, '0') || '-'
              || strftime(day, '%y%m%d') || '-' || lpad((i // {days} % 10000)::VARCHAR, 4, '0')
    END AS MaHoSo,
    '1.00' || lpad((4000 + h2 % 60)::VARCHAR, 4, '0') AS MaTTHC,
    CASE WHEN h1 % 997 = 1 THEN '99999' ELSE ({units})[1 + h2 % 3] END AS MaDonVi,
    (['cu_tru', 'dat_dai', 'ho_tich', 'ly_lich_tu_phap'])[1 + h3 % 4] AS LinhVuc,
    CASE WHEN h1 % 991 = 2 THEN '7' ELSE (1 + (h2 // 7) % 3)::VARCHAR END AS KenhThucHien,
    CASE WHEN h3 % 2 = 0 THEN 'TOAN_TRINH' ELSE 'MOT_PHAN' END AS MucDoDVC,
    strftime(day::TIMESTAMP + INTERVAL 8 HOUR, '%Y%m%d%H%M%S') AS NgayNopHoSo,
    strftime(day::TIMESTAMP + INTERVAL 9 HOUR, '%Y%m%d%H%M%S') AS NgayTiepNhan,
    strftime(day::TIMESTAMP + INTERVAL 9 HOUR
             + to_days(CASE WHEN h1 % 983 = 3 THEN -2 ELSE 5 + h2 % 10 END::INTEGER),
             '%Y%m%d%H%M%S') AS NgayHenTra,
    CASE WHEN h3 % 100 < 94 THEN strftime(day::TIMESTAMP + INTERVAL 10 HOUR
             + to_days((h3 // 100 % 16)::INTEGER), '%Y%m%d%H%M%S') END AS NgayKetThucXuLy,
    ({statuses})[1 + (h3 // 13) % 5] AS TrangThaiHoSo,
    '074' || lpad((h1 % 1000000000)::VARCHAR, 9, '0') AS SoGiayToChuHoSo,
    '[{{"DuocLayTuKhoDMQG":' || (h2 % 2) || ',"DuocSoHoa":'
        || (CASE WHEN h3 % 10 < 8 THEN 1 ELSE 0 END) || ',"TenGiayTo":"Tờ khai"}}]'
        AS ThanhPhanHoSo,
    CASE WHEN h3 % 10 < 9 THEN 'KQ-' || i END AS MaKetQua,
    CASE WHEN h2 % 10 < 8 THEN 'https://kq.example.invalid/' || i || '.pdf' END
        AS DuongDanTepTinKetQua,
    (CASE WHEN h1 % 10 < 8 THEN 1 ELSE 0 END)::VARCHAR AS KetQuaDuocSoHoa,
    (CASE WHEN h2 % 100 < 93 THEN 1 ELSE 0 END)::VARCHAR AS DongBoDVCQG,
    strftime(day::TIMESTAMP + INTERVAL 11 HOUR, '%Y%m%d%H%M%S') AS NgayCapNhat
FROM base
"""


def _list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def generate(rows: int, period: str, out_dir: Path, seed: int = 6) -> tuple[Path, Path]:
    """Write dossiers.csv and dossiers.parquet for one period; returns both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    year, month = map(int, period.split("-"))
    first_day = f"{year:04d}-{month:02d}-01"
    days = 28
    # Our own constants, formatted in: COPY takes no prepared parameters.
    sql = GENERATE_SQL.format(
        first_day=first_day,
        days=days,
        rows=int(rows),
        seed=int(seed),
        units=_list(UNITS),
        statuses=_list(STATUSES),
    )
    csv_path, parquet_path = out_dir / "dossiers.csv", out_dir / "dossiers.parquet"
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"COPY ({sql}) TO '{csv_path}' (HEADER, DELIMITER ',')")
    con.execute(f"COPY ({sql}) TO '{parquet_path}' (FORMAT parquet, COMPRESSION zstd)")
    con.close()
    return csv_path, parquet_path
