"""The load benchmark: ``python -m benchmarks.load`` (the last part of make bench).

On PostgreSQL, in a database of its own (``BENCH_DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/portal_bench; dropped first, migrated, filled by
``seed_scale --households BENCH_HOUSEHOLDS``, dropped again at the end), it starts gunicorn on
127.0.0.1 with production settings, logs BENCH_SESSIONS of the district's staff in through the
login form, and loads it with wrk on loopback:

1. **The staff at work** (BENCH_CONNECTIONS, BENCH_MIX_SECONDS): each request picks its kind
   by MIX (door list 40 %, household page 25 %, visit POST 25 %, dashboard 10 %), then one of
   the signed-in workers, leads and secretaries (a door list: a worker's or a lead's), then
   one of that person's own households. Judged against STAFF_TARGET; every visit POST must be
   saved exactly once (VisitCheck).
2. **The public project page**, anonymous (BENCH_PUBLIC_CONNECTIONS, BENCH_SECONDS), against
   PUBLIC_TARGET.
3. **Each page alone** (BENCH_CONNECTIONS, BENCH_SECONDS each), next to the baseline view
   (portal/baseline.py: one indexed query): its rate and latency, and the CPU a request cost
   the gunicorn workers and the PostgreSQL backends (read from /proc). For context only.

It prints the tables and writes them with the machine and conditions to ``BENCH_REPORT``
(docs/performance.md). Skips (exit 0) with a message when PostgreSQL is not reachable or wrk
is not installed. At 200,000 households the whole run takes about 10 minutes on 2 cores,
about half of it seeding.

Environment (all optional): BENCH_HOUSEHOLDS (200000), BENCH_MIX_SECONDS (60),
BENCH_SECONDS (10: the public page and each page alone), BENCH_WARMUP (2, before every run),
BENCH_CONNECTIONS (16), BENCH_PUBLIC_CONNECTIONS (64), BENCH_SESSIONS (300 signed-in staff),
BENCH_THREADS (2), BENCH_WORKERS (2 × cores), BENCH_DATABASE_URL, BENCH_REDIS_URL
(redis://127.0.0.1:6379/0: the shared cache a deployment with several workers runs with, used
when it answers; "-" for none), BENCH_REPORT (docs/performance.md; "-" to write none),
BENCH_NOTE (a sentence about the conditions, printed in the report).
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

from benchmarks.load.cpu import Meter
from benchmarks.load.results import (
    PUBLIC_TARGET,
    STAFF_TARGET,
    KindRow,
    LoadRun,
    Profile,
    Report,
    VisitCheck,
    all_met,
    judge,
    kind_table,
    load_average,
    load_table,
    machine_facts,
    report,
    write_report,
)
from benchmarks.load.wrk import HOST, Session, get_script, nonce_of, run_wrk, staff_script

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
HOUSEHOLDS_PER_SESSION = 24  # of each signed-in person's own, spread over their scope


@dataclass(frozen=True)
class Kind:
    """A kind of request: ``share`` of the staff mix in percent (0: not in it)."""

    name: str
    label: str
    share: int = 0
    about: str = ""


KINDS = (
    Kind(
        "baseline",
        "baseline (1 indexed query)",
        about="a bare Django view: one primary-key lookup, a few bytes of text; anonymous",
    ),
    Kind(
        "doors",
        "door list",
        40,
        "a grid worker's or a building lead's households, with where each stands",
    ),
    Kind("household", "household page", 25, "one of the signed-in person's households"),
    Kind(
        "visit",
        "visit POST",
        25,
        "a visit saved from the list's inline form (HX-Request, return_to=list) with a fresh"
        " idempotency key, for one of the person's households; it answers the updated row and"
        " counts",
    ),
    Kind(
        "dashboard",
        "dashboard",
        10,
        "the person's campaign: a secretary's whole community (~2,000 households), a worker's"
        " or lead's own part",
    ),
    Kind("public", "public project page", about="anonymous: the first community's campaign"),
)
MIX = {kind.name: kind.share for kind in KINDS if kind.share}
LABELS = {kind.name: kind.label for kind in KINDS}


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


PAGE_TOKEN = re.compile(r'"X-CSRFToken": "([A-Za-z0-9]{64})"')


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


# --- the district's staff ------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A member of staff to sign in: their role, some of their households, their dashboard."""

    username: str
    role: str
    households: tuple[int, ...]
    dashboard: str


