"""`plan06 sources probe PLAN DATASET`: how a data engineer starts on a new province's system.

One page of the API (or the first rows of the first file) is read as the plan
describes the source; the records' fields are printed with samples (digits
masked), and a `columns` / `formats` / `values` block is proposed from names
and value shapes. `--write` puts the proposal into the plan file, comments
kept, for review and `plan06 plans check`.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
import yaml
from rich.console import Console
from rich.table import Table

from flows.periods import last_periods
from flows.plans import PlanFileError, load_plans
from tasks.datasets import dataset_kind
from tasks.plans import DatasetSpec, PlanSpec
from tasks.settings import load_settings
from tasks.sources.file_drop import resolve_drop
from tasks.sources.file_drop.sample import sample_rows
from tasks.sources.http_api import SIMULATOR_TOKEN_ENV, SIMULATOR_URL_ENV, resolve_request
from tasks.sources.http_api.errors import SourceError
from tasks.sources.http_api.pages import select_records
from tasks.sources.http_api.paginators import first_call
from tasks.sources.probe import Proposal, find_records, flatten, mask, propose
from tasks.sources.specs import FileDropSource

sources_app = typer.Typer(help="Plan sources: look at one and propose its mapping.",
                          no_args_is_help=True)  # fmt: skip
console = Console()
errors = Console(stderr=True)


def _api_sample(plan: PlanSpec, dataset: DatasetSpec, period: str) -> tuple[list, str | None]:
    """(records of the first page, a data_selector to propose if the plan's finds none)."""
    request, _ = resolve_request(plan, dataset, period)
    call = first_call(request.url, request.params, request.paginator, request.page_size)
    with httpx.Client(timeout=30.0, trust_env=False) as client:
        response = client.get(call.url, params=call.params, headers=request.headers())
    if response.status_code != 200:
        raise SourceError(f"GET {request.path}: HTTP {response.status_code}")
    body = response.json()
    try:
        return select_records(body, request.data_selector, request.path), None
    except SourceError:
        found = find_records(body)
        if found is None:
            raise
        return select_records(body, found, request.path), found


def _start_simulator(stack: ExitStack, period: str) -> None:
    if os.environ.get(SIMULATOR_URL_ENV):
        return
    from simulator.server import start_in_thread

    handle = stack.enter_context(start_in_thread(drop_periods=[period]))
    os.environ[SIMULATOR_URL_ENV], os.environ[SIMULATOR_TOKEN_ENV] = handle.url, handle.token
    stack.callback(os.environ.pop, SIMULATOR_URL_ENV, None)
    stack.callback(os.environ.pop, SIMULATOR_TOKEN_ENV, None)


def _print(records: list[dict], proposal: Proposal, selector: str | None, label: str) -> None:
    flat = [flatten(r) for r in records if isinstance(r, dict)]
    table = Table(title=f"{label}: {len(records)} record(s) read")
    table.add_column("source field")
    table.add_column("samples (digits masked)")
    for path in dict.fromkeys(p for r in flat for p in r):
        samples = list(dict.fromkeys(mask(r[path], path) for r in flat if r.get(path) is not None))
        table.add_row(path, ", ".join(samples[:3]))
    console.print(table)
    block: dict[str, Any] = {"columns": proposal.columns}
    for key in ("components", "values", "formats"):
        if value := getattr(proposal, key):
            block[key] = value
    if selector:
        console.print(f"data_selector of the source should be: [bold]{selector}[/]")
    console.print("Proposed for the dataset entry of the plan file:")
    console.print(yaml.safe_dump(block, allow_unicode=True, sort_keys=False), markup=False)
    if proposal.unmatched:
        console.print(f"[yellow]not found, map by hand or leave NULL:[/] "
                      f"{', '.join(proposal.unmatched)}")  # fmt: skip
    if proposal.unused:
        console.print(f"[dim]source fields nothing maps: {', '.join(proposal.unused)}[/]")


@sources_app.command("probe")
def probe(
    plan_id: Annotated[str, typer.Argument(metavar="PLAN")],
    dataset_id: Annotated[str, typer.Argument(metavar="DATASET")],
    period: Annotated[str | None, typer.Option(help="YYYY-MM; default last month")] = None,
    write: Annotated[bool, typer.Option(help="Write the proposal into the plan file")] = False,
) -> None:
    """Read one page (or file) of a dataset's source and propose its mapping."""
    settings = load_settings()
    try:
        plan = load_plans(settings.plans_dir)[plan_id]
        dataset = next(d for d in plan.datasets if d.id == dataset_id)
    except (PlanFileError, KeyError, StopIteration) as exc:
        errors.print(f"error: no plan {plan_id!r} with dataset {dataset_id!r} ({exc})")
        raise typer.Exit(1) from None
    chosen = period or last_periods(1)[0]
    kind = dataset_kind(dataset.kind_id)
    with ExitStack() as stack:
        _start_simulator(stack, chosen)
        try:
            if isinstance(plan.sources[dataset.source], FileDropSource):
                root, source, _ = resolve_drop(plan, dataset)
                records, selector = sample_rows(root, source, chosen), None
            else:
                records, selector = _api_sample(plan, dataset, chosen)
        except SourceError as exc:
            errors.print(f"error: {exc}", markup=False)
            raise typer.Exit(1) from None
    proposal = propose(kind, records)
    _print(records, proposal, selector, f"{plan.id}/{dataset.id} ({kind.id}, {chosen})")
    if write:
        path = settings.plans_dir / f"{plan.id}.yaml"
        write_proposal(path, dataset.id, proposal, selector, dataset.source)
        console.print(f"written to {path}: check it, then `plan06 plans check`")


def write_proposal(
    path: Path, dataset_id: str, proposal: Proposal, selector: str | None, source: str
) -> None:
    """Set the dataset's mapping keys (and the source's data_selector) in the plan file."""
    from ruamel.yaml import YAML

    rt = YAML()
    rt.preserve_quotes, rt.width = True, 100
    rt.indent(mapping=2, sequence=4, offset=2)
    doc = rt.load(path.read_text(encoding="utf-8"))
    entry = next(d for d in doc["datasets"] if d["id"] == dataset_id)
    for key in ("columns", "components", "values", "formats"):
        if value := getattr(proposal, key):
            entry[key] = value
    if selector:
        doc["sources"][source]["data_selector"] = selector
    with path.open("w", encoding="utf-8") as fh:
        rt.dump(doc, fh)
