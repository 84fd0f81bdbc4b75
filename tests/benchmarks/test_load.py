"""The load benchmark's pure parts: reading wrk, the targets and margins, the tables and the
report, the Lua scripts, CPU time from /proc. No load is generated here, nothing is timed."""

import re

import pytest

from benchmarks.load.__main__ import KINDS, MIX, server_and_name, spread
from benchmarks.load.cpu import Meter, Usage, backend_pattern, read_stat
from benchmarks.load.results import (
    KEPT,
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
    load_table,
    mix_lines,
    profile_lines,
    report,
    write_report,
)
from benchmarks.load.wrk import (
    Session,
    WrkOutputError,
    WrkResult,
    get_script,
    lua_string,
    nonce_of,
    parse_wrk,
    staff_script,
)

# Captured from wrk 4.1.0 with our Lua done() (the secretary page, 2 workers, a busy machine).
WRK_SAMPLE = """\
Running 3s test @ http://127.0.0.1:18081/secretary/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.04s   386.55ms   1.47s    71.43%
    Req/Sec     9.92      5.76    20.00     58.33%
  Latency Distribution
     50%    1.24s
     75%    1.30s
     90%    1.37s
     99%    1.47s
  35 requests in 3.08s, 306.52KB read
Requests/sec:     11.36
Transfer/sec:     99.49KB
BENCH requests=35 duration_us=3080870 p50_us=1236932 p95_us=1450146 p99_us=1466416 \
max_us=1466416 unexpected_status=0 connect=0 read=0 write=0 timeout=0
"""

WRK_WITH_ERRORS = """\
Running 2s test @ http://127.0.0.1:40000/doors/
  2 threads and 16 connections
  1200 requests in 2.00s, 1.2MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    600.00
BENCH-SAMPLE 409 这个表单已经提交给了另一户
BENCH-STATUS 409=5
BENCH-STATUS 302=4
BENCH-COUNT sent-visit=301
BENCH-COUNT visit-answered=290
BENCH requests=1200 duration_us=2000000 p50_us=12000 p95_us=30500 p99_us=41000 \
max_us=52000 unexpected_status=9 connect=0 read=3 write=0 timeout=2
"""


def one(queries: int, sql: str = "SELECT 1") -> Profile:
    return Profile(queries, 12.5, 4.25, 3.0, sql)


def result(rps: float, p95: float, errors: int = 0, requests: int = 1000, **counts) -> WrkResult:
    r = WrkResult(requests, 10.0, rps, p95 / 2, p95, p95 * 1.2, p95 * 1.5, errors, 0)
    r.counts = {k.replace("_", "-"): v for k, v in counts.items()}
    return r


def session(name: str, role: str = "grid_worker", households=(11, 12)) -> Session:
    return Session(
        name, role, f"csrftoken=c-{name}; sessionid=s-{name}", f"T{name}", households, "/d/x/"
    )


PATHS = {
    "doors": "/doors/",
    "household": "/households/{pk}/",
    "visit": "/households/{pk}/visits/",
}


def test_parse_wrk_reads_rate_and_percentiles_in_milliseconds():
    r = parse_wrk(WRK_SAMPLE)
    assert r.requests == 35
    assert r.seconds == pytest.approx(3.080870)
    assert r.rps == pytest.approx(11.36)
    assert r.p50_ms == pytest.approx(1236.932)
    assert r.p95_ms == pytest.approx(1450.146)
    assert r.p99_ms == pytest.approx(1466.416)
    assert r.errors == 0
    assert r.counts == {}


def test_parse_wrk_counts_unexpected_statuses_and_socket_errors():
    r = parse_wrk(WRK_WITH_ERRORS)
    assert r.unexpected_status == 9
    assert r.socket_errors == 5
    assert r.non_2xx_3xx == 4
    assert r.errors == 14


def test_parse_wrk_names_the_unexpected_statuses_and_keeps_one_answer():
    r = parse_wrk(WRK_WITH_ERRORS)
    assert r.statuses == {409: 5, 302: 4}
    assert r.unexpected == "302×4, 409×5"
    assert r.sample == "409 这个表单已经提交给了另一户"
    assert parse_wrk(WRK_SAMPLE).unexpected == ""


