"""`patentpool audit ...`: verify the trail (chain, checkpoints, outside copies) and the money
tables against it, take a checkpoint by hand, rotate the audit key, adopt money rows written
before they were audited (docs/audit.md)."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pool.settings import Settings

if TYPE_CHECKING:
    from pool.services.audit.anchor import AnchorReport, OutsideCopy
    from pool.services.audit.money import MoneyVerification

MAX_PROBLEMS_SHOWN = 20


@click.group()
def audit() -> None:
    """The audit trail."""


def _copies(pairs: tuple[str, ...], folders: tuple[Path, ...]) -> list["OutsideCopy"]:
    from pool.services.audit import outside

    try:
        copies = [outside.parse(pair) for pair in pairs]
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--checkpoint") from error
    for folder in folders:
        found = list(outside.scan(folder))
        if not found:
            raise click.BadParameter(
                f"{folder} holds no 'Audit trail: event #N, head <hash>' line",
                param_hint="--checkpoints-from",
            )
        copies += found
    return copies


@audit.command("verify")
@click.option(
    "--checkpoint",
    "pairs",
    multiple=True,
    metavar="EVENT_ID:HASH",
    help="A head kept outside (an e-mail, a statement footer); repeatable.",
)
@click.option(
    "--checkpoints-from",
    "folders",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="A file or folder (.eml e-mails, statement HTML/CSV/PDF) to read heads from; repeatable.",
)
def audit_verify(pairs: tuple[str, ...], folders: tuple[Path, ...]) -> None:
    """Recompute the hash chain, check every signed checkpoint and every outside copy, then the
    money tables against the audited events; exit 1 naming each place that does not hold."""
    from pool.cli import engine_for
    from pool.db import session_scope
    from pool.services.audit import anchor, keyring, verify_money
    from pool.services.audit.keys import in_force

    copies = _copies(pairs, folders)
    settings = Settings.from_env()
    ring = keyring(settings)
    with engine_for(settings) as engine, session_scope(engine) as session:
        report = anchor.verify(session, keys=ring, outside=copies)
        active = in_force(session)
        money = verify_money(session)
    _summary(report, ring.current.fingerprint if active is None else active)
    _echo_money(money)
    if ring.pending is not None and ring.pending.fingerprint != active:
        click.echo(
            "note: audit_key.new is left from a rotation that never committed; it signs "
            "nothing, and the next `patentpool audit rotate-key` removes it"
        )
    if not (report.ok and money.ok):
        sys.exit(1)


def _echo_money(money: "MoneyVerification") -> None:
    """One line when the money tables agree; otherwise a line per disagreement shown."""
    counts = ", ".join(f"{n} {table}" for table, n in money.rows_checked.items())
    if money.ok:
        click.echo(f"money tables agree with the audit trail: {counts} rows checked")
        return
    for found in money.disagreements:
        click.echo(f"MONEY TABLE DISAGREES: {found.describe()}", err=True)
    more = money.disagreement_count - len(money.disagreements)
    click.echo(
        f"{money.disagreement_count} money disagreement(s)"
        + (f" ({more} more not shown)" if more else "")
        + f"; {counts} rows checked",
        err=True,
    )


@audit.command("adopt")
def audit_adopt() -> None:
    """Record an `<table>.adopted` event for every money row without a complete audited
    state (rows written before money writes were audited); idempotent (docs/audit.md)."""
    from pool.cli import engine_for
    from pool.clock import system_clock
    from pool.db import session_scope
    from pool.services import audit as audit_service

    with engine_for(Settings.from_env()) as engine, session_scope(engine) as session:
        counts = audit_service.adopt(session, now=system_clock())
    adopted = ", ".join(f"{n} {table}" for table, n in counts.items())
    click.echo(f"adopted into the audit trail: {adopted} rows")


def _summary(report: "AnchorReport", fingerprint: str) -> None:
    chain = report.chain
    if chain.ok:
        click.echo(f"audit chain intact: {chain.events_checked} events verified")
    else:
        click.echo(
            f"audit chain BROKEN at event {chain.first_broken_id} after "
            f"{chain.events_checked} good events: {chain.problem}",
            err=True,
        )
    if report.checkpoints == 0:
        click.echo("no checkpoint yet: nothing outside the database anchors the chain")
    else:
        click.echo(f"checkpoints: {report.held} of {report.checkpoints} hold (key {fingerprint})")
    if report.newest is not None:
        behind = report.chain_end - report.newest.event_id
        click.echo(
            f"newest checkpoint {report.newest.id} covers event {report.newest.event_id}; "
            f"{behind} newer events are not anchored yet"
        )
    if report.outside:
        failed = sum(p.startswith("outside copy") for p in report.problems)
        click.echo(f"outside copies: {report.outside - failed} of {report.outside} hold")
    for problem in report.problems[:MAX_PROBLEMS_SHOWN]:
        click.echo(f"FAILED: {problem}", err=True)
    if len(report.problems) > MAX_PROBLEMS_SHOWN:
        click.echo(f"... and {len(report.problems) - MAX_PROBLEMS_SHOWN} more", err=True)


@audit.command("checkpoint")
def audit_checkpoint() -> None:
    """Sign the chain's head now (reason `manual`) and print the line to keep outside."""
    from pool.cli import engine_for
    from pool.clock import system_clock
    from pool.db import session_scope
    from pool.errors import DomainError
    from pool.services.audit import head_line, keyring, take_checkpoint

    settings = Settings.from_env()
    try:
        with engine_for(settings) as engine, session_scope(engine, writes=True) as session:
            taken = take_checkpoint(
                session, keys=keyring(settings), now=system_clock(), reason="manual"
            )
    except DomainError as error:
        raise click.ClickException(error.detail) from error
    click.echo(f"checkpoint {taken.id}: {head_line(taken.event_id, taken.head_hash)}")


