"""The load benchmark with a baseline: ``python -m benchmarks.load`` (the last part of make bench).

On PostgreSQL, in a database of its own (``BENCH_DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/portal_bench; dropped first, migrated, filled by
``seed_scale --households BENCH_HOUSEHOLDS``, dropped again at the end), it starts gunicorn on
127.0.0.1 with production settings and loads each page of PAGES with wrk on loopback: a fixed
number of connections for a fixed time, after a short warm-up. It prints, for every page,
requests per second, p50/p95/p99 latency, errors and the ratio of its latency to the baseline
view's (portal/baseline.py: one indexed query) measured in the same run, and writes the same
table with the machine and conditions to ``BENCH_REPORT`` (docs/performance.md).

Skips (exit 0) with a message when PostgreSQL is not reachable or wrk is not installed.

Environment (all optional): BENCH_HOUSEHOLDS (20000), BENCH_SECONDS (10 per page),
BENCH_WARMUP (2), BENCH_CONNECTIONS (16), BENCH_THREADS (2), BENCH_WORKERS (2 × cores),
BENCH_DATABASE_URL, BENCH_REDIS_URL (redis://127.0.0.1:6379/0: the shared cache a deployment with
several workers runs with, used when it answers; "-" for none), BENCH_REPORT
(docs/performance.md; "-" to write none), BENCH_NOTE (a sentence about the conditions, printed
in the report).
"""

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from benchmarks.load.results import (
    Profile,
    Row,
    all_met,
    judge,
    load_average,
    machine_facts,
    report,
    text_table,
    write_report,
)
from benchmarks.load.wrk import HOST, get_script, post_script, run_wrk

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class Page:
    """A page to load: URL name candidates (or paths starting with "/"), tried in order; the
    first that resolves is used. ``role``: None (anonymous), "grid" or "secretary"."""

    label: str
    candidates: tuple[str, ...]
    role: str | None = None
    method: str = "GET"
    arg: str | None = None  # "household" (a pk in the grid worker's scope) or "slug"
    expect: int = 200
    baseline: bool = False
    about: str = ""


PAGES = (
    Page(
        "baseline (1 indexed query)",
        ("bench_baseline",),
        arg="household",
        baseline=True,
        about="a bare Django view: one primary-key lookup, a few bytes of text; anonymous",
    ),
    Page(
        "my doors (grid worker's list)",
        ("consultations:my_doors",),
        role="grid",
        about="bench-grid's list: the households of one building, with where each stands",
    ),
    Page(
        "visit POST (HTMX, from the list)",
        ("consultations:log_visit",),
        role="grid",
        method="POST",
        arg="household",
        about=(
            "bench-grid saves a visit from the list's inline form (HX-Request, return_to=list),"
            " the building's households in turn, a fresh idempotency key each; it answers the"
            " updated row and counts"
        ),
    ),
    Page(
        "secretary dashboard",
        ("dashboard:campaign",),
        role="secretary",
        arg="slug",
        about="bench-secretary: the dashboard of the first community's campaign (~2,000 households)",
    ),
    Page(
        "public project page",
        ("public_campaign",),
        arg="slug",
        about="anonymous: the first community's campaign",
    ),
)


# --- PostgreSQL ----------------------------------------------------------------------------


