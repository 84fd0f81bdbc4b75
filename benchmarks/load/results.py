"""The results: the targets and how far each run is from them, the tables, docs/performance.md."""

import os
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.load.cpu import Usage
from benchmarks.load.wrk import WrkResult


@dataclass(frozen=True)
class Target:
    """What a run must do: at least ``min_rps`` requests a second (if given), a p95 under
    ``max_p95_ms``, no errors."""

    max_p95_ms: float
    min_rps: float | None = None

    def __str__(self) -> str:
        rate = f"≥ {self.min_rps:.0f} req/s, " if self.min_rps else ""
        return f"{rate}p95 < {self.max_p95_ms:.0f} ms, 0 errors"


STAFF_TARGET = Target(max_p95_ms=150.0, min_rps=150.0)
PUBLIC_TARGET = Target(max_p95_ms=100.0)


@dataclass(frozen=True)
class VisitCheck:
    """Every visit POST saved exactly once: ``answered`` (2xx/3xx with the saved row, as wrk
    counted them) against ``saved`` (visits in the database with the run's idempotency keys)
    and ``sent``. Each key is sent once, and the database refuses a key twice, so a visit
    saved twice cannot hide; a POST answered but not saved shows as saved < answered. wrk
    stops with up to ``in_flight`` requests sent and not yet answered, which the server
    still saves: saved may exceed answered by that much, never more."""

    sent: int
    answered: int
    saved: int
    in_flight: int

    @property
    def ok(self) -> bool:
        return self.answered <= self.saved <= min(self.sent, self.answered + self.in_flight)

    def __str__(self) -> str:
        verdict = "each saved once" if self.ok else "NOT each saved once"
        return (
            f"{self.answered:,} visit POSTs answered 2xx/3xx, {self.saved:,} visits saved with "
            f"the run's keys, {self.sent:,} sent ({self.saved - self.answered} saved while "
            f"wrk stopped, at most {self.in_flight} may be): {verdict}"
        )


@dataclass
class LoadRun:
    """A run judged against a target: the staff mix, or the public page."""

    label: str
    connections: int
    result: WrkResult
    target: Target
    about: str = ""
    visits: VisitCheck | None = None
    misses: list[str] = field(default_factory=list)
    margins: list[str] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return not self.misses

    @property
    def verdict(self) -> str:
        word = "met" if self.met else "MISSED"
        return f"{word}: " + "; ".join(self.misses or self.margins)


def judge(run: LoadRun) -> LoadRun:
    """Fill in what the run missed, and by how much it met or missed each part."""
    r, target = run.result, run.target
    run.misses, run.margins = [], []
    if target.min_rps is not None:
        gap = r.rps - target.min_rps
        said = (
            f"{r.rps:.0f} req/s, {abs(gap):.0f} {'over' if gap >= 0 else 'short of'} "
            f"{target.min_rps:.0f} ({r.rps / target.min_rps:.0%} of it)"
        )
        (run.margins if gap >= 0 else run.misses).append(said)
    gap = target.max_p95_ms - r.p95_ms
    said = (
        f"p95 {r.p95_ms:.1f} ms, {abs(gap):.1f} ms {'under' if gap > 0 else 'over'} "
        f"{target.max_p95_ms:.0f} ms"
    )
    (run.margins if gap > 0 else run.misses).append(said)
    if not r.requests:
        run.misses.append("no request answered in time")
    if r.errors:
        run.misses.append(f"{r.errors} errors" + (f" ({r.unexpected})" if r.statuses else ""))
    else:
        run.margins.append("0 errors")
    if run.visits is not None and not run.visits.ok:
        run.misses.append("visit POSTs not each saved once")
    return run


@dataclass
class Profile:
    """One request of a page, in-process: what it asked the database and how long it took."""

    queries: int
    total_ms: float
    sql_ms: float
    slowest_ms: float
    slowest_sql: str


@dataclass
class KindRow:
    """One kind of page alone, for context: its rate and latency at the staff run's
    connections, and the CPU a request cost the gunicorn workers and PostgreSQL."""

    label: str
    path: str
    result: WrkResult
    usage: Usage
    profile: Profile | None = None
    baseline: bool = False
    about: str = ""
    visits: VisitCheck | None = None

    def per_request_ms(self, seconds: float) -> float:
        return seconds * 1000 / self.result.requests if self.result.requests else float("nan")

    @property
    def gunicorn_ms(self) -> float:
        return self.per_request_ms(self.usage.gunicorn)

    @property
    def postgres_ms(self) -> float:
        return self.per_request_ms(self.usage.postgres)

    @property
    def cpu_ms(self) -> float:
        return self.gunicorn_ms + self.postgres_ms


def rate(rps: float) -> str:
    return f"{rps:.1f}" if rps < 10 else f"{rps:.0f}"


LOAD_HEADERS = ("run", "connections", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "target")


def load_cells(run: LoadRun) -> tuple[str, ...]:
    r = run.result
    return (
        run.label,
        str(run.connections),
        rate(r.rps),
        f"{r.p50_ms:.1f}",
        f"{r.p95_ms:.1f}",
        f"{r.p99_ms:.1f}",
        str(r.errors),
        run.verdict,
    )


KIND_HEADERS = (
    "page",
    "req/s",
    "p50 ms",
    "p95 ms",
    "errors",
    "gunicorn CPU ms/req",
    "PostgreSQL CPU ms/req",
    "CPU ms/req",
    "× baseline",
    "queries",
)


