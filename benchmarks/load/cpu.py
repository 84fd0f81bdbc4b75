"""CPU time of the server's processes, read from /proc: what a request costs gunicorn and
PostgreSQL, whatever else the machine is doing.

A snapshot holds each process's user + system time (``utime`` + ``stime`` in /proc/<pid>/stat);
the difference of two snapshots, divided by the requests answered in between, is the CPU a
request cost. Processes are found again by pid: one that started in between counts whole,
one that ended in between is lost (``Usage.gone`` says how many).
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def read_stat(text: str) -> tuple[int, float]:
    """The parent pid and user + system CPU seconds from the text of /proc/<pid>/stat. The
    command name (field 2) is in parentheses and may hold spaces, so the fields are counted
    from its closing parenthesis: state, ppid, …, utime (14th field), stime (15th)."""
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def processes(proc: Path = PROC) -> dict[int, tuple[int, float, str]]:
    """Every process now: pid → (parent pid, CPU seconds, command line as text)."""
    found = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid, seconds = read_stat((entry / "stat").read_text())
            command = (
                (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            )
        except (OSError, ValueError):  # it ended while we looked
            continue
        found[int(entry.name)] = (ppid, seconds, command.strip())
    return found


def backend_pattern(database: str) -> re.Pattern:
    """A PostgreSQL backend serving ``database`` names itself
    ``postgres: 15/main: <user> <database> <host>(<port>) <state>`` (or ``[local]``)."""
    return re.compile(rf"^postgres: (?:\S+: )?\S+ {re.escape(database)} (?:\S+\(\d+\)|\[local\])")


@dataclass
class Usage:
    gunicorn: float = 0.0  # CPU seconds
    postgres: float = 0.0
    gone: int = 0  # processes that ended between the two snapshots (their time is lost)


class Meter:
    """The gunicorn master and its workers (children of ``master``) and the PostgreSQL
    backends of ``database``."""

    def __init__(self, master: int, database: str, proc: Path = PROC) -> None:
        self.master = master
        self.backend = backend_pattern(database)
        self.proc = proc

    def snapshot(self) -> dict[str, dict[int, float]]:
        now = processes(self.proc)
        return {
            "gunicorn": {
                pid: seconds
                for pid, (ppid, seconds, _) in now.items()
                if pid == self.master or ppid == self.master
            },
            "postgres": {
                pid: seconds
                for pid, (_, seconds, command) in now.items()
                if self.backend.match(command)
            },
        }

    @staticmethod
    def used(before: dict, after: dict) -> Usage:
        usage = Usage()
        for group in ("gunicorn", "postgres"):
            was, now = before[group], after[group]
            spent = sum(seconds - was.get(pid, 0.0) for pid, seconds in now.items())
            setattr(usage, group, spent)
            usage.gone += len(set(was) - set(now))
        return usage
