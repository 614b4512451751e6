"""The peer stack a data team would otherwise assemble: dlt + GX on pandas.

1. dlt loads the dossier CSV into DuckDB with `merge` on the dossier code.
2. pandas reads the same CSV, derives the columns the suite checks, and GX
   validates the same expectations/dossiers.json suite on the DataFrame,
   row indices included (what a quarantine needs).
Run as a script: `python bench/peer.py CSV WORKDIR PERIOD`; prints seconds.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("RUNTIME__LOG_LEVEL", "ERROR")

import dlt
import great_expectations as gx
import pandas as pd
import pyarrow.csv as pv

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tasks.validate.clock import with_pull_time
from tasks.validate.suites import load_suite

UNITS = ["25741", "25744", "25951"]


def dlt_merge(csv_path: Path, workdir: Path) -> None:
    def batches() -> Iterator:
        options = pv.ReadOptions(block_size=64 << 20)
        convert = pv.ConvertOptions(column_types=None, strings_can_be_null=True)
        with pv.open_csv(csv_path, read_options=options, convert_options=convert) as reader:
            yield from reader

    resource = dlt.resource(
        batches, name="dossiers", primary_key="MaHoSo", write_disposition="merge"
    )
    pipeline = dlt.pipeline(
        pipeline_name="peer",
        destination=dlt.destinations.duckdb(str(workdir / "dlt_warehouse.duckdb")),
        dataset_name="raw",
        pipelines_dir=str(workdir / "dlt"),
    )
    pipeline.run(resource)


def staged_frame(csv_path: Path) -> pd.DataFrame:
    raw = pd.read_csv(csv_path, dtype=str, keep_default_na=False, na_values=[""])
    stamp = "%Y%m%d%H%M%S"
    frame = pd.DataFrame(
        {
            "row_number": range(1, len(raw) + 1),
            "dossier_code": raw["MaHoSo"],
            "procedure_code": raw["MaTTHC"],
            "unit_code": raw["MaDonVi"],
            "domain": raw["LinhVuc"],
            "channel": pd.to_numeric(raw["KenhThucHien"], errors="coerce"),
            "status": raw["TrangThaiHoSo"],
            "received_at": pd.to_datetime(raw["NgayTiepNhan"], format=stamp, errors="coerce"),
            "due_at": pd.to_datetime(raw["NgayHenTra"], format=stamp, errors="coerce"),
            "finished_at": pd.to_datetime(raw["NgayKetThucXuLy"], format=stamp, errors="coerce"),
            "n_components": raw["ThanhPhanHoSo"].str.count("DuocSoHoa"),
        }
    )
    frame["received_period"] = frame["received_at"].dt.strftime("%Y-%m")
    frame["key_copy"] = frame.groupby("dossier_code").cumcount() + 1
    ids = raw["SoGiayToChuHoSo"].str.replace(r"\s", "", regex=True)
    frame["applicant_id_format"] = ids.str.len().map({12: "cccd12", 9: "cmnd9"})
    return frame


def gx_pandas(csv_path: Path, period: str) -> int:
    frame = staged_frame(csv_path)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    batch = (
        context.data_sources.add_pandas("peer")
        .add_dataframe_asset("staged")
        .add_batch_definition_whole_dataframe("all")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    result = batch.validate(
        load_suite(Path(__file__).resolve().parents[1] / "expectations", "dossiers"),
        expectation_parameters=with_pull_time({"unit_codes": UNITS, "periods": [period]}),
        result_format={
            "result_format": "COMPLETE",
            "unexpected_index_column_names": ["row_number"],
        },
    )
    return sum(len(r.result.get("unexpected_index_list") or []) for r in result.results)


def main() -> None:
    csv_path, workdir, period = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    dlt_merge(csv_path, workdir)
    loaded = time.perf_counter()
    failures = gx_pandas(csv_path, period)
    done = time.perf_counter()
    print(
        f"peer_s={done - started:.2f} peer_dlt_s={loaded - started:.2f} "
        f"peer_gx_s={done - loaded:.2f} peer_failures={failures}"
    )


if __name__ == "__main__":
    main()