def kind_cells(row: KindRow, base: KindRow | None) -> tuple[str, ...]:
    r = row.result
    ratio = row.cpu_ms / base.cpu_ms if base and base.cpu_ms > 0 else float("nan")
    return (
        row.label,
        rate(r.rps),
        f"{r.p50_ms:.1f}",
        f"{r.p95_ms:.1f}",
        str(r.errors),
        f"{row.gunicorn_ms:.2f}",
        f"{row.postgres_ms:.2f}",
        f"{row.cpu_ms:.2f}",
        f"{ratio:.1f}",
        "-" if row.profile is None else str(row.profile.queries),
    )


def baseline_of(rows: list[KindRow]) -> KindRow | None:
    return next((row for row in rows if row.baseline), None)


def text_table(headers, lines, text_columns: tuple[int, ...] = (0,)) -> str:
    table = [headers, *lines]
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if i in text_columns else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in table
    )


def markdown_table(headers, lines, text_columns: tuple[int, ...] = (0,)) -> str:
    align = ["---" if i in text_columns else "---:" for i in range(len(headers))]
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |" for line in lines]
    return "\n".join(out)


def load_table(runs: list[LoadRun], markdown: bool = False) -> str:
    lines = [load_cells(run) for run in runs]
    text_columns = (0, len(LOAD_HEADERS) - 1)
    table = markdown_table if markdown else text_table
    return table(LOAD_HEADERS, lines, text_columns)


def kind_table(rows: list[KindRow], markdown: bool = False) -> str:
    base = baseline_of(rows)
    lines = [kind_cells(row, base) for row in rows]
    return markdown_table(KIND_HEADERS, lines) if markdown else text_table(KIND_HEADERS, lines)


def mix_lines(run: LoadRun, shares: dict[str, int], labels: dict[str, str]) -> list[str]:
    """Markdown: what the staff run sent, kind by kind, against the mix asked for."""
    sent = {kind: run.result.counts.get(f"sent-{kind}", 0) for kind in shares}
    total = sum(sent.values()) or 1
    out = ["| kind | asked | sent | share sent |", "|---|---:|---:|---:|"]
    out += [
        f"| {labels[kind]} | {shares[kind]} % | {sent[kind]:,} | {sent[kind] / total:.1%} |"
        for kind in shares
    ]
    return out


def profile_lines(rows: list[KindRow], sql_chars: int = 160) -> list[str]:
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


def all_met(runs: list[LoadRun]) -> bool:
    return all(run.met for run in runs)


@dataclass
class Report:
    runs: list[LoadRun]  # the staff mix first, then the public page
    kinds: list[KindRow]
    shares: dict[str, int]
    labels: dict[str, str]  # kind → label
    machine: dict[str, str]
    conditions: dict[str, str]
    notes: list[str] = field(default_factory=list)


def report(data: Report) -> str:
    runs, kinds = data.runs, data.kinds
    verdict = (
        "All targets met."
        if all_met(runs)
        else "Targets missed: "
        + "; ".join(f"{r.label}: {', '.join(r.misses)}" for r in runs if r.misses)
        + "."
    )
    staff = runs[0]
    public_connections = runs[1].connections if len(runs) > 1 else 64
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (`python -m benchmarks.load`); run it again to refresh. The",
        "load goes to gunicorn (production settings) on 127.0.0.1 only, through wrk, on",
        "PostgreSQL filled by `seed_scale`.",
        "",
        "Targets on 2 cores:",
        "",
        f"- the staff at work ({staff.connections} connections): {STAFF_TARGET}, and every",
        "  visit POST saved exactly once;",
        f"- the residents' public page ({public_connections} connections): {PUBLIC_TARGET}.",
        "",
        "An error is an answer other than 200 (a lost session's redirect to the login page",
        "included), or a socket error or timeout.",
        "",
        "## Results",
        "",
        load_table(runs, markdown=True),
        "",
        verdict,
        "",
        "### The staff at work",
        "",
        f"{staff.about}",
        "",
        *mix_lines(staff, data.shares, data.labels),
        "",
        f"Visit POSTs: {staff.visits}." if staff.visits else "",
        "",
        "## Each page alone: CPU per request",
        "",
        "For context, not judged (wrk gives one latency distribution for the whole mix; this",
        "is where each page's own shows): each kind of page alone for a short run at the staff",
        "run's connections, the same sessions picked the same way; CPU time of the gunicorn",
        "processes and of the PostgreSQL backends of the benchmark's database, read from",
        "`/proc` (utime + stime) before and after, divided by the requests answered. The",
        "baseline is a bare Django view doing one indexed query (`portal/baseline.py`,",
        "served only with `BENCH_BASELINE=1`); × baseline compares CPU per request.",
        "",
        kind_table(kinds, markdown=True),
        "",
        *[f"- {row.label}: {row.visits}." for row in kinds if row.visits],
        "",
        "## One request of each page, in-process",
        "",
        "Django's test client in the benchmark's process, on the same database before the",
        "load, after one warm-up request: where a page's time goes (SQL or Python and",
        "templates) and its slowest statement.",
        "",
        *profile_lines(kinds),
        "",
        "## Pages",
        "",
        *[
            f"- {row.label}: `{row.path}`" + (f": {row.about}" if row.about else "")
            for row in kinds
        ],
        *[f"- {note}" for note in data.notes],
        "",
        "## Machine and conditions",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in {**data.machine, **data.conditions}.items()],
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
