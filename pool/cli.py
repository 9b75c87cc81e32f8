"""The `patentpool` command line."""

import sys
from pathlib import Path

import click


@click.group()
def main() -> None:
    """Run and operate a patentpool service."""


@main.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--explain", is_flag=True, help="Explain each contributor's amount.")
def allocate(scenario: Path, as_json: bool, explain: bool) -> None:
    """Allocate a scenario file offline (no database needed)."""
    from allocation.command import run_scenario_file

    output, exit_code = run_scenario_file(scenario, as_json=as_json, explain=explain)
    click.echo(output, err=exit_code != 0)
    sys.exit(exit_code)