def server_and_name(url: str) -> tuple[dict, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or "bench" not in name:
        raise SystemExit(
            f"BENCH_DATABASE_URL={url!r}: the benchmark drops and recreates its database, so "
            "its name must contain 'bench'."
        )
    server = {
        "host": parts.hostname or HOST,
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password,
        "dbname": "postgres",
        "connect_timeout": 3,
    }
    return {k: v for k, v in server.items() if v is not None}, name


def admin_sql(server: dict, *statements: str) -> str:
    """Run statements on the server's maintenance database; returns the server version."""
    import psycopg

    with psycopg.connect(**server, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)
        return connection.execute("SHOW server_version").fetchone()[0]


# --- gunicorn and HTTP ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_health(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode}")
        try:
            status, _, _ = fetch(port, "GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer /healthz within {seconds:.0f} s")


def fetch(port: int, method: str, path: str, body: str | None = None, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        return response.status, response.read().decode("utf-8", "replace"), cookies
    finally:
        connection.close()


PAGE_TOKEN = re.compile(r'"X-CSRFToken": "([^"]*)"')


def pages_without_a_working_token(port: int, path: str, cookie: str, workers: int) -> int:
    """How many of a few fetches of a signed-in page (spread over the workers, most served
    from what another worker kept) carry something other than a real CSRF token (64 letters
    and digits): a kept page must get each request's own token."""
    with ThreadPoolExecutor(workers) as pool:
        answers = list(
            pool.map(lambda _: fetch(port, "GET", path, headers={"Cookie": cookie}), range(12))
        )
    tokens = [PAGE_TOKEN.search(text) for _status, text, _cookies in answers]
    return sum(1 for token in tokens if not token or not re.fullmatch(r"[A-Za-z0-9]{64}", token[1]))


def drain(port: int, workers: int) -> None:
    """Wait until gunicorn has worked off what wrk left behind: requests a finished run had
    sent still wait in the listen queue and would slow the next run. Once ``workers``
    requests sent together have all been answered, every worker has come past that queue."""
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda _: fetch(port, "GET", "/healthz"), range(workers)))


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def log_in(port: int, username: str, password: str) -> dict[str, str]:
    """Log in through the login form, as a browser would. The cookies are marked Secure (the
    production settings), so they are kept here and sent by hand over plain HTTP."""
    status, page, cookies = fetch(port, "GET", "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not token or "csrftoken" not in cookies:
        raise RuntimeError(f"login page answered {status} without a CSRF token")
    jar = {"csrftoken": cookies["csrftoken"].value}
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    status, _, cookies = fetch(
        port,
        "POST",
        "/accounts/login/",
        urlencode(form),
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(jar)},
    )
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"logging in as {username} answered {status}, no session")
    jar.update({name: morsel.value for name, morsel in cookies.items()})
    return jar


# --- the run -------------------------------------------------------------------------------


def env_number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name}={value!r} must be a whole number above 0.")
    return int(value)


