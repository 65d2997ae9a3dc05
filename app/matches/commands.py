"""The matching commands of `axmatch`: import, reindex, eval (bench lives in bench.py)."""

import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from tqdm import tqdm

from app.config import get_settings
from app.db import Database
from app.matches import engine
from app.matches.cache import KINDS
from app.matches.changelog import log_rebuild
from app.matches.importer import InvalidImport, import_files, operator_for
from app.matches.store import MANUFACTURER, NEED, SUPPLIER, all_owner_ids, sync

BATCH = 100


def import_command(
    operator: Annotated[
        str, typer.Option(help="e-mail of the coordinator or admin the audit log names")
    ],
    suppliers: Annotated[Path | None, typer.Option(exists=True, dir_okay=False)] = None,
    manufacturers: Annotated[Path | None, typer.Option(exists=True, dir_okay=False)] = None,
    needs: Annotated[Path | None, typer.Option(exists=True, dir_okay=False)] = None,
    admit: Annotated[
        bool, typer.Option(help="admit imported suppliers (default: they arrive as applied)")
    ] = False,
    drafts: Annotated[bool, typer.Option(help="import every need as a draft")] = False,
) -> None:
    """Import JSON Lines (idempotent by external_id) through the same rules as the pages:
    codes checked, unknown fields refused, every write audited with the operator; needs
    published through the publish path unless drafts. A bad line aborts the whole import."""
    db = Database.from_url(get_settings().database_url)
    try:
        with db.transaction() as session:
            user = operator_for(session, operator)
            counts = import_files(
                session, user, suppliers, manufacturers, needs, admit=admit, drafts=drafts
            )
    except InvalidImport as exc:
        for problem in exc.problems:
            typer.echo(problem, err=True)
        typer.echo(f"nothing imported: {len(exc.problems)} problem(s)", err=True)
        raise typer.Exit(1) from None
    typer.echo("imported: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def reindex() -> None:
    """Embed every changed text (committed in batches, so an interrupted run resumes where it
    stopped), rebuild the on-disk index cache from the database, and log the rebuild so that
    running workers reload theirs."""
    settings = get_settings()
    db, embedder = Database.from_url(settings.database_url), engine.embedder(settings)
    started, embedded = time.perf_counter(), 0
    for kind in KINDS:
        with db.transaction(write=False) as session:
            ids = all_owner_ids(session, kind)
        with tqdm(total=len(ids), desc=f"{kind}s", unit=kind, file=sys.stderr) as bar:
            for start in range(0, len(ids), BATCH):
                with db.transaction() as session:
                    embedded += sync(session, embedder, kind, ids[start : start + BATCH])
                bar.update(len(ids[start : start + BATCH]))
    with db.transaction() as session:  # before the build, so the build's watermark holds it
        log_rebuild(session)
    cache = engine.new_index_cache(settings)
    with db.transaction(write=False) as session:
        cache.rebuild(session)
    seconds = time.perf_counter() - started
    typer.echo(
        f"reindexed in {seconds:.1f}s: {embedded} texts embedded, "
        f"{len(cache.indexes[SUPPLIER])} supplier units, {len(cache.indexes[NEED])} needs, "
        f"{len(cache.indexes[MANUFACTURER])} manufacturer profiles "
        f"indexed with {engine.model_name(settings)}"
    )


ROOT = Path(__file__).resolve().parents[2]


def eval_sets(shared: Path | None = None) -> list[tuple[str, Path]]:
    """Every labelled dev set: seed/eval/* and the first shared/eval found above the
    checkout (or `shared`), by name, each a folder with suppliers.jsonl and needs.jsonl."""
    folders = [ROOT / "seed" / "eval"]
    if shared is not None:
        folders.append(shared)
    else:
        found = (p / "shared" / "eval" for p in ROOT.parents)
        folders += [next((f for f in found if f.is_dir()), ROOT / "shared" / "eval")]
    return [
        (d.name, d)
        for folder in folders
        if folder.is_dir()
        for d in sorted(folder.iterdir())
        if (d / "suppliers.jsonl").is_file() and (d / "needs.jsonl").is_file()
    ]


def eval_command(
    suppliers: Annotated[Path | None, typer.Argument(exists=True, dir_okay=False)] = None,
    needs: Annotated[Path | None, typer.Argument(exists=True, dir_okay=False)] = None,
    all_sets: Annotated[
        bool, typer.Option("--all", help="every set in seed/eval and shared/eval")
    ] = False,
    shared: Annotated[
        Path | None, typer.Option(file_okay=False, help="shared eval folder (default: found)")
    ] = None,
    derive_levels: Annotated[
        bool, typer.Option("--derive-levels", help="also print fit-level thresholds")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="kept for scripts; always JSON")] = False,
    model: Annotated[str | None, typer.Option(help="embedding model (default: settings)")] = None,
) -> None:
    """One JSON line per set: recall@10, nDCG@10 and MRR of the product's ranking, BM25,
    embedding-only and the case-count prior, and each fit level's precision and coverage on
    both scales (`levels`: need and supplier; `text_levels`: a bare text against documents).
    With --derive-levels, a last line with each scale's thresholds derived from all sets'
    pairs pooled, and their precision."""
    import matching
    from matching.evaluate import evaluate_with_pairs

    if all_sets == (suppliers is not None):
        raise typer.BadParameter("give SUPPLIERS and NEEDS, or --all")
    if suppliers is not None and needs is None:
        raise typer.BadParameter("NEEDS is missing")
    sets = eval_sets(shared) if all_sets else [(suppliers.parent.name, suppliers.parent)]
    files = {name: (d / "suppliers.jsonl", d / "needs.jsonl") for name, d in sets}
    if not all_sets:
        files = {sets[0][0]: (suppliers, needs)}  # type: ignore[dict-item]
    embedder = matching.get_embedder(model or engine.model_name())
    pooled: dict[matching.Scale, list[tuple[float, bool]]] = defaultdict(list)
    for name, (supplier_file, need_file) in files.items():
        figures, pairs = evaluate_with_pairs(
            supplier_file, need_file, embedder, progress=_progress_bars()
        )
        for scale, found in pairs.items():
            pooled[scale] += found
        typer.echo(json.dumps({"set": name, "model": embedder.name, **figures}))
    if derive_levels:
        typer.echo(json.dumps({"set": "all (pooled)", **_derived(pooled)}))


