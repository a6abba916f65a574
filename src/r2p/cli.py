"""The ``r2p`` command line: one sub-command group per part of the system.

Exit codes: 0 success, 1 failure, 2 bad input. Every group's commands import
their heavy dependencies lazily so ``r2p --help`` stays fast.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import typer
from typer import _click as click
from typer.core import TyperGroup

from r2p import __version__
from r2p._cli_util import EXIT_BAD_INPUT, EXIT_FAILURE, err_console
from r2p.errors import R2PError

# (command name, module holding a Typer ``app``). Each part registers itself here.
_GROUPS: tuple[tuple[str, str], ...] = (
    ("data", "r2p.data._cli"),
    ("council", "r2p.council._cli"),
    ("law", "r2p.law._cli"),
    ("risk", "r2p.risk._cli"),
    ("cases", "r2p.cases._cli"),
)


class _LazyCommands(MutableMapping[str, click.Command]):
    """The root's sub-commands, importing a part's command group only when it is looked up.

    ``r2p council predict`` then imports the council part alone, not every part's
    dependencies (the risk part's scikit-learn, SciPy and numba take seconds to import).
    """

    def __init__(self, eager: MutableMapping[str, click.Command], lazy: dict[str, str]) -> None:
        self._eager = dict(eager)
        self._lazy = {name: module for name, module in lazy.items() if name not in self._eager}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._eager and name in self._lazy:
            group = typer.main.get_group(importlib.import_module(self._lazy[name]).app)
            group.name = name
            self._eager[name] = group
        return self._eager[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._eager[name] = command

    def __delitem__(self, name: str) -> None:
        self._lazy.pop(name, None)
        self._eager.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        yield from self._lazy
        yield from (name for name in self._eager if name not in self._lazy)

    def __len__(self) -> int:
        return len(set(self._lazy) | set(self._eager))

    def __contains__(self, name: object) -> bool:
        return name in self._lazy or name in self._eager


class _RootGroup(TyperGroup):
    """The ``r2p`` group: its part groups are loaded on first use (see ``_LazyCommands``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _LazyCommands(self.commands, dict(_GROUPS))


app = typer.Typer(
    cls=_RootGroup,
    help="r2p: early warning, Security Council outlook, crisis simulation and briefs on mass atrocities.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.command("demo")
def demo(
    out: Path = typer.Option(Path("out"), help="Folder for everything the demo writes."),
) -> None:
    """Build the warehouse and run the main job on embedded defaults; print where output went.

    Example: r2p demo --out out
    """
    from r2p._demo import run_demo

    for line in run_demo(out.resolve()):
        typer.echo(line)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"r2p {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """r2p: an executable model of the international system for stopping mass atrocities."""


# --- r2p sweep / r2p claims (owned by r2p.sweep; bodies in r2p/sweep/_cli.py) ----------------------


@app.command("sweep")
def sweep(
    config: Path | None = typer.Argument(None, help="Sweep file (YAML); see examples/sweeps/quick.yaml."),
    workers: int | None = typer.Option(None, "--workers", help="Start a Dask LocalCluster of N processes."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Use an existing Dask cluster (tcp://HOST:PORT)."),
    fresh: bool = typer.Option(False, "--fresh", help="Drop a stored sweep of the same name and start over."),
    in_process: bool = typer.Option(False, "--in-process", help="Run in this process (threads), no workers."),
    list_parameters: bool = typer.Option(False, "--parameters", help="List regimes and parameters."),
    no_progress: bool = typer.Option(False, "--no-progress", help="Hide the progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print the run summary as JSON."),
) -> None:
    """Run (or resume) a parameter sweep; results and Sobol indices go to the warehouse.

    Runs on a local Dask cluster (one process per core) unless --workers, --in-process or
    --scheduler says otherwise. Killed and rerun, it resumes where it stopped.

    Example: r2p sweep examples/sweeps/quick.yaml --workers 2
    """
    from r2p.sweep._cli import sweep_main

    sweep_main(config, workers=workers, scheduler=scheduler, fresh=fresh, as_json=as_json,
               list_parameters=list_parameters, no_progress=no_progress, in_process=in_process)


@app.command("claims")
def claims(
    sweep_name: str | None = typer.Option(None, "--sweep", help="Evaluate a stored sweep by name."),
    config: Path | None = typer.Option(None, "--config", help="Run/resume this sweep file first "
                                       "(default: the shipped claims sweep)."),
    claims_file: Path | None = typer.Option(None, "--claims", help="Claims YAML (default: the report's)."),
    out: Path | None = typer.Option(None, "--out", help="Write the HTML report with figures here."),
    workers: int | None = typer.Option(None, "--workers", help="Start a Dask LocalCluster of N processes."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Use an existing Dask cluster (tcp://HOST:PORT)."),
    no_progress: bool = typer.Option(False, "--no-progress", help="Hide the progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print each claim, share, interval as JSON."),
) -> None:
    """Test the report's claims on a sweep: share of draws where each holds, what decides it, where it flips.

    Example: r2p claims --sweep quick --out claims.html
    """
    from r2p.sweep._cli import claims_main

    claims_main(sweep=sweep_name, config=config, claims=claims_file, out=out, as_json=as_json,
                workers=workers, scheduler=scheduler, no_progress=no_progress)


_USAGE_ERRORS = {"UsageError", "BadParameter", "MissingParameter", "NoSuchOption", "BadOptionUsage",
                 "BadArgumentUsage"}


def main() -> None:
    """Run the command line; map r2p errors to exit code 2 and unexpected ones to 1."""
    try:
        # Outside standalone mode click returns (not raises) the code of ``typer.Exit``.
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except R2PError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(EXIT_BAD_INPUT)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(EXIT_FAILURE)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors and the unexpected
        # Typer >= 0.20 vendors click; match its exceptions by duck type.
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(EXIT_BAD_INPUT if type(exc).__name__ in _USAGE_ERRORS else exc.exit_code)
        err_console.print(f"[bold red]internal error:[/] {type(exc).__name__}: {exc}", highlight=False)
        sys.exit(EXIT_FAILURE)


@app.command("simulate")
def simulate(
    target: str = typer.Option(..., "--target", help="Target state: ISO3 code (or name)."),
    year: int = typer.Option(..., "--year", help="Year of the crisis onset."),
    regime: str = typer.Option("all", "--regime",
                               help="Regime name, comma-separated names, a YAML file, or 'all'."),
    draws: int = typer.Option(2000, "--draws", help="Monte Carlo draws per regime."),
    weeks: int = typer.Option(52, "--weeks", help="Horizon in weeks (1-520)."),
    seed: int = typer.Option(1, "--seed", help="Random seed (same seed, same results)."),
    crime: str = typer.Option("genocide", "--crime",
                              help="genocide, crimes_against_humanity, ethnic_cleansing, war_crimes."),
    pretext: bool = typer.Option(False, "--pretext", help="Pretext scenario: no atrocity trigger holds."),
    json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Simulate a crisis under each regime and print the comparison table.

    Example: r2p simulate --target SDN --year 2004 --regime all --draws 2000 --seed 1
    """
    from r2p.crisis._cli import run_simulate

    run_simulate(target, year, regime, draws, weeks, seed, json, crime=crime, pretext=pretext)



@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """Start the offline dashboard (risk map, countries, Council outlook, simulations, cases) in the browser.

    Example: r2p serve --port 8000   (then open http://127.0.0.1:8000/)
    """
    from r2p.web._cli import run_serve

    run_serve(host, port)


@app.command("brief")
def brief(
    country: str = typer.Argument(..., help="Country: ISO3 code (or name), e.g. SDN."),
    year: int = typer.Option(..., "--year", help="Latest year of data: the risk forecast is made from it; "
                             "the Council outlook and the simulated crisis are for the year after."),
    regime: list[str] | None = typer.Option(
        None, "--regime", help="Regime name or YAML file; repeat or comma-separate (default: all six)."),
    fmt: str = typer.Option("both", "--format", help="html, pdf or both."),
    out: Path = typer.Option(Path("briefs"), "--out",
                             help="Folder to write the brief into (created if missing)."),
    draws: int = typer.Option(2000, "--draws", help="Monte Carlo draws per regime."),
    seed: int = typer.Option(1, "--seed", help="Random seed of the simulation (same seed, same brief)."),
    json: bool = typer.Option(False, "--json", help="Print the paths and every number as JSON."),
) -> None:
    """Write a 2–4 page policy brief (HTML and PDF): risk, Council outlook, options, regimes, analogues.

    Example: r2p brief MMR --year 2024 --format both --out briefs --seed 1
    """
    from r2p.report._cli import run_brief

    run_brief(country, year, regime, fmt, out, draws, seed, json)


if __name__ == "__main__":
    main()