def spread(items: list, n: int) -> list:
    """``n`` of ``items`` (all if fewer), evenly spaced, first one included."""
    if len(items) <= n:
        return list(items)
    return [items[i * len(items) // n] for i in range(n)]


def district_staff(n: int) -> list[Person]:
    """``n`` of the district's staff (seed_scale's scaleNN-… users), evenly over the sorted
    usernames, so every community and each role in its share (secretaries are about one in
    twenty); for each, up to HOUSEHOLDS_PER_SESSION of their own households."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from campaigns.models import Assignment, Campaign
    from households.models import Household

    users = get_user_model().objects.filter(username__startswith="scale", assignments__isnull=False)
    people = []
    for user in spread(list(users.distinct().order_by("username")), n):
        places = Assignment.objects.filter(user=user)
        role = places.values_list("role", flat=True).first()
        slug = (
            Campaign.objects.filter(community__in=places.values("community"))
            .order_by("slug")[0]
            .slug
        )
        scope = Household.objects.for_user(user).order_by("pk").values_list("pk", flat=True)
        households = tuple(spread(list(scope), HOUSEHOLDS_PER_SESSION))
        dashboard = reverse("dashboard:campaign", kwargs={"slug": slug})
        people.append(Person(user.username, role, households, dashboard))
    return people


def sign_in(port: int, person: Person, password: str, household_path: str) -> Session:
    """Log in through the form, then open the person's first household: the page must answer
    200 and carry a real CSRF token (64 letters and digits), the token their visits post."""
    jar = log_in(port, person.username, password)
    cookie = cookie_header(jar)
    path = household_path.replace("{pk}", str(person.households[0]))
    status, page, _ = fetch(port, "GET", path, headers={"Cookie": cookie})
    token = PAGE_TOKEN.search(page)
    if status != 200 or not token:
        raise RuntimeError(f"{person.username}: {path} answered {status}, no working CSRF token")
    return Session(
        person.username, person.role, cookie, token.group(1), person.households, person.dashboard
    )


def sign_everyone_in(port: int, people: list[Person], workers: int, household_path: str):
    from portal.management.commands.seed_scale import BENCH_PASSWORD

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda p: sign_in(port, p, BENCH_PASSWORD, household_path), people))


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


def visit_fields() -> dict[str, str]:
    """The visit form as the list's inline form posts it, without the CSRF token and the
    idempotency key (both per request)."""
    from django.utils import timezone

    visited = timezone.localtime() - timedelta(minutes=1)
    return {
        "return_to": "list",
        "channel": "door",
        "reached": "owner",
        "attitude": "support",
        "notes": "压力测试走访",
        "next_step": "",
        "next_step_on": "",
        "visited_at": visited.strftime("%Y-%m-%dT%H:%M"),
    }


def profile(path: str, user, method: str = "GET") -> Profile:
    """One request in this process (Django's test client, after one warm-up request): its
    queries, its time, how much of it was SQL, and the slowest statement."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    if user is not None:
        client.force_login(user)

    def request():
        if method == "POST":
            data = {**visit_fields(), "idempotency_key": str(uuid.uuid4())}
            return client.post(path, data, HTTP_HX_REQUEST="true")
        return client.get(path)

    request()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = request()
        total = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code} in-process")
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
    """gunicorn on a free loopback port with ``workers`` sync workers; yields the port and
    the master's pid once /healthz answers, and stops the whole process group afterwards,
    printing its error log."""
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
            yield port, process.pid
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
    mix_seconds: int
    seconds: int
    warmup: int
    connections: int
    public_connections: int
    sessions: int
    threads: int
    workers: int

    @classmethod
    def from_environment(cls) -> "Settings":
        return cls(
            households=env_number("BENCH_HOUSEHOLDS", 200000),
            mix_seconds=env_number("BENCH_MIX_SECONDS", 60),
            seconds=env_number("BENCH_SECONDS", 10),
            warmup=env_number("BENCH_WARMUP", 2),
            connections=env_number("BENCH_CONNECTIONS", 16),
            public_connections=env_number("BENCH_PUBLIC_CONNECTIONS", 64),
            sessions=env_number("BENCH_SESSIONS", 300),
            threads=env_number("BENCH_THREADS", 2),
            workers=env_number("BENCH_WORKERS", 2 * (os.cpu_count() or 1)),
        )


def prepare(settings: Settings) -> dict:
    """Migrate, seed, collect static files; choose the staff to sign in and each page's
    path; profile one request of each kind in this process."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections
    from django.urls import reverse

    from campaigns.models import Campaign

    call_command("migrate", interactive=False, verbosity=0)
    start = time.perf_counter()
    call_command("seed_scale", households=settings.households)
    seed_seconds = time.perf_counter() - start
    call_command("collectstatic", interactive=False, verbosity=0)
    people = district_staff(settings.sessions)
    knocker = next(p for p in people if p.role != "secretary")
    slug = Campaign.objects.filter(slug__startswith="scale-").order_by("slug")[0].slug
    marker = 987654321  # a pk that no household has, replaced by {pk}
    paths = {
        "baseline": reverse("bench_baseline", kwargs={"pk": knocker.households[0]}),
        "doors": reverse("consultations:my_doors"),
        "household": reverse("consultations:household", kwargs={"pk": marker}),
        "visit": reverse("consultations:log_visit", kwargs={"pk": marker}),
        "dashboard": knocker.dashboard,
        "public": reverse("public_campaign", kwargs={"slug": slug}),
    }
    paths = {k: v.replace(str(marker), "{pk}") for k, v in paths.items()}
    user = get_user_model().objects.get(username=knocker.username)
    profiles = {}
    for kind in KINDS:
        path = paths[kind.name].replace("{pk}", str(knocker.households[0]))
        anonymous = kind.name in ("baseline", "public")
        method = "POST" if kind.name == "visit" else "GET"
        one = profile(path, None if anonymous else user, method)
        profiles[kind.name] = one
        print(
            f"  {kind.label}: {path}, one request in-process {one.total_ms:.0f} ms, "
            f"{one.queries} queries, {one.sql_ms:.0f} ms SQL (slowest {one.slowest_ms:.0f} ms)"
        )
    connections.close_all()  # gunicorn's workers open their own
    return {
        "people": people,
        "paths": paths,
        "profiles": profiles,
        "seed": seed_seconds,
        "profiled_as": knocker.username,
    }


def visits_saved(nonce: str) -> int:
    """Visits whose idempotency key starts with the run's ``nonce`` (keys are UUIDs, so the
    prefix is a range)."""
    from django.db import connections

    from consultations.models import Visit

    count = Visit.objects.filter(
        idempotency_key__gte=uuid.UUID(f"{nonce}-0000-0000-0000-000000000000"),
        idempotency_key__lte=uuid.UUID(f"{nonce}-ffff-ffff-ffff-ffffffffffff"),
    ).count()
    connections.close_all()  # no backend of ours in the CPU figures
    return count


@dataclass
class Bench:
    """A running server with its signed-in staff."""

    port: int
    settings: Settings
    sessions: list[Session]
    paths: dict[str, str]
    meter: Meter

    def script(self, shares: dict[str, int]) -> str:
        return staff_script(
            self.sessions, shares, self.paths, visit_fields(), seed=secrets.randbelow(2**30)
        )

    def run(self, path: str, make_script, seconds: int, connections: int):
        """A warm-up (not counted), then the run; the CPU used by the run in between."""
        load = (connections, self.settings.threads)
        run_wrk(self.port, path, make_script(), self.settings.warmup, *load)
        drain(self.port, self.settings.workers)
        before = self.meter.snapshot()
        script = make_script()
        result = run_wrk(self.port, path, script, seconds, *load)
        drain(self.port, self.settings.workers)
        usage = Meter.used(before, self.meter.snapshot())
        if result.statuses:
            print(f"  unexpected answers {result.unexpected}: {result.sample}")
        return script, result, usage

    def visit_check(self, script: str, result, connections: int) -> VisitCheck:
        check = VisitCheck(
            sent=result.counts.get("sent-visit", 0),
            answered=result.counts.get("visit-answered", 0),
            saved=visits_saved(nonce_of(script)),
            in_flight=connections,
        )
        print(f"  {check}")
        return check


def staff_at_work(bench: Bench) -> LoadRun:
    s = bench.settings
    script, result, _ = bench.run("/", lambda: bench.script(MIX), s.mix_seconds, s.connections)
    roles = {
        "grid_worker": "grid workers",
        "building_lead": "building leads",
        "secretary": "secretaries",
    }
    counted = ", ".join(
        f"{sum(x.role == role for x in bench.sessions)} {name}" for role, name in roles.items()
    )
    about = (
        f"{len(bench.sessions)} signed-in staff ({counted}), each request as one of them picked"
        " at random: a household page or visit for one of their own households (up to"
        f" {HOUSEHOLDS_PER_SESSION} each, spread over their scope), a dashboard of their"
        " campaign, a door list for a worker or lead only (a secretary starts at the overview)."
    )
    run = LoadRun("staff at work (mix)", s.connections, result, STAFF_TARGET, about)
    run.visits = bench.visit_check(script, result, s.connections)
    return judge(run)


def public_page(bench: Bench) -> LoadRun:
    s = bench.settings
    path = bench.paths["public"]
    _, result, _ = bench.run(path, lambda: get_script(""), s.seconds, s.public_connections)
    return judge(
        LoadRun("public project page", s.public_connections, result, PUBLIC_TARGET, f"`{path}`")
    )


def each_alone(bench: Bench, profiles: dict[str, Profile]) -> list[KindRow]:
    s = bench.settings
    rows = []
    for kind in KINDS:
        path = bench.paths[kind.name]
        if kind.name in ("baseline", "public"):
            script, result, usage = bench.run(
                path, lambda: get_script(""), s.seconds, s.connections
            )
        else:
            make = partial(bench.script, {kind.name: 1})
            script, result, usage = bench.run("/", make, s.seconds, s.connections)
        row = KindRow(
            kind.label,
            path,
            result,
            usage,
            profiles.get(kind.name),
            kind.name == "baseline",
            kind.about,
        )
        if kind.name == "visit":
            row.visits = bench.visit_check(script, result, s.connections)
        rows.append(row)
        print(
            f"  {kind.label}: {result.rps:.0f} req/s, p95 {result.p95_ms:.1f} ms, "
            f"{result.errors} errors, CPU {row.cpu_ms:.2f} ms/request "
            f"(gunicorn {row.gunicorn_ms:.2f}, PostgreSQL {row.postgres_ms:.2f})"
        )
    return rows


def main() -> int:
    began = time.perf_counter()
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
        prepared = prepare(settings)
        print(
            f"seeded {settings.households} households in {prepared['seed']:.1f} s; gunicorn: "
            f"{settings.workers} sync workers; wrk: {settings.threads} threads"
        )
        with gunicorn(settings.workers, environment) as (port, master):
            start = time.perf_counter()
            sessions = sign_everyone_in(
                port, prepared["people"], settings.workers, prepared["paths"]["household"]
            )
            signed_in = time.perf_counter() - start
            print(f"signed in {len(sessions)} staff in {signed_in:.0f} s")
            bench = Bench(port, settings, sessions, prepared["paths"], Meter(master, name))
            print(f"staff at work: {settings.connections} connections, {settings.mix_seconds} s")
            staff = staff_at_work(bench)
            print(f"public page: {settings.public_connections} connections, {settings.seconds} s")
            public = public_page(bench)
            print(f"each page alone: {settings.connections} connections, {settings.seconds} s each")
            kinds = each_alone(bench, prepared["profiles"])
    except Exception as error:
        print(f"The load benchmark failed: {error}", file=sys.stderr)
        return 1
    finally:
        from django.db import connections

        connections.close_all()
        admin_sql(server, drop)
        static_root.cleanup()

    runs = [staff, public]
    print()
    print(load_table(runs))
    print()
    print(kind_table(kinds))
    print("\n" + ("All targets met." if all_met(runs) else "Some targets were missed (see above)."))
    minutes = (time.perf_counter() - began) / 60
    conditions = {
        "households (BENCH_HOUSEHOLDS)": f"{settings.households:,}",
        "seed_scale time": f"{prepared['seed']:.1f} s",
        "staff signed in (BENCH_SESSIONS)": f"{len(sessions)}, in {signed_in:.0f} s",
        "load generator": f"wrk, {settings.threads} threads, keep-alive",
        "staff at work": (
            f"{settings.connections} connections, {settings.warmup} s warm-up (not counted) + "
            f"{settings.mix_seconds} s measured"
        ),
        "public page": (
            f"{settings.public_connections} connections, {settings.warmup} s warm-up + "
            f"{settings.seconds} s"
        ),
        "each page alone": (
            f"{settings.connections} connections, {settings.warmup} s warm-up + "
            f"{settings.seconds} s each"
        ),
        "server": f"gunicorn, {settings.workers} sync workers, DJANGO_ENV=production, DEBUG off",
        "shared cache": cache_used,
        "in-process requests made as": prepared["profiled_as"],
        "whole benchmark (seeding included)": f"{minutes:.1f} min",
        "load average before the run": load_before,
        "load average after the run": load_average(),
    }
    note = os.environ.get("BENCH_NOTE", "").strip()
    if note:
        conditions["note"] = note
    if report_path != "-":
        data = Report(runs, kinds, MIX, LABELS, machine_facts(pg_version), conditions)
        write_report(Path(report_path), report(data))
        print(f"Wrote {report_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