def _derived(pooled: dict[Any, list[tuple[float, bool]]]) -> dict[str, Any]:
    """Per scale: thresholds derived from the pooled pairs, and each level's precision."""
    from matching.levels import derive_thresholds, precision_by_level

    found: dict[str, Any] = {}
    for scale, pairs in pooled.items():
        thresholds = derive_thresholds(pairs)
        found[str(scale)] = {
            "pairs": len(pairs),
            "thresholds": {str(k): round(v, 3) for k, v in thresholds.items()},
            "levels": precision_by_level(pairs, thresholds),
        }
    return found


def _progress_bars() -> Callable[[str, int, int], None]:
    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            bars[stage] = tqdm(total=total, desc=stage, file=sys.stderr, leave=False)
        bars[stage].n = done
        bars[stage].refresh()
        if done >= total:
            bars.pop(stage).close()

    return progress


def bench_command(
    suppliers: Annotated[int, typer.Option(min=10, max=5000)] = 500,
    manufacturers: Annotated[int, typer.Option(min=10, max=1_000_000)] = 160_000,
    needs: Annotated[int, typer.Option(min=10, max=500_000)] = 50_000,
    national: Annotated[
        bool, typer.Option(help="610,000 manufacturers, embedded and indexed (x --scale)")
    ] = False,
    scale: Annotated[float, typer.Option(min=0.001, max=1.0, help="with --national")] = 1.0,
    queries: Annotated[int, typer.Option(min=10, max=5000)] = 200,
    model: Annotated[str | None, typer.Option(help="embedding model (default: settings)")] = None,
    database_url: Annotated[str | None, typer.Option(help="default: a fresh SQLite file")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    round_: Annotated[
        bool, typer.Option("--round", help="only an assignment round: --round-needs x --suppliers")
    ] = False,
    round_needs: Annotated[int, typer.Option(min=10, max=20_000)] = 2000,
    pages: Annotated[
        bool, typer.Option("--pages", help="also page throughput beside a bare Jinja2 page")
    ] = False,
) -> None:
    """Matching speed at DESIGN.md's scale: encode and reindex rates, raw vs service vs HTTP
    latency, supplier -> needs, index memory, edit-to-visibility across workers. With
    --round: an assignment round's solve time and quality lost against plain top-k."""
    from app.matches.bench import Scale
    from app.matches.benchrun import report, run

    if round_:
        from app.rounds.bench import RoundScale
        from app.rounds.bench import run as run_round

        report(run_round(RoundScale(needs=round_needs, suppliers=suppliers)), as_json)
        return
    sized = Scale(suppliers, round(610_000 * scale) if national else manufacturers, needs)
    figures = run(sized, queries, model, database_url, national)
    if pages:  # over the demo data, not the bench's generated records (see app/pagethroughput)
        from app.pagethroughput import Load
        from app.pagethroughput import run as page_throughput

        figures["page_throughput"] = page_throughput(Load())["pages"]
    report(figures, as_json)
