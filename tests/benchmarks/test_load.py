"""The load benchmark's pure parts: reading wrk, the ratios and targets, the table, the
Lua scripts, choosing the dashboard's URL. No load is generated here."""

import re

import pytest

from benchmarks.load.__main__ import PAGES, Page, resolve_page, server_and_name
from benchmarks.load.results import (
    KEPT,
    Profile,
    Row,
    all_met,
    judge,
    markdown_table,
    profile_lines,
    report,
    text_table,
    write_report,
)
from benchmarks.load.wrk import (
    WrkOutputError,
    WrkResult,
    get_script,
    lua_string,
    parse_wrk,
    post_script,
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
BENCH requests=1200 duration_us=2000000 p50_us=12000 p95_us=30500 p99_us=41000 \
max_us=52000 unexpected_status=9 connect=0 read=3 write=0 timeout=2
"""


def one(queries: int, sql: str = "SELECT 1") -> Profile:
    return Profile(queries, 12.5, 4.25, 3.0, sql)


def result(p50: float, p95: float, errors: int = 0, requests: int = 100) -> WrkResult:
    return WrkResult(requests, 10.0, requests / 10, p50, p95, p95 * 1.2, p95 * 1.5, errors, 0)


def test_parse_wrk_reads_rate_and_percentiles_in_milliseconds():
    r = parse_wrk(WRK_SAMPLE)
    assert r.requests == 35
    assert r.seconds == pytest.approx(3.080870)
    assert r.rps == pytest.approx(11.36)
    assert r.p50_ms == pytest.approx(1236.932)
    assert r.p95_ms == pytest.approx(1450.146)
    assert r.p99_ms == pytest.approx(1466.416)
    assert r.errors == 0


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


def test_parse_wrk_refuses_output_without_our_line():
    with pytest.raises(WrkOutputError):
        parse_wrk(WRK_SAMPLE.split("BENCH")[0])


def test_judge_gives_ratios_to_the_baseline_and_checks_every_target():
    rows = judge(
        [
            Row("baseline", "/bench/baseline/1/", result(10, 20), one(1), baseline=True),
            Row("fast page", "/a/", result(25, 59), one(4)),
            Row("slow page", "/b/", result(40, 160), one(9)),
            Row("broken page", "/c/", result(10, 20, errors=3), one(2)),
        ]
    )
    base, fast, slow, broken = rows
    assert (base.p50_ratio, base.p95_ratio, base.verdict) == (1.0, 1.0, "met")
    assert fast.p50_ratio == pytest.approx(2.5)
    assert fast.p95_ratio == pytest.approx(2.95)
    assert fast.verdict == "met"
    assert slow.misses == ["p50 4.0× > 3×", "p95 8.0× > 3×", "p95 160 ms ≥ 150 ms"]
    assert broken.misses == ["3 errors"]
    assert not all_met(rows)
    assert all_met(rows[:2])


def test_a_page_that_answered_nothing_misses_its_targets():
    rows = judge(
        [
            Row("baseline", "/", result(1, 2), baseline=True),
            Row("x", "/x/", result(0, 0, requests=0)),
        ]
    )
    assert "no request answered in time" in rows[1].misses


def test_tables_show_each_page_with_its_figures():
    rows = judge(
        [
            Row("baseline", "/bench/baseline/1/", result(10, 20), one(1), baseline=True),
            Row("my doors", "/doors/", result(25.04, 59.96), one(7)),
        ]
    )
    text = text_table(rows).splitlines()
    assert text[0].split()[:3] == ["page", "req/s", "p50"]
    assert text[2].split()[:6] == ["my", "doors", "10", "25.0", "60.0", "72.0"]
    assert text[2].endswith("met")
    markdown = markdown_table(rows).splitlines()
    assert markdown[1] == "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    assert markdown[3] == "| my doors | 10 | 25.0 | 60.0 | 72.0 | 0 | 7 | 2.50 | 3.00 | met |"


def test_report_names_the_machine_conditions_and_notes():
    rows = judge([Row("baseline", "/bench/baseline/1/", result(10, 20), one(1), baseline=True)])
    text = report(
        rows,
        {"cores (nproc)": "2", "PostgreSQL": "15.14"},
        {"households (BENCH_HOUSEHOLDS)": "20,000", "note": "two test suites ran beside it"},
        ["secretary dashboard: measured /secretary/"],
    )
    assert text.startswith("# Performance")
    assert "| cores (nproc) | 2 |" in text
    assert "| households (BENCH_HOUSEHOLDS) | 20,000 |" in text
    assert "two test suites ran beside it" in text
    assert "- secretary dashboard: measured /secretary/" in text
    assert "All targets met." in text
    assert "| baseline | 1 | 12.5 | 4.25 |" not in text  # rounded to a tenth
    assert "| baseline | 1 | 12.5 | 4.2 | 3.0 | `SELECT 1` |" in text


def test_profile_lines_shorten_the_slowest_query_and_escape_pipes():
    sql = "SELECT a || b\n  FROM t WHERE " + "x = 1 AND " * 40
    rows = [Row("page", "/p/", result(1, 2), one(3, sql))]
    line = profile_lines(rows, sql_chars=40)[2]
    assert line.startswith(
        "| page | 3 | 12.5 | 4.2 | 3.0 | `SELECT a \\|\\| b FROM t WHERE x = 1 AND"
    )
    assert line.endswith(" …` |")


def test_lua_strings_escape_quotes_and_backslashes():
    assert lua_string('a"b\\c') == '"a\\"b\\\\c"'


def test_get_script_sends_the_session_cookie_only_when_logged_in():
    assert 'wrk.headers["Cookie"] = "sessionid=abc; csrftoken=def"' in get_script(
        "sessionid=abc; csrftoken=def"
    )
    assert "Cookie" not in get_script("")
    assert "expected_status = 200" in get_script("")
    assert "latency:percentile(95)" in get_script("")


def test_the_bench_database_name_must_say_bench():
    server, name = server_and_name("postgres://postgres@127.0.0.1:5432/portal_bench")
    assert name == "portal_bench"
    assert (server["host"], server["port"], server["dbname"]) == ("127.0.0.1", 5432, "postgres")
    with pytest.raises(SystemExit):
        server_and_name("postgres://postgres@127.0.0.1:5432/portal")


def test_pages_cover_the_four_portal_pages_and_one_baseline():
    assert [page.baseline for page in PAGES].count(True) == 1
    assert {page.method for page in PAGES} == {"GET", "POST"}
    assert {page.role for page in PAGES} == {None, "grid", "secretary"}


def test_a_page_falls_back_to_a_later_candidate_and_says_so():
    page = Page("dashboard", ("portal:no_such_page", "/no/such/path/", "secretary"))
    path, note = resolve_page(page, {})
    assert path == "/secretary/"
    assert "portal:no_such_page, /no/such/path/" in note
    assert resolve_page(Page("doors", ("consultations:my_doors",)), {}) == ("/doors/", None)


def test_post_script_sends_the_form_with_a_fresh_key_per_request():
    script = post_script(
        "/households/{pk}/visits/",
        [11, 12, 13],
        "sessionid=abc; csrftoken=tok",
        {"csrfmiddlewaretoken": "tok", "return_to": "list", "notes": "压力测试"},
        "0a1b2c3d",
    )
    assert "households = {11, 12, 13}" in script
    assert 'nonce = "0a1b2c3d"' in script
    assert '"/households/" .. pk .. "/visits/"' in script
    assert 'body_start = "csrfmiddlewaretoken=tok&return_to=list&notes=%E5%8E%8B' in script
    assert '["HX-Request"] = "true"' in script
    # nonce (8 hex) - wrk thread (4 hex) - 4000 - 8000 - counter (12 hex): a UUID per request
    assert 'string.format("%s-%04x-4000-8000-%012x", nonce, thread_id, counter)' in script
    assert '"&idempotency_key=" .. key' in script


def test_write_report_keeps_the_hand_written_notes(tmp_path):
    path = tmp_path / "docs" / "performance.md"
    write_report(path, "# Performance\n\nfirst run\n")
    assert path.read_text().endswith(KEPT + "\n")
    path.write_text(path.read_text() + "\n## Findings\n\nthe list scans every household\n")
    write_report(path, "# Performance\n\nsecond run\n")
    text = path.read_text()
    assert "second run" in text and "first run" not in text
    assert text.endswith(KEPT + "\n\n## Findings\n\nthe list scans every household\n")


def test_a_slow_page_shows_its_rate_to_a_tenth():
    rows = judge(
        [
            Row("baseline", "/", result(1, 2), baseline=True),
            Row("x", "/x/", result(5, 6, requests=4)),
        ]
    )
    assert markdown_table(rows).splitlines()[3].startswith("| x | 0.4 |")


def test_two_post_scripts_never_share_a_key_prefix():
    def script():
        return post_script("/households/{pk}/visits/", [1], "sessionid=abc", {}, expect=200)

    nonces = {re.search(r'nonce = "([0-9a-f]{8})"', script()).group(1) for _ in range(5)}
    assert len(nonces) == 5


def test_the_benchmark_runs_with_the_shared_cache_only_when_it_answers():
    from benchmarks.load.__main__ import shared_cache

    assert shared_cache("-") == ({}, "none: each worker keeps its own (BENCH_REDIS_URL=-)")
    settings, said = shared_cache("redis://127.0.0.1:1/0")
    assert settings == {} and said.startswith("none: redis://127.0.0.1:1/0 did not answer")
