"""wrk, the load generator: the Lua scripts it runs, and reading what it prints.

Each script ends with a ``done()`` that prints one ``BENCH`` line with the figures wrk keeps but
does not print (the 95th percentile among them), and a ``response()`` that counts every answer
other than the page's expected status (a lost session's redirect to the login page is a 302,
which wrk itself would count as a success).
"""

import re
import secrets
import subprocess
import tempfile
from dataclasses import dataclass, field
from urllib.parse import urlencode

HOST = "127.0.0.1"  # load goes to loopback only

LUA_COMMON = """
threads = {}
unexpected = 0
expected_status = %(expect)d

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

statuses = {}
sample = ""

function response(status, headers, body)
  if status ~= expected_status then
    unexpected = unexpected + 1
    statuses[status] = (statuses[status] or 0) + 1
    if sample == "" and body then
      sample = string.format("%%d %%s", status, string.sub(body, 1, 300))
    end
  end
end

function done(summary, latency, requests)
  local wrong = 0
  local seen = {}
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("unexpected")
    for status, n in pairs(thread:get("statuses")) do
      seen[status] = (seen[status] or 0) + n
    end
    local body = thread:get("sample")
    if body ~= "" then
      io.write("BENCH-SAMPLE " .. string.gsub(body, "%%s+", " ") .. "\\n")
    end
  end
  for status, n in pairs(seen) do
    io.write(string.format("BENCH-STATUS %%d=%%d\\n", status, n))
  end
  io.write(string.format(
    "BENCH requests=%%.0f duration_us=%%.0f p50_us=%%.0f p95_us=%%.0f p99_us=%%.0f max_us=%%.0f"
    .. " unexpected_status=%%.0f connect=%%.0f read=%%.0f write=%%.0f timeout=%%.0f\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, wrong, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
end
"""

LUA_GET = """
thread_id = 0
wrk.method = "GET"
wrk.headers["Cookie"] = %(cookie)s
"""

# A fresh idempotency key per POST, as each rendered visit form carries its own
# (templates/consultations/_visit_form.html): the run's nonce, the wrk thread, a counter.
LUA_POST = """
thread_id = 0
counter = 0
households = {%(households)s}
nonce = %(nonce)s
body_start = %(body)s
post_headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Cookie"] = %(cookie)s,
  ["HX-Request"] = "true",
}

function request()
  counter = counter + 1
  local pk = households[(counter * 7 + thread_id) %% #households + 1]
  local key = string.format("%%s-%%04x-4000-8000-%%012x", nonce, thread_id, counter)
  return wrk.format("POST", %(prefix)s .. pk .. %(suffix)s, post_headers,
                    body_start .. "&idempotency_key=" .. key)
end
"""


def lua_string(text: str) -> str:
    """A Lua string literal for ``text`` (cookies, tokens, form bodies: printable ASCII)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def get_script(cookie: str, expect: int = 200) -> str:
    """The GET script: the same request again and again, with the session's cookies if any."""
    script = LUA_GET % {"cookie": lua_string(cookie)} if cookie else LUA_GET.split("wrk.headers")[0]
    return script + LUA_COMMON % {"expect": expect}


def post_script(
    path_template: str,
    households: list[int],
    cookie: str,
    fields: dict[str, str],
    nonce: str | None = None,
    expect: int = 200,
) -> str:
    """The POST script: ``path_template`` has ``{pk}`` where each request's household goes;
    households are taken in turn; ``fields`` is the form without its idempotency key. The
    keys start with ``nonce``, a new one unless given, so no two scripts repeat a key."""
    nonce = nonce or secrets.token_hex(4)
    prefix, suffix = path_template.split("{pk}")
    return LUA_POST % {
        "households": ", ".join(str(pk) for pk in households),
        "nonce": lua_string(nonce),
        "body": lua_string(urlencode(fields)),
        "cookie": lua_string(cookie),
        "prefix": lua_string(prefix),
        "suffix": lua_string(suffix),
    } + LUA_COMMON % {"expect": expect}


@dataclass
class WrkResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    unexpected_status: int
    socket_errors: int
    non_2xx_3xx: int = 0
    statuses: dict[int, int] = field(default_factory=dict)  # the unexpected ones, counted
    sample: str = ""  # the start of one unexpected answer

    @property
    def unexpected(self) -> str:
        """The unexpected statuses, e.g. "409×3, 500×1" (empty when there were none)."""
        return ", ".join(f"{status}×{n}" for status, n in sorted(self.statuses.items()))

    @property
    def errors(self) -> int:
        """Responses other than the expected status, plus connect/read/write/timeouts."""
        return self.unexpected_status + self.socket_errors


class WrkOutputError(ValueError):
    pass


def parse_wrk(output: str) -> WrkResult:
    """Read wrk's output: its Requests/sec and error lines, and the BENCH line our Lua
    done() prints (percentiles in microseconds, which wrk --latency does not print for 95)."""
    match = re.search(r"^BENCH (.*)$", output, re.MULTILINE)
    if not match:
        raise WrkOutputError("no BENCH line in wrk's output:\n" + output)
    values = {k: float(v) for k, v in (pair.split("=") for pair in match.group(1).split())}
    rps = re.search(r"^Requests/sec:\s*([\d.]+)", output, re.MULTILINE)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output)
    seconds = values["duration_us"] / 1e6
    requests = int(values["requests"])
    return WrkResult(
        requests=requests,
        seconds=seconds,
        rps=float(rps.group(1)) if rps else (requests / seconds if seconds else 0.0),
        p50_ms=values["p50_us"] / 1000,
        p95_ms=values["p95_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        max_ms=values["max_us"] / 1000,
        unexpected_status=int(values["unexpected_status"]),
        socket_errors=int(values["connect"] + values["read"] + values["write"] + values["timeout"]),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        statuses={
            int(status): int(n)
            for status, n in re.findall(r"^BENCH-STATUS (\d+)=(\d+)$", output, re.MULTILINE)
        },
        sample=next(iter(re.findall(r"^BENCH-SAMPLE (.*)$", output, re.MULTILINE)), ""),
    )


def run_wrk(
    port: int, path: str, script: str, seconds: int, connections: int, threads: int
) -> WrkResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as file:
        file.write(script)
        file.flush()
        command = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",  # a slow answer is measured, not dropped as a timeout
            "--latency",
            "-s",
            file.name,
            f"http://{HOST}:{port}{path}",
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 60, check=False
        )
    if done.returncode:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)
