"""The bad-file corpus (simulator/drop_corpus.py): each file's outcome, asserted.

Every case ends one way: loaded, a row quarantined with file:line and reason,
the whole file quarantined with a reason, or the pull failing with a message.
Nothing is lost: a file either lands all its rows or is in the outcome list.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from flows.plans import load_plans
from simulator.drop_corpus import Case, build_corpus, corpus_cases, sample_rows
from tasks.datasets import dataset_kind
from tasks.settings import PROJECT_ROOT
from tasks.sources.http_api.errors import PermanentSourceError
from tasks.sources.specs import FileDropSource
from tests.landing import land_drop

PLAN = load_plans(PROJECT_ROOT / "flows" / "plans")["dong-nai-cu-tru-dat-dai"]
SOURCE = PLAN.sources["datdai_tep"]
FIELDS = dataset_kind("land_parcels").field_names
CORPUS_DIR = "corpus"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Case]]:
    folder = tmp_path_factory.mktemp(CORPUS_DIR)
    return folder, {case.name: case for case in build_corpus(folder)}


def spec_for(case: Case) -> FileDropSource:
    assert isinstance(SOURCE, FileDropSource)
    return SOURCE.model_copy(update={"path": case.name, **case.spec})


def outcome(root: Path, spec: FileDropSource, target: Path) -> tuple[str, str, list[dict]]:
    """(outcome, message, landed rows) as a user would read them."""
    try:
        landed = land_drop(root, spec, target)
    except PermanentSourceError as exc:
        return "failed", str(exc), []
    (file,) = landed.source_state["files"]
    rows = pq.read_table(target).to_pylist()
    if file["status"] == "quarantined":
        return "file", file["reason"], rows
    defects = [f"{r['_source']}: {r['_defect']}" for r in rows if r["_defect"]]
    return ("row", defects[0], rows) if defects else ("loaded", "", rows)


CASES = corpus_cases()
PATH_CASES = 5  # symlink out, '..', absolute path, NUL, nothing matched: tests below


def test_the_corpus_has_at_least_25_bad_files():
    assert len([c for c in CASES if c.expected != "loaded"]) + PATH_CASES >= 25


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_file_has_its_expected_outcome(case: Case, corpus, tmp_path: Path):
    folder, _ = corpus
    found, message, rows = outcome(folder / case.name, spec_for(case), tmp_path / "b.parquet")
    assert (found, case.reason in message) == (case.expected, True), message
    if found in ("loaded", "row"):  # nothing lost: every row lands, the bad one flagged
        assert len(rows) == 3
        assert all(r["_source"].startswith(f"{case.name}:") for r in rows)
    if found == "loaded":
        assert rows[0]["NgayCapNhat"] == datetime(2026, 10, 5)  # typed once, on landing
        assert rows[0]["MaThuaDat"].startswith("TD-")
    if found == "file":
        assert rows == []


def test_a_row_defect_names_its_line(corpus, tmp_path: Path):
    folder, cases = corpus
    case = cases["ragged-long.csv"]
    _, message, _ = outcome(folder / case.name, spec_for(case), tmp_path / "b.parquet")
    assert message.startswith("ragged-long.csv:3: ")  # header is line 1, the 2nd row line 3


def test_no_reason_or_defect_holds_a_cell_of_the_file(corpus, tmp_path: Path):
    """Issue 16: a file without its header put its first row (a citizen's ID) into
    the ledger's reason. Reasons name the column and the rule; samples are masked."""
    folder, cases = corpus
    cells = {str(c) for row in sample_rows() for c in row if len(str(c)) >= 8}
    texts = []
    for case in cases.values():
        _, message, rows = outcome(folder / case.name, spec_for(case), tmp_path / "b.parquet")
        texts += [message, *(r["_defect"] or "" for r in rows)]
    leaks = [t for t in texts if re.search(r"\d{9}", t) or any(c in t for c in cells)]
    assert leaks == []
    assert "is the header row missing?" in "".join(texts)  # the case that leaked is there