def server_environment(database_url: str) -> dict[str, str]:
    """Production settings, on plain HTTP on loopback, with the baseline view switched on."""
    return {
        "DATABASE_URL": database_url,
        "DJANGO_ENV": "production",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "BENCH_BASELINE": "1",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def shared_cache(url: str) -> tuple[dict[str, str], str]:
    """The settings for the shared cache at ``url`` if it answers (keys under a prefix of this
    run's own), and a line saying what the run used."""
    if url in ("", "-"):
        return {}, "none: each worker keeps its own (BENCH_REDIS_URL=-)"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return {}, f"none: {url} did not answer ({error}); each worker keeps its own"
    prefix = f"bench-{uuid.uuid4().hex[:12]}"
    return {"REDIS_URL": url, "CACHE_KEY_PREFIX": prefix}, f"Redis at {url} (sessions: cached_db)"


def resolve_page(page: Page, kwargs: dict) -> tuple[str, str | None]:
    """The page's path and, when a later candidate was used, a note saying so."""
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    for candidate in page.candidates:
        try:
            if candidate.startswith("/"):
                resolve(candidate)
                path = candidate
            else:
                path = reverse(candidate, kwargs=kwargs)
        except (NoReverseMatch, Resolver404):
            continue
        note = None
        if candidate != page.candidates[0]:
            tried = ", ".join(page.candidates[: page.candidates.index(candidate)])
            note = f"{page.label}: none of {tried} exists yet, so this measured {path}"
        return path, note
    raise RuntimeError(f"{page.label}: none of {page.candidates} resolves")


def visit_fields(csrf: str) -> dict[str, str]:
    """The visit form as the list's inline form posts it (no idempotency key: per request)."""
    from django.utils import timezone

    visited = timezone.localtime() - timedelta(minutes=1)
    return {
        "csrfmiddlewaretoken": csrf,
        "return_to": "list",
        "channel": "door",
        "reached": "owner",
        "attitude": "support",
        "notes": "压力测试走访",
        "next_step": "",
        "next_step_on": "",
        "visited_at": visited.strftime("%Y-%m-%dT%H:%M"),
    }


def profile(page: Page, path: str, user, fields: dict | None) -> Profile:
    """One request of the page in this process (Django's test client, after one warm-up
    request): its queries, its time, how much of it was SQL, and the slowest statement."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    if user is not None:
        client.force_login(user)

    def request():
        if page.method == "POST":
            data = {**(fields or {}), "idempotency_key": str(uuid.uuid4())}
            return client.post(path, data, HTTP_HX_REQUEST="true")
        return client.get(path)

    request()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = request()
        total = time.perf_counter() - start
    if response.status_code != page.expect:
        raise RuntimeError(f"{page.label}: {path} answered {response.status_code} in-process")
    timings = [(float(q["time"]), q["sql"]) for q in queries.captured_queries]
    slowest = max(timings, default=(0.0, ""))
    return Profile(
        queries=len(timings),
        total_ms=total * 1000,
        sql_ms=sum(t for t, _ in timings) * 1000,
        slowest_ms=slowest[0] * 1000,
        slowest_sql=slowest[1],
    )


@contextmanager
def gunicorn(workers: int, environment: dict[str, str]):
    """gunicorn on a free loopback port with ``workers`` sync workers; yields the port once
    /healthz answers, and stops the whole process group afterwards, printing its error log."""
    port = free_port()
    with tempfile.NamedTemporaryFile("w+", suffix=".log", prefix="bench-gunicorn-") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi:application",
                f"--bind={HOST}:{port}",
                f"--workers={workers}",
                "--worker-class=sync",
                "--timeout=60",
                "--log-level=warning",
                f"--error-logfile={log.name}",
            ],
            cwd=ROOT,
            env={**os.environ, **environment},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for_health(port, process)
            yield port
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.seek(0)
            errors = log.read().strip()
            if errors:
                print("gunicorn's log:\n" + errors[-4000:])


@dataclass
class Settings:
    households: int
    seconds: int
    warmup: int
    connections: int
    threads: int
    workers: int

    @classmethod
    def from_environment(cls) -> "Settings":
        return cls(
            households=env_number("BENCH_HOUSEHOLDS", 20000),
            seconds=env_number("BENCH_SECONDS", 10),
            warmup=env_number("BENCH_WARMUP", 2),
            connections=env_number("BENCH_CONNECTIONS", 16),
            threads=env_number("BENCH_THREADS", 2),
            workers=env_number("BENCH_WORKERS", 2 * (os.cpu_count() or 1)),
        )


def prepare(households: int) -> dict:
    """Migrate, seed, collect static files; find the users, their households and each
    page's path; profile one request of each page in this process."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    from campaigns.models import Campaign
    from households.models import Household

    call_command("migrate", interactive=False, verbosity=0)
    start = time.perf_counter()
    call_command("seed_scale", households=households)
    seed_seconds = time.perf_counter() - start
    call_command("collectstatic", interactive=False, verbosity=0)
    User = get_user_model()
    users = {
        "grid": User.objects.get(username="bench-grid"),
        "secretary": User.objects.get(username="bench-secretary"),
    }
    scope = list(
        Household.objects.for_user(users["grid"]).order_by("pk").values_list("pk", flat=True)
    )
    slug = Campaign.objects.filter(slug__startswith="scale-").order_by("slug")[0].slug
    notes, plan = [], []
    for page in PAGES:
        kwargs = {"household": {"pk": scope[0]}, "slug": {"slug": slug}}.get(page.arg, {})
        path, note = resolve_page(page, kwargs)
        if note:
            notes.append(note)
            print("note:", note)
        one = profile(page, path, users.get(page.role), visit_fields(""))
        print(
            f"  {page.label}: {path}, one request in-process {one.total_ms:.0f} ms, "
            f"{one.queries} queries, {one.sql_ms:.0f} ms SQL (slowest {one.slowest_ms:.0f} ms)"
        )
        plan.append((page, path, one))
    connections.close_all()  # gunicorn's workers open their own
    return {"users": users, "scope": scope, "plan": plan, "notes": notes, "seed": seed_seconds}


def visits_saved() -> int:
    from django.db import connections

    from consultations.models import Visit

    count = Visit.objects.count()
    connections.close_all()
    return count


def measure(port: int, prepared: dict, settings: Settings) -> list[Row]:
    from portal.management.commands.seed_scale import BENCH_PASSWORD

    users, scope = prepared["users"], prepared["scope"]
    jars = {role: log_in(port, user.username, BENCH_PASSWORD) for role, user in users.items()}
    rows = []
    for page, path, one_request in prepared["plan"]:
        jar = jars.get(page.role, {})
        cookie = cookie_header(jar)
        if page.method == "POST":
            template = path.replace(f"/{scope[0]}/", "/{pk}/")
            fields = visit_fields(jar["csrftoken"])

            # a new nonce each run (none given): the warm-up's keys must not come back
            script = partial(post_script, template, scope, cookie, fields, expect=page.expect)
            before = visits_saved()
        else:
            script = partial(get_script, cookie, page.expect)
            status, _, _ = fetch(port, "GET", path, headers={"Cookie": cookie})
            if status != page.expect:
                raise RuntimeError(f"{page.label}: {path} answered {status}, not {page.expect}")
        load = (settings.connections, settings.threads)
        warm = run_wrk(port, path, script(), settings.warmup, *load)
        drain(port, settings.workers)
        result = run_wrk(port, path, script(), settings.seconds, *load)
        drain(port, settings.workers)
        if result.statuses:
            print(f"  {page.label}: unexpected answers {result.unexpected}: {result.sample}")
        if page.role and page.method == "GET":
            broken = pages_without_a_working_token(port, path, cookie, settings.workers)
            if broken:
                print(f"  {page.label}: {broken} of 12 pages carried no working CSRF token")
                result.unexpected_status += broken
        if page.method == "POST":  # every answered POST saved its own visit, none twice
            saved, answered = visits_saved() - before, warm.requests + result.requests
            print(f"  visits saved by the POSTs: {saved} for {answered} answered requests")
            result.unexpected_status += max(0, answered - saved)
        row = Row(page.label, path, result, one_request, baseline=page.baseline, about=page.about)
        rows.append(row)
        print(
            f"  {page.label}: {result.rps:.0f} req/s, p50 {result.p50_ms:.1f} ms, "
            f"p95 {result.p95_ms:.1f} ms, {result.errors} errors"
        )
    return rows


def main() -> int:
    settings = Settings.from_environment()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    report_path = os.environ.get("BENCH_REPORT", str(ROOT / "docs" / "performance.md"))

    print("\n== load benchmark (gunicorn + PostgreSQL + wrk on loopback)")
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk): skipping the load benchmark.")
        return 0
    server, name = server_and_name(database_url)
    try:
        pg_version = admin_sql(server)
    except Exception as error:  # psycopg.OperationalError and friends
        print(
            f"PostgreSQL is not reachable at {server['host']}:{server['port']} ({error}).\n"
            "Skipping the load benchmark; start the cluster "
            "(pg_ctlcluster --skip-systemctl-redirect 15 main start) and run make bench again."
        )
        return 0
    load_before = load_average()
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    admin_sql(server, drop, f'CREATE DATABASE "{name}"')
    static_root = tempfile.TemporaryDirectory(prefix="bench-static-")
    cache_settings, cache_used = shared_cache(os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    print("shared cache:", cache_used)
    environment = {
        **server_environment(database_url),
        **cache_settings,
        "STATIC_ROOT": static_root.name,
    }
    os.environ.update({**environment, "DJANGO_SETTINGS_MODULE": "portal.settings"})
    try:
        import django

        django.setup()
        prepared = prepare(settings.households)
        print(
            f"seeded {settings.households} households in {prepared['seed']:.1f} s; gunicorn: "
            f"{settings.workers} sync workers; wrk: {settings.threads} threads, "
            f"{settings.connections} connections, {settings.warmup} s warm-up + "
            f"{settings.seconds} s per page"
        )
        with gunicorn(settings.workers, environment) as port:
            rows = measure(port, prepared, settings)
    except Exception as error:
        print(f"The load benchmark failed: {error}", file=sys.stderr)
        return 1
    finally:
        from django.db import connections

        connections.close_all()
        admin_sql(server, drop)
        static_root.cleanup()

    judge(rows)
    print()
    print(text_table(rows))
    print("\n" + ("All targets met." if all_met(rows) else "Some targets were missed (see above)."))
    conditions = {
        "households (BENCH_HOUSEHOLDS)": f"{settings.households:,}",
        "seed_scale time": f"{prepared['seed']:.1f} s",
        "load generator": (
            f"wrk, {settings.threads} threads, {settings.connections} connections, keep-alive"
        ),
        "duration per page": (
            f"{settings.warmup} s warm-up (not counted) + {settings.seconds} s measured"
        ),
        "server": f"gunicorn, {settings.workers} sync workers, DJANGO_ENV=production, DEBUG off",
        "shared cache": cache_used,
        "load average before the run": load_before,
        "load average after the run": load_average(),
    }
    note = os.environ.get("BENCH_NOTE", "").strip()
    if note:
        conditions["note"] = note
    if report_path != "-":
        text = report(rows, machine_facts(pg_version), conditions, prepared["notes"])
        write_report(Path(report_path), text)
        print(f"Wrote {report_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
