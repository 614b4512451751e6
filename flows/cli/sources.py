"""`plan06 sources probe PLAN DATASET`: how a data engineer starts on a new province's system.

One page of the API (or the first rows of the first file) is read as the plan
describes the source; the records' fields are printed with samples (digits
masked), and a `columns` / `formats` / `values` block is proposed from names
and value shapes. `--write` puts the proposal into the plan file, comments
kept, for review and `plan06 plans check`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from flows.cli.common import CliError, console, embedded_simulator
from flows.cli.strings import say

if TYPE_CHECKING:  # imported when the command runs: `plan06 --help` stays quick
    from tasks.plans import DatasetSpec, PlanSpec
    from tasks.sources.probe import Proposal

sources_app = typer.Typer(
    help="Plan sources: look at one and propose its mapping.", no_args_is_help=True
)


def _api_sample(plan: PlanSpec, dataset: DatasetSpec, period: str) -> tuple[list, str | None]:
    """(records of the first page, a data_selector to propose if the plan's finds none)."""
    import httpx

    from tasks.sources.http_api import resolve_request
    from tasks.sources.http_api.errors import SourceError
    from tasks.sources.http_api.pages import select_records
    from tasks.sources.http_api.paginators import first_call
    from tasks.sources.probe import find_records

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


def _print(records: list[dict], proposal: Proposal, selector: str | None, label: str) -> None:
    import yaml
    from rich.table import Table

    from tasks.sources.probe import flatten, mask

    flat = [flatten(r) for r in records if isinstance(r, dict)]
    table = Table(title=say("probe_read", label, len(records)))
    table.add_column(say("probe_field"))
    table.add_column(say("probe_samples"))
    for path in dict.fromkeys(p for r in flat for p in r):
        samples = list(dict.fromkeys(mask(r[path], path) for r in flat if r.get(path) is not None))
        table.add_row(path, ", ".join(samples[:3]))
    console.print(table)
    block: dict[str, Any] = {"columns": proposal.columns}
    for key in ("components", "values", "formats"):
        if value := getattr(proposal, key):
            block[key] = value
    if selector:
        console.print(say("probe_selector", selector), style="bold")
    console.print(say("probe_proposed"))
    console.print(yaml.safe_dump(block, allow_unicode=True, sort_keys=False), markup=False)
    if proposal.unmatched:
        console.print(say("probe_unmatched", ", ".join(proposal.unmatched)), style="yellow")
    if proposal.unused:
        console.print(say("probe_unused", ", ".join(proposal.unused)), style="dim")


@sources_app.command("probe")
def probe(
    plan_id: Annotated[str, typer.Argument(metavar="PLAN")],
    dataset_id: Annotated[str, typer.Argument(metavar="DATASET")],
    period: Annotated[str | None, typer.Option(help="YYYY-MM; default last month")] = None,
    write: Annotated[bool, typer.Option(help="Write the proposal into the plan file")] = False,
) -> None:
    """Read one page (or file) of a dataset's source and propose its mapping."""
    from flows.periods import last_periods
    from flows.plans import load_plans
    from tasks.datasets import dataset_kind
    from tasks.settings import load_settings
    from tasks.sources.file_drop import resolve_drop
    from tasks.sources.file_drop.sample import sample_rows
    from tasks.sources.probe import propose
    from tasks.sources.specs import FileDropSource

    settings = load_settings()
    plans = load_plans(settings.plans_dir)  # PlanFileError: one sentence, exit 1
    plan = plans.get(plan_id)
    dataset = next((d for d in plan.datasets if d.id == dataset_id), None) if plan else None
    if plan is None or dataset is None:
        raise CliError(f"no plan {plan_id!r} with a dataset {dataset_id!r} in {settings.plans_dir}:"
                       " see `plan06 plans check` for the plans and their datasets")  # fmt: skip
    chosen = period or last_periods(1)[0]
    kind = dataset_kind(dataset.kind_id)
    with embedded_simulator(True, periods=[chosen]):  # SourceError: one sentence, exit 1
        if isinstance(plan.sources[dataset.source], FileDropSource):
            root, source, _ = resolve_drop(plan, dataset)
            records, selector = sample_rows(root, source, chosen), None
        else:
            records, selector = _api_sample(plan, dataset, chosen)
    proposal = propose(kind, records)
    _print(records, proposal, selector, f"{plan.id}/{dataset.id} ({kind.id}, {chosen})")
    if write:
        path = settings.plans_dir / f"{plan.id}.yaml"
        write_proposal(path, dataset.id, proposal, selector, dataset.source)
        console.print(say("probe_written", path))


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