def test_parse_wrk_reads_the_scripts_counters():
    assert parse_wrk(WRK_WITH_ERRORS).counts == {"sent-visit": 301, "visit-answered": 290}


def test_parse_wrk_refuses_output_without_our_line():
    with pytest.raises(WrkOutputError):
        parse_wrk(WRK_SAMPLE.split("BENCH")[0])


def test_a_staff_run_that_meets_its_target_says_by_how_much():
    run = judge(LoadRun("staff", 16, result(210, 90.0), STAFF_TARGET))
    assert run.met
    assert run.verdict == (
        "met: 210 req/s, 60 over 150 (140% of it); p95 90.0 ms, 60.0 ms under 150 ms; 0 errors"
    )


def test_a_staff_run_that_misses_says_what_and_by_how_much():
    run = judge(LoadRun("staff", 16, result(120, 180.0, errors=3), STAFF_TARGET))
    assert not run.met
    assert run.misses == [
        "120 req/s, 30 short of 150 (80% of it)",
        "p95 180.0 ms, 30.0 ms over 150 ms",
        "3 errors",
    ]
    assert run.verdict.startswith("MISSED: 120 req/s")


def test_the_public_page_has_no_rate_target_and_a_p95_of_100_ms():
    assert judge(LoadRun("public", 64, result(5, 99.0), PUBLIC_TARGET)).met
    missed = judge(LoadRun("public", 64, result(900, 100.0), PUBLIC_TARGET))
    assert missed.misses == ["p95 100.0 ms, 0.0 ms over 100 ms"]


def test_a_run_that_answered_nothing_misses():
    run = judge(LoadRun("public", 64, result(0, 0, requests=0), PUBLIC_TARGET))
    assert "no request answered in time" in run.misses


@pytest.mark.parametrize(
    ("sent", "answered", "saved", "ok"),
    [
        (500, 490, 490, True),  # every answered POST saved, none in flight
        (500, 490, 500, True),  # ten saved while wrk stopped
        (500, 490, 489, False),  # one answered, not saved
        (500, 470, 490, False),  # more saved than wrk left in flight
        (500, 495, 501, False),  # more saved than sent: a key saved twice
    ],
)
def test_visit_check_wants_every_answered_post_saved_once(sent, answered, saved, ok):
    check = VisitCheck(sent=sent, answered=answered, saved=saved, in_flight=16)
    assert check.ok is ok
    assert ("NOT each saved once" in str(check)) is not ok


def test_a_staff_run_whose_posts_were_not_each_saved_misses():
    run = LoadRun("staff", 16, result(210, 90.0), STAFF_TARGET)
    run.visits = VisitCheck(sent=100, answered=99, saved=98, in_flight=16)
    assert judge(run).misses == ["visit POSTs not each saved once"]


def test_load_table_shows_each_run_with_its_verdict():
    runs = [
        judge(LoadRun("staff at work (mix)", 16, result(210, 90.04), STAFF_TARGET)),
        judge(LoadRun("public project page", 64, result(900, 120.0), PUBLIC_TARGET)),
    ]
    text = load_table(runs).splitlines()
    assert text[0].split()[:4] == ["run", "connections", "req/s", "p50"]
    assert text[1].split()[:9] == [
        "staff",
        "at",
        "work",
        "(mix)",
        "16",
        "210",
        "45.0",
        "90.0",
        "108.0",
    ]
    assert "met: 210 req/s" in text[1]
    markdown = load_table(runs, markdown=True).splitlines()
    assert markdown[1] == "|---|---:|---:|---:|---:|---:|---:|---|"
    assert markdown[3].startswith("| public project page | 64 | 900 | 60.0 | 120.0 | 144.0 | 0 |")
    assert markdown[3].endswith("| MISSED: p95 120.0 ms, 20.0 ms over 100 ms |")
    assert not all_met(runs) and all_met(runs[:1])


