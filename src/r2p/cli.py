"""The ``r2p`` command line: one sub-command group per part of the system.

Exit codes: 0 success, 1 failure, 2 bad input. Every group's commands import
their heavy dependencies lazily so ``r2p --help`` stays fast.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import typer

from r2p import __version__
from r2p._cli_util import EXIT_BAD_INPUT, EXIT_FAILURE, err_console
from r2p.errors import R2PError

app = typer.Typer(
    help="r2p: early warning, Security Council outlook, crisis simulation and briefs on mass atrocities.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# (command name, module holding a Typer ``app``). Each part registers itself here.
_GROUPS: tuple[tuple[str, str], ...] = (
    ("data", "r2p.data._cli"),
    ("cases", "r2p.cases._cli"),
)

for _name, _module in _GROUPS:
    app.add_typer(importlib.import_module(_module).app, name=_name)


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


_USAGE_ERRORS = {"UsageError", "BadParameter", "MissingParameter", "NoSuchOption", "BadOptionUsage",
                 "BadArgumentUsage"}


def main() -> None:
    """Run the command line; map r2p errors to exit code 2 and unexpected ones to 1."""
    try:
        app(standalone_mode=False)
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


if __name__ == "__main__":
    main()