@audit.command("rotate-key")
@click.option(
    "--new-key-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The new key (needed when PATENTPOOL_AUDIT_KEY holds the key; else generated).",
)
def audit_rotate_key(new_key_file: Path | None) -> None:
    """Verify everything under the current key, re-sign every checkpoint under a new one (one
    transaction, audited as `audit.key_rotated`), then install the new key."""
    from pool.cli import engine_for
    from pool.clock import system_clock
    from pool.db import session_scope
    from pool.errors import DomainError
    from pool.services.audit import Actor, anchor, keyring
    from pool.services.audit import rotation as rotating

    settings = Settings.from_env()
    if settings.audit_key and new_key_file is None:
        raise click.UsageError(
            "the audit key comes from PATENTPOOL_AUDIT_KEY: give the new one with --new-key-file"
        )
    given = new_key_file.read_text() if new_key_file is not None else None
    try:
        with (
            rotating.rotation_lock(settings.data_dir),
            engine_for(settings) as engine,
        ):
            with session_scope(engine, writes=True) as session:
                if (settled := rotating.settle(session, keyring(settings))) is not None:
                    click.echo(settled)
            ring = keyring(settings)
            with session_scope(engine) as session:
                report = anchor.verify(session, keys=ring)
            if not report.ok:
                _summary(report, ring.current.fingerprint)
                click.echo("refused: the trail does not verify under the current key", err=True)
                sys.exit(1)
            both = rotating.prepare(ring, rotating.new_secret(given, ring))
            with session_scope(engine, writes=True) as session:
                done = rotating.resign(
                    session, ring=both, actor=Actor.system("cli"), now=system_clock()
                )
            rotating.install(both)
    except DomainError as error:
        raise click.ClickException(error.detail) from error
    click.echo(
        f"audit key rotated: {done.old_fingerprint} -> {done.new_fingerprint}; "
        f"{done.resigned} checkpoints re-signed, checkpoint {done.checkpoint_id} pins the rotation"
    )
    if both.key_file is not None:
        click.echo(f"the new key is in {both.key_file}")
    else:
        click.echo(
            "PATENTPOOL_AUDIT_KEY must now be set to the new key on every instance before it "
            "restarts; until then instances holding the old key refuse to take checkpoints"
        )