def test_kind_table_gives_cpu_per_request_and_its_ratio_to_the_baseline():
    rows = [
        KindRow("baseline", "/b/", result(900, 20, requests=9000), Usage(9.0, 0.9), one(1), True),
        KindRow("door list", "/doors/", result(300, 60, requests=3000), Usage(6.0, 1.5), one(4)),
    ]
    assert rows[0].cpu_ms == pytest.approx(1.1)
    assert rows[1].gunicorn_ms == pytest.approx(2.0)
    assert rows[1].cpu_ms == pytest.approx(2.5)
    markdown = kind_table(rows, markdown=True).splitlines()
    assert markdown[3] == "| door list | 300 | 30.0 | 60.0 | 0 | 2.00 | 0.50 | 2.50 | 2.3 | 4 |"
    text = kind_table(rows).splitlines()
    assert text[1].split() == [
        "baseline",
        "900",
        "10.0",
        "20.0",
        "0",
        "1.00",
        "0.10",
        "1.10",
        "1.0",
        "1",
    ]


def test_mix_lines_compare_what_was_sent_with_the_mix_asked_for():
    run = LoadRun(
        "staff",
        16,
        result(200, 90, sent_doors=400, sent_household=260, sent_visit=240, sent_dashboard=100),
        STAFF_TARGET,
    )
    lines = mix_lines(run, MIX, {k.name: k.label for k in KINDS})
    assert lines[2] == "| door list | 40 % | 400 | 40.0% |"
    assert lines[5] == "| dashboard | 10 % | 100 | 10.0% |"


def test_the_mix_is_the_four_staff_pages_in_the_shares_asked():
    assert MIX == {"doors": 40, "household": 25, "visit": 25, "dashboard": 10}
    assert [kind.name for kind in KINDS] == [
        "baseline",
        "doors",
        "household",
        "visit",
        "dashboard",
        "public",
    ]


def test_report_names_targets_results_machine_conditions_and_notes():
    staff = LoadRun(
        "staff at work (mix)",
        16,
        result(210, 90, sent_visit=9, visit_answered=9),
        STAFF_TARGET,
        "300 signed-in staff",
    )
    staff.visits = VisitCheck(sent=9, answered=9, saved=9, in_flight=16)
    runs = [judge(staff), judge(LoadRun("public project page", 64, result(900, 20), PUBLIC_TARGET))]
    kinds = [KindRow("baseline", "/bench/baseline/1/", result(900, 20), Usage(1, 0), one(1), True)]
    text = report(
        Report(
            runs,
            kinds,
            MIX,
            {k.name: k.label for k in KINDS},
            {"cores (nproc)": "2", "PostgreSQL": "15.14"},
            {"households (BENCH_HOUSEHOLDS)": "200,000", "note": "two test suites ran beside it"},
            ["dashboard: measured /secretary/"],
        )
    )
    assert text.startswith("# Performance")
    assert "≥ 150 req/s, p95 < 150 ms, 0 errors" in text
    assert "public page (64 connections): p95 < 100 ms, 0 errors." in text
    assert "| cores (nproc) | 2 |" in text
    assert "| households (BENCH_HOUSEHOLDS) | 200,000 |" in text
    assert "two test suites ran beside it" in text
    assert "- dashboard: measured /secretary/" in text
    assert "All targets met." in text
    assert "300 signed-in staff" in text
    assert "Visit POSTs: 9 visit POSTs answered 2xx/3xx, 9 visits saved" in text
    assert "| baseline | 1 | 12.5 | 4.2 | 3.0 | `SELECT 1` |" in text  # rounded to a tenth


def test_profile_lines_shorten_the_slowest_query_and_escape_pipes():
    sql = "SELECT a || b\n  FROM t WHERE " + "x = 1 AND " * 40
    rows = [KindRow("page", "/p/", result(1, 2), Usage(), one(3, sql))]
    line = profile_lines(rows, sql_chars=40)[2]
    assert line.startswith(
        "| page | 3 | 12.5 | 4.2 | 3.0 | `SELECT a \\|\\| b FROM t WHERE x = 1 AND"
    )
    assert line.endswith(" …` |")


def test_a_slow_run_shows_its_rate_to_a_tenth():
    run = judge(LoadRun("public", 64, result(0.4, 6, requests=4), PUBLIC_TARGET))
    assert load_table([run], markdown=True).splitlines()[2].startswith("| public | 64 | 0.4 |")


def test_lua_strings_escape_quotes_and_backslashes():
    assert lua_string('a"b\\c') == '"a\\"b\\\\c"'


