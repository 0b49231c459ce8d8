"""``klingkit history``: past runs and batches from the local ledger, searched without the network."""

from __future__ import annotations

from typing import Any

import click

from ._exit import CLIError
from ._help import examples
from ._ops_options import ops_argument, ops_option
from ._session import Session, session_options


def _batch(ledger: Any, given: str) -> str:
    """The full batch id for ``given``: a full id, the short prefix the batch printed, or its name."""
    batches = ledger.list_batches(limit=None)
    exact = [b.batch_id for b in batches if b.batch_id == given]
    if exact:
        return str(exact[0])
    found = [b.batch_id for b in batches if b.batch_id.startswith(given) or getattr(b, "name", None) == given]
    if len(found) == 1:
        return str(found[0])
    if not found:
        raise CLIError(
            f"invalid --batch {given}: no batch with this id in the ledger",
            hint="`klingkit history --batches` lists them",
        )
    raise CLIError(
        f"invalid --batch {given}: {len(found)} batches start with it ({', '.join(found[:3])})",
        hint="give more of the id (see `klingkit history --batches`)",
    )


@click.command(
    epilog=examples(
        'klingkit history "fox"',
        "klingkit history --unfinished",
        "klingkit history --batches",
    )
)
@ops_argument("list_tasks", "search", "search", required=False)
@ops_option("list_tasks", "status", "--status", help="Only this status.")
@ops_option("list_tasks", "unfinished", "--unfinished")
@ops_option(
    "list_tasks",
    "batch",
    "--batch",
    "batch_id",
    metavar="BATCH_ID",
    help="Only the rows of this batch, in row order (the short id the batch printed is enough).",
)
@click.option("--batches", is_flag=True, help="List batches instead of tasks.")
@ops_option("list_tasks", "limit", "-n", "--limit", take_default=True, help="At most this many rows.")
@session_options(network=False)
def history(
    session: Session,
    search: str | None,
    status: str | None,
    unfinished: bool,
    batch_id: str | None,
    batches: bool,
    limit: int,
) -> None:
    """Past runs from the local ledger, newest first; SEARCH matches prompt, ids, model and batch."""
    ledger = session.ledger()
    if batches:
        found = ledger.list_batches(limit=limit)
        session.ui.result(
            {"batches": [b.to_dict() for b in found]},
            [f"{b.created_at[:19]}  {b.batch_id}  {b.status:<10}  {b.source or ''}" for b in found]
            or ["no batches yet"],
        )
        return
    if batch_id:
        batch_id = _batch(ledger, batch_id)
    records = ledger.find(
        search,
        status=status,
        batch_id=batch_id,
        unfinished=unfinished,
        include_abandoned=not unfinished,
        limit=limit,
        newest_first=batch_id is None,
    )
    lines = []
    for r in records:
        where = f" [batch {r.batch_id} row {r.row_index}]" if r.batch_id else ""
        prompt = (r.prompt or "").replace("\n", " ")
        prompt = prompt[:48] + "..." if len(prompt) > 51 else prompt
        cost = (
            f"{r.units:g}u"
            if r.units is not None
            else (f"~{r.estimate_units:g}u" if r.estimate_units else "")
        )
        sandbox = " (sandbox)" if r.sandbox else ""
        lines.append(
            f"{r.created_at[:19]}  {r.status:<10}  {r.external_id}  {r.task_id or '-'}  "
            f"{r.model or r.feature}  {cost}{sandbox}{where}  {prompt}"
        )
        lines.extend(f"    {f}" for f in r.files)
    session.ui.result(
        {"tasks": [r.to_dict() for r in records], "ledger": str(ledger.path)},
        lines or [f"no matching runs in {ledger.path}"],
    )
