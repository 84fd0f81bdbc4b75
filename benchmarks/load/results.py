"""The results: ratios to the baseline, the targets, the table and docs/performance.md."""

import os
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.load.wrk import WrkResult

TARGET_RATIO = 3.0  # every page within 3× the baseline's latency
TARGET_P95_MS = 150.0  # and each portal page's p95 under 150 ms


@dataclass
class Profile:
    """One request of a page, in-process: what it asked the database and how long it took."""

    queries: int
    total_ms: float
    sql_ms: float
    slowest_ms: float
    slowest_sql: str


@dataclass
class Row:
    label: str
    path: str
    result: WrkResult
    profile: Profile | None = None
    baseline: bool = False
    about: str = ""
    p50_ratio: float = 1.0
    p95_ratio: float = 1.0
    verdict: str = ""
    misses: list[str] = field(default_factory=list)


def judge(rows: list[Row]) -> list[Row]:
    """Fill in each row's ratios to the baseline row and whether it meets the targets:
    p50 and p95 within TARGET_RATIO × the baseline's, p95 under TARGET_P95_MS, no errors."""
    base = next(row for row in rows if row.baseline).result
    for row in rows:
        r = row.result
        row.p50_ratio = r.p50_ms / base.p50_ms if base.p50_ms else float("inf")
        row.p95_ratio = r.p95_ms / base.p95_ms if base.p95_ms else float("inf")
        row.misses = []
        if not r.requests:
            row.misses.append("no request answered in time")
        if r.errors:
            row.misses.append(f"{r.errors} errors" + (f" ({r.unexpected})" if r.statuses else ""))
        if not row.baseline:
            if row.p50_ratio > TARGET_RATIO:
                row.misses.append(f"p50 {row.p50_ratio:.1f}× > {TARGET_RATIO:.0f}×")
            if row.p95_ratio > TARGET_RATIO:
                row.misses.append(f"p95 {row.p95_ratio:.1f}× > {TARGET_RATIO:.0f}×")
            if r.p95_ms >= TARGET_P95_MS:
                row.misses.append(f"p95 {r.p95_ms:.0f} ms ≥ {TARGET_P95_MS:.0f} ms")
        row.verdict = "met" if not row.misses else "MISSED: " + "; ".join(row.misses)
    return rows


HEADERS = (
    "page",
    "req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "errors",
    "queries",
    "p50 × base",
    "p95 × base",
    "targets",
)


def cells(row: Row) -> tuple[str, ...]:
    r = row.result
    return (
        row.label,
        f"{r.rps:.1f}" if r.rps < 10 else f"{r.rps:.0f}",
        f"{r.p50_ms:.1f}",
        f"{r.p95_ms:.1f}",
        f"{r.p99_ms:.1f}",
        str(r.errors),
        "-" if row.profile is None else str(row.profile.queries),
        f"{row.p50_ratio:.2f}",
        f"{row.p95_ratio:.2f}",
        "baseline" if row.baseline and not row.misses else row.verdict,
    )


def text_table(rows: list[Row]) -> str:
    table = [HEADERS, *(cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADERS))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        for line in table
    )


def markdown_table(rows: list[Row]) -> str:
    out = [
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join(["---"] + ["---:"] * 8 + ["---"]) + "|",
    ]
    out += ["| " + " | ".join(cells(row)) + " |" for row in rows]
    return "\n".join(out)


def profile_lines(rows: list[Row], sql_chars: int = 160) -> list[str]:
    """Markdown: each page's single in-process request, and the start of its slowest query."""
    out = [
        "| page | queries | total ms | SQL ms | slowest query ms | slowest query |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        p = row.profile
        if p is None:
            continue
        sql = " ".join(p.slowest_sql.split())
        sql = (sql[:sql_chars] + " …" if len(sql) > sql_chars else sql).replace("|", "\\|")
        out.append(
            f"| {row.label} | {p.queries} | {p.total_ms:.1f} | {p.sql_ms:.1f} "
            f"| {p.slowest_ms:.1f} | `{sql}` |"
        )
    return out


def all_met(rows: list[Row]) -> bool:
    return all(not row.misses for row in rows)


def report(rows: list[Row], machine: dict[str, str], conditions: dict[str, str], notes) -> str:
    verdict = (
        "All targets met."
        if all_met(rows)
        else "Targets missed: "
        + "; ".join(f"{row.label}: {', '.join(row.misses)}" for row in rows if row.misses)
        + "."
    )
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (`python -m benchmarks.load`); run it again to refresh. The",
        "load goes to gunicorn on 127.0.0.1 only, a fixed number of connections for a fixed",
        "time per page, through wrk. The baseline is a bare Django view doing one indexed",
        "query (`portal/baseline.py`, served only with `BENCH_BASELINE=1`), loaded in the same",
        "run, so the ratios say how many times a minimal page each page costs.",
        "",
        f"Targets at 20,000 households: every page within {TARGET_RATIO:.0f}× the baseline's",
        f"latency (p50 and p95), each portal page's p95 under {TARGET_P95_MS:.0f} ms at 16",
        "concurrent connections on 2 cores, zero errors (a status other than the page's",
        "expected one, or a socket error or timeout).",
        "",
        "## Results",
        "",
        markdown_table(rows),
        "",
        verdict,
        "",
        "## One request of each page, in-process",
        "",
        "Django's test client in the benchmark's process, on the same database before the",
        "load, after one warm-up request: where a page's time goes (SQL or Python and",
        "templates) and its slowest statement.",
        "",
        *profile_lines(rows),
        "",
        "## Pages",
        "",
        *[f"- {row.label}: `{row.path}`" + (f": {row.about}" if row.about else "") for row in rows],
        *[f"- {note}" for note in notes],
        "",
        "## Machine and conditions",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in {**machine, **conditions}.items()],
        "",
    ]
    return "\n".join(lines)


KEPT = "<!-- Notes below this line are written by hand; make bench keeps them. -->"


def write_report(path: Path, text: str) -> None:
    """Write the generated report, keeping any hand-written notes after the KEPT line."""
    kept = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if KEPT in old:
            kept = old.split(KEPT, 1)[1]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n\n" + KEPT + (kept or "\n"), encoding="utf-8")


def machine_facts(pg_version: str) -> dict[str, str]:
    cpu = "unknown"
    memory = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    import django

    return {
        "date (UTC)": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "cores (nproc)": str(os.cpu_count()),
        "memory": memory,
        "CPU": cpu,
        "OS": platform.platform(),
        "PostgreSQL": pg_version,
        "Python / Django": f"{platform.python_version()} / {django.get_version()}",
    }


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"
