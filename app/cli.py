"""The `axmatch` command: serve, worker, migrate, seed, create-admin (and the matching commands)."""

from pathlib import Path
from typing import Annotated

import typer

from app.config import PROJECT_DIR, get_settings

cli = typer.Typer(
    help="axmatch: the manufacturing-AI marketplace.", no_args_is_help=True, add_completion=False
)


def alembic_config():  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config(str(PROJECT_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_DIR / "migrations"))
    return config


@cli.command()
def migrate(revision: str = "head") -> None:
    """Upgrade the database schema (Alembic) to REVISION."""
    from alembic import command

    command.upgrade(alembic_config(), revision)
    typer.echo(f"database at {revision}: {get_settings().database_url.split('@')[-1]}")


@cli.command()
def downgrade(revision: str = typer.Argument(..., help="target, e.g. base")) -> None:
    """Downgrade the database schema to REVISION."""
    from alembic import command

    command.downgrade(alembic_config(), revision)


@cli.command()
def seed(
    path: Annotated[Path | None, typer.Option(help="folder of demo JSONL files")] = None,
) -> None:
    """Load the Gyeongnam demo data (idempotent: loading twice changes nothing)."""
    from app.db import Database
    from seed.loader import DATA_DIR, load_demo

    db = Database.from_url(get_settings().database_url)
    with db.transaction() as session:
        counts = load_demo(session, path or DATA_DIR)
    typer.echo("seed: " + ", ".join(f"{k} +{v}" for k, v in counts.items()))


@cli.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(prompt=True)],
    name: Annotated[str, typer.Option(prompt=True)] = "관리자",
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """Create an admin account in the support group's organisation (audited)."""
    from app.admin.service import create_admin as create
    from app.db import Database
    from app.errors import AppError
    from app.i18n import gettext

    db = Database.from_url(get_settings().database_url)
    try:
        with db.transaction() as session:
            user = create(session, email, password, name)
    except AppError as exc:
        raise typer.BadParameter(gettext("en", exc.message, **exc.params)) from exc
    typer.echo(f"admin created: {user.email}")


@cli.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 1,
    reload: bool = False,
) -> None:
    """Serve the web app (uvicorn). Several workers need PostgreSQL."""
    import uvicorn

    uvicorn.run(
        "app.main:app",
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=False,  # the app reads X-Forwarded-For itself, from AXMATCH_TRUSTED_PROXIES
    )


@cli.command()
def worker(
    once: Annotated[
        bool, typer.Option(help="one scan and one pass over the outbox, then exit")
    ] = False,
) -> None:
    """Send the e-mail outbox and write time-based notices (deadline near, bids ready).

    Several may run at once (each e-mail is claimed by one); without AXMATCH_SMTP_HOST the
    e-mails are written to the log."""
    import threading

    from app.db import Database
    from app.notifications.worker import Worker, configure_logging

    settings = get_settings()
    configure_logging()
    db = Database.from_url(settings.database_url)
    runner = Worker(db, settings)
    try:
        if once:
            notices, results = runner.scan_once(), runner.send_once()
            sent = sum(error is None for error in results.values())
            failed = len(results) - sent
            typer.echo(f"worker: {notices} notices, {sent} e-mails sent, {failed} failed")
            return
        mode = f"SMTP {settings.smtp_host}:{settings.smtp_port}" if settings.smtp_host else "log"
        typer.echo(f"worker: sending the outbox ({mode}); Ctrl-C stops")
        runner.run(threading.Event())
    except KeyboardInterrupt:
        typer.echo("worker: stopped")
    finally:
        db.engine.dispose()


@cli.command("bench-pages")
def bench_pages(
    slow: Annotated[int, typer.Option(min=1, max=16, help="clients posting slow forms")] = 2,
    fast: Annotated[int, typer.Option(min=1, max=16, help="clients reading a page")] = 4,
    seconds: Annotated[float, typer.Option(min=1, max=60, help="per phase")] = 4.0,
    delay: Annotated[float, typer.Option(min=0.01, max=5, help="slow statement, s")] = 0.3,
    database_url: Annotated[str | None, typer.Option(help="default: a fresh SQLite file")] = None,
    throughput: Annotated[
        bool, typer.Option(help="instead: main pages' req/s beside a bare Jinja2 page")
    ] = False,
    connections: Annotated[int, typer.Option(min=1, max=256, help="with --throughput")] = 32,
    rounds: Annotated[int, typer.Option(min=1, max=20, help="with --throughput")] = 3,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Fast page latency (p50/p99) alone and while slow form posts run, one worker. With
    --throughput: logged-in req/s of the main pages at 32 connections over the demo data,
    beside a bare FastAPI + Jinja2 20-row page, interleaved in rounds of `seconds` each."""
    if throughput:
        _bench_throughput(connections, rounds, seconds, database_url, as_json)
        return
    from app.pagesbench import Mix, run

    for phase, figures in run(Mix(slow, fast, seconds, delay), database_url).items():
        typer.echo(f"{phase:15} " + "  ".join(f"{k} {v}" for k, v in figures.items()))


snapshot_cli = typer.Typer(
    help="Index snapshots in the shared object store (AXMATCH_FILE_STORE=s3)."
)
cli.add_typer(snapshot_cli, name="snapshot")


@snapshot_cli.command("push")
def snapshot_push() -> None:
    """Bring this machine's index copy in step with the database and upload it (run it on one
    machine after a reindex, and from cron: a new machine then replays less of the log)."""
    from app.db import Database
    from app.matches import shared

    settings = get_settings()
    db = Database.from_url(settings.database_url)
    try:
        names = shared.push(settings, db)
    finally:
        db.engine.dispose()
    typer.echo(f"snapshot: pushed {len(names)} index files and meta.json")


@snapshot_cli.command("pull")
def snapshot_pull() -> None:
    """Download the latest snapshot into AXMATCH_DATA_DIR before this machine's app starts."""
    from app.matches import shared

    if shared.pull(get_settings()):
        typer.echo("snapshot: pulled; the app replays the change log after it")
    else:
        typer.echo("snapshot: none usable in the store; the app builds its index from the database")


def _bench_throughput(
    connections: int, rounds: int, seconds: float, database_url: str | None, as_json: bool
) -> None:
    import json

    from app.pagethroughput import Load, run

    figures = run(Load(connections, min(4, connections), seconds, rounds), database_url)
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False))
        return
    for name, f in figures["pages"].items():
        typer.echo(f"{name:40} {f['req_per_s']:8} req/s  {f['vs_bare']:6}x bare  "
                   f"(rounds {f['min']}-{f['max']})")  # fmt: skip


def _register_matching_commands() -> None:
    from app.matches import commands

    cli.command("import")(commands.import_command)
    cli.command("reindex")(commands.reindex)
    cli.command("eval")(commands.eval_command)
    cli.command("bench")(commands.bench_command)


def main() -> None:
    from app.hooks import install

    install()  # before any command opens a session: vectors in step, notifications
    _register_matching_commands()
    cli()


if __name__ == "__main__":
    main()