def test_get_script_sends_the_session_cookie_only_when_logged_in():
    assert 'wrk.headers["Cookie"] = "sessionid=abc; csrftoken=def"' in get_script(
        "sessionid=abc; csrftoken=def"
    )
    assert "Cookie" not in get_script("")
    assert "expected_status = 200" in get_script("")
    assert "latency:percentile(95)" in get_script("")


def test_staff_script_lists_each_session_with_its_token_households_and_dashboard():
    sessions = [
        session("a"),
        session("b", "building_lead", (21,)),
        Session("c", "secretary", "sessionid=s-c", "Tc", (31, 32, 33), "/dashboard/scale-02/"),
    ]
    script = staff_script(
        sessions, MIX, PATHS, {"return_to": "list", "notes": "压力测试"}, "0a1b2c3d"
    )
    assert '{c = "csrftoken=c-a; sessionid=s-a", t = "Ta", h = {11, 12}, d = "/d/x/"},' in script
    assert (
        '{c = "sessionid=s-c", t = "Tc", h = {31, 32, 33}, d = "/dashboard/scale-02/"},' in script
    )
    # the door list for the worker and the lead only; every other kind for everyone
    assert '{upto = 40, kind = "doors", pool = {1, 2}},' in script
    assert '{upto = 65, kind = "household", pool = {1, 2, 3}},' in script
    assert '{upto = 90, kind = "visit", pool = {1, 2, 3}},' in script
    assert '{upto = 100, kind = "dashboard", pool = {1, 2, 3}},' in script
    assert 'household_path = {"/households/", "/"}' in script
    assert 'visit_path = {"/households/", "/visits/"}' in script
    assert 'visit_form = "return_to=list&notes=%E5%8E%8B' in script
    assert '"&csrfmiddlewaretoken=" .. s.t .. "&idempotency_key=" .. key' in script
    assert '["HX-Request"] = "true"' in script
    # nonce (8 hex) - wrk thread (4 hex) - 4000 - 8000 - counter (12 hex): a UUID per request
    assert 'string.format("%s-%04x-4000-8000-%012x", nonce, thread_id, counter)' in script
    assert nonce_of(script) == "0a1b2c3d"
    assert 'count("sent-" .. entry.kind)' in script
    assert 'count("visit-answered")' in script
    assert "expected_status = 200" in script


def test_a_staff_script_of_one_kind_sends_only_that_kind():
    script = staff_script([session("a")], {"visit": 1}, PATHS, {})
    assert re.findall(r"\{upto = .*", script) == ['{upto = 1, kind = "visit", pool = {1}},']


def test_staff_script_refuses_what_it_cannot_send():
    with pytest.raises(ValueError, match="unknown kinds"):
        staff_script([session("a")], {"admin": 1}, PATHS, {})
    with pytest.raises(ValueError, match="household of its own"):
        staff_script([session("a", households=())], MIX, PATHS, {})
    with pytest.raises(ValueError, match="door list"):
        staff_script([session("s", "secretary")], MIX, PATHS, {})
    assert staff_script([session("s", "secretary")], {"visit": 1}, PATHS, {})


def test_two_staff_scripts_never_share_a_key_prefix():
    nonces = {nonce_of(staff_script([session("a")], MIX, PATHS, {})) for _ in range(5)}
    assert len(nonces) == 5
    with pytest.raises(ValueError):
        nonce_of(get_script(""))


def test_spread_takes_evenly_from_first_to_last():
    assert spread(list(range(10)), 3) == [0, 3, 6]
    assert spread(list(range(10)), 5) == [0, 2, 4, 6, 8]
    assert spread([1, 2], 5) == [1, 2]


def test_the_bench_database_name_must_say_bench():
    server, name = server_and_name("postgres://postgres@127.0.0.1:5432/portal_bench")
    assert name == "portal_bench"
    assert (server["host"], server["port"], server["dbname"]) == ("127.0.0.1", 5432, "postgres")
    with pytest.raises(SystemExit):
        server_and_name("postgres://postgres@127.0.0.1:5432/portal")


def test_write_report_keeps_the_hand_written_notes(tmp_path):
    path = tmp_path / "docs" / "performance.md"
    write_report(path, "# Performance\n\nfirst run\n")
    assert path.read_text().endswith(KEPT + "\n")
    path.write_text(path.read_text() + "\n## Findings\n\nthe list scans every household\n")
    write_report(path, "# Performance\n\nsecond run\n")
    text = path.read_text()
    assert "second run" in text and "first run" not in text
    assert text.endswith(KEPT + "\n\n## Findings\n\nthe list scans every household\n")


