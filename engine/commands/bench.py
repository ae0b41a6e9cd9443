"""`stridewise bench`: median and p99 µs per evaluation, side by side, like `opa bench`."""

from __future__ import annotations

import json
import platform

import click

__all__ = ["bench_command"]


def _sizes(value: str | None) -> list[int] | None:
    if not value:
        return None
    try:
        sizes = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter(
            "give sizes as numbers separated by commas, e.g. 10,100,1000"
        ) from None
    if not sizes or any(size < 1 for size in sizes):
        raise click.BadParameter("sizes must be positive")
    return sizes


@click.command("bench")
@click.option("--suite", default="rules", show_default=True, help="Benchmark suite to run.")
@click.option("--rules", "--sizes", "sizes", default=None, metavar="N,N,…",
              help="Sizes to time: rules (rules suite, default 10,100,1000), athletes "
                   "(recommend), weeks (season, default 26), serve workers (startup, default 2).")
@click.option("--iterations", default=None, type=click.IntRange(10),
              help="Timed evaluations per runner and size (default: 2000; startup: 20).")
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
def bench_command(suite: str, sizes: str | None, iterations: int | None, as_json: bool) -> None:
    """Time the rules backends side by side; Stridewise is compared with raw durable-rules."""
    from stridewise.bench import SUITES, run_suite

    if suite not in SUITES:
        raise click.BadParameter(f"unknown suite '{suite}'; known: {', '.join(sorted(SUITES))}")
    results = run_suite(suite, _sizes(sizes), iterations)
    baseline = SUITES[suite].baseline
    if as_json:
        click.echo(json.dumps({
            "suite": suite, "python": platform.python_version(),
            "results": [r.to_dict() for r in results],
        }, indent=2))
        return
    by_size: dict[int, dict[str, tuple[float, float]]] = {}
    for r in results:
        by_size.setdefault(r.size, {})[r.runner] = (r.median_us, r.p99_us)
    runners = list(dict.fromkeys(r.runner for r in results))
    header = ["size"] + [f"{name} median/p99 µs" for name in runners]
    if baseline not in runners:
        baseline = None  # e.g. durable-rules unavailable: no comparison to make
    if baseline:
        header.append(f"{runners[0]}/{baseline}")
    rows = [header]
    for size, cells in by_size.items():
        row = [str(size)] + [
            f"{cells[n][0]:.1f} / {cells[n][1]:.1f}" if n in cells else "—" for n in runners
        ]
        if baseline:
            row.append(f"{cells[runners[0]][0] / cells[baseline][0]:.2f}×")
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    click.echo(f"suite {suite}: {SUITES[suite].description}; {iterations} iterations")
    for row in rows:
        click.echo("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))