def test_the_benchmark_runs_with_the_shared_cache_only_when_it_answers():
    from benchmarks.load.__main__ import shared_cache

    assert shared_cache("-") == ({}, "none: each worker keeps its own (BENCH_REDIS_URL=-)")
    settings, said = shared_cache("redis://127.0.0.1:1/0")
    assert settings == {} and said.startswith("none: redis://127.0.0.1:1/0 did not answer")


# --- CPU time from /proc ---------------------------------------------------------------------

STAT = "4242 (gunicorn: worker [portal.wsgi:application]) S 4000 4000 4000 0 -1 4194560 " + (
    "1000 0 0 0 250 50 0 0 20 0 1 0 100 0 0"
)


def test_read_stat_finds_the_parent_and_cpu_seconds_past_a_name_with_spaces():
    ppid, seconds = read_stat(STAT)
    assert ppid == 4000
    assert seconds == pytest.approx(300 / 100)  # utime 250 + stime 50 ticks at 100 Hz


def test_backend_pattern_matches_the_client_backends_of_one_database_only():
    pattern = backend_pattern("portal_bench")
    assert pattern.match("postgres: 15/main: postgres portal_bench 127.0.0.1(41234) idle")
    assert pattern.match("postgres: postgres portal_bench [local] SELECT")
    assert not pattern.match("postgres: 15/main: postgres portal_bench_other 127.0.0.1(1) idle")
    assert not pattern.match("postgres: 15/main: postgres test_portal 127.0.0.1(41234) idle")
    assert not pattern.match("postgres: 15/main: autovacuum worker portal_bench")
    assert not pattern.match("postgres: 15/main: checkpointer")


def fake_process(proc, pid: int, ppid: int, ticks: int, command: str) -> None:
    (proc / str(pid)).mkdir(exist_ok=True)
    (proc / str(pid) / "stat").write_text(
        f"{pid} (x) S {ppid} 1 1 0 -1 0 0 0 0 0 {ticks} 0 0 0 20 0 1 0 1 0 0"
    )
    (proc / str(pid) / "cmdline").write_bytes(command.replace(" ", "\0").encode())


def test_meter_adds_up_the_cpu_of_gunicorn_and_the_databases_backends(tmp_path):
    fake_process(tmp_path, 100, 1, 50, "python -m gunicorn portal.wsgi:application")
    fake_process(tmp_path, 101, 100, 200, "gunicorn: worker")
    fake_process(tmp_path, 102, 100, 300, "gunicorn: worker")
    fake_process(
        tmp_path, 200, 1, 900, "postgres: 15/main: postgres portal_bench 127.0.0.1(5) idle"
    )
    fake_process(tmp_path, 201, 1, 700, "postgres: 15/main: postgres portal 127.0.0.1(6) idle")
    fake_process(tmp_path, 300, 1, 999, "wrk -t2 -c16")
    (tmp_path / "self").mkdir()
    meter = Meter(100, "portal_bench", proc=tmp_path)
    before = meter.snapshot()
    assert before["gunicorn"] == {100: 0.5, 101: 2.0, 102: 3.0}
    assert before["postgres"] == {200: 9.0}
    fake_process(tmp_path, 101, 100, 450, "gunicorn: worker")  # +2.5 s
    fake_process(
        tmp_path, 200, 1, 1000, "postgres: 15/main: postgres portal_bench 127.0.0.1(5) idle"
    )
    fake_process(tmp_path, 202, 1, 40, "postgres: 15/main: postgres portal_bench 127.0.0.1(7) idle")
    fake_process(tmp_path, 201, 1, 9000, "postgres: 15/main: postgres portal 127.0.0.1(6) idle")
    for name in ("stat", "cmdline"):  # a worker ended
        (tmp_path / "102" / name).unlink()
    (tmp_path / "102").rmdir()
    usage = Meter.used(before, meter.snapshot())
    assert usage.gunicorn == pytest.approx(2.5)
    assert usage.postgres == pytest.approx(1.0 + 0.4)
    assert usage.gone == 1
