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
counters = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

function count(name)
  counters[name] = (counters[name] or 0) + 1
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
  if on_response then
    on_response(status, body)
  end
end

function done(summary, latency, requests)
  local wrong = 0
  local seen = {}
  local total = {}
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("unexpected")
    for status, n in pairs(thread:get("statuses")) do
      seen[status] = (seen[status] or 0) + n
    end
    for name, n in pairs(thread:get("counters")) do
      total[name] = (total[name] or 0) + n
    end
    local body = thread:get("sample")
    if body ~= "" then
      io.write("BENCH-SAMPLE " .. string.gsub(body, "%%s+", " ") .. "\\n")
    end
  end
  for status, n in pairs(seen) do
    io.write(string.format("BENCH-STATUS %%d=%%d\\n", status, n))
  end
  for name, n in pairs(total) do
    io.write(string.format("BENCH-COUNT %%s=%%d\\n", name, n))
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

# Staff at work: each request picks its kind by the mix's shares, then a signed-in session
# from that kind's pool, then (for a household page or a visit) one of that session's own
# households. A visit is the list's inline form (HX-Request, return_to=list) with the
# session's CSRF token and a fresh idempotency key, as each rendered form carries its own
# (templates/consultations/_visit_form.html): the run's nonce, the wrk thread, a counter.
# Counted per kind: the requests sent ("sent-<kind>") and the visits answered 2xx/3xx with
# the saved row ("visit-answered": among the mix's answers only the visit's is not a whole
# page, so it is told by its body).
LUA_STAFF = """
thread_id = 0
counter = 0
seed = %(seed)d
nonce = %(nonce)s
visit_form = %(form)s
doors_path = %(doors)s
household_path = {%(household)s}
visit_path = {%(visit)s}
sessions = {
%(sessions)s
}
mix = {
%(mix)s
}
post_headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["HX-Request"] = "true",
}

function init(args)
  math.randomseed(seed + thread_id * 7919)
end

local function pick(list)
  return list[math.random(#list)]
end

function request()
  local r = math.random() * mix[#mix].upto
  local entry = mix[#mix]
  for _, e in ipairs(mix) do
    if r < e.upto then
      entry = e
      break
    end
  end
  local s = sessions[pick(entry.pool)]
  count("sent-" .. entry.kind)
  if entry.kind == "doors" then
    return wrk.format("GET", doors_path, {["Cookie"] = s.c})
  elseif entry.kind == "household" then
    local path = household_path[1] .. pick(s.h) .. household_path[2]
    return wrk.format("GET", path, {["Cookie"] = s.c})
  elseif entry.kind == "dashboard" then
    return wrk.format("GET", s.d, {["Cookie"] = s.c})
  end
  counter = counter + 1
  local key = string.format("%%s-%%04x-4000-8000-%%012x", nonce, thread_id, counter)
  local headers = {["Cookie"] = s.c}
  for name, value in pairs(post_headers) do
    headers[name] = value
  end
  return wrk.format("POST", visit_path[1] .. pick(s.h) .. visit_path[2], headers,
                    visit_form .. "&csrfmiddlewaretoken=" .. s.t .. "&idempotency_key=" .. key)
end

function on_response(status, body)
  if status >= 200 and status < 400 and body
      and not string.find(string.lower(string.sub(body, 1, 64)), "<!doctype", 1, true) then
    count("visit-answered")
  end
end
"""

KINDS = ("doors", "household", "visit", "dashboard")


def lua_string(text: str) -> str:
    """A Lua string literal for ``text`` (cookies, tokens, form bodies: printable ASCII)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def get_script(cookie: str, expect: int = 200) -> str:
    """The GET script: the same request again and again, with the session's cookies if any."""
    script = LUA_GET % {"cookie": lua_string(cookie)} if cookie else LUA_GET.split("wrk.headers")[0]
    return script + LUA_COMMON % {"expect": expect}


@dataclass(frozen=True)
class Session:
    """A signed-in staff member as wrk replays them: the cookies, the CSRF token their pages
    carry, some households of their own and their campaign's dashboard."""

    username: str
    role: str
    cookie: str
    token: str
    households: tuple[int, ...]
    dashboard: str

    @property
    def knocks_on_doors(self) -> bool:
        """Grid workers and building leads start at their door list; a secretary at the
        overview (their "list" would be the whole community)."""
        return self.role != "secretary"


def staff_script(
    sessions: list[Session],
    shares: dict[str, int],
    paths: dict[str, str],
    form: dict[str, str],
    nonce: str | None = None,
    seed: int = 1,
) -> str:
    """The staff script: ``shares`` by kind (KINDS; a kind left out is not sent), ``paths``
    the door list and the household page and visit with ``{pk}`` where the household goes,
    ``form`` the visit form without its CSRF token and idempotency key. The keys start with
    ``nonce``, a new one unless given, so no two scripts repeat a key. The door list goes to
    door-knockers only; the other kinds to every session."""
    nonce = nonce or secrets.token_hex(4)
    unknown = set(shares) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds: {sorted(unknown)}")
    everyone = list(range(1, len(sessions) + 1))
    knockers = [i for i, s in zip(everyone, sessions, strict=True) if s.knocks_on_doors]
    if any(not s.households for s in sessions):
        raise ValueError("every session needs a household of its own")
    if shares.get("doors") and not knockers:
        raise ValueError("the door list needs a grid worker's or a lead's session")
    mix, upto = [], 0
    for kind in KINDS:
        if shares.get(kind, 0) > 0:
            upto += shares[kind]
            pool = knockers if kind == "doors" else everyone
            mix.append(
                f'  {{upto = {upto}, kind = "{kind}", pool = {{{", ".join(map(str, pool))}}}}},'
            )
    if not mix:
        raise ValueError("the mix is empty")

    def around(template: str) -> str:
        return ", ".join(lua_string(part) for part in template.split("{pk}"))

    lines = [
        f"  {{c = {lua_string(s.cookie)}, t = {lua_string(s.token)}, "
        f"h = {{{', '.join(map(str, s.households))}}}, d = {lua_string(s.dashboard)}}},"
        for s in sessions
    ]
    return LUA_STAFF % {
        "seed": seed,
        "nonce": lua_string(nonce),
        "form": lua_string(urlencode(form)),
        "doors": lua_string(paths["doors"]),
        "household": around(paths["household"]),
        "visit": around(paths["visit"]),
        "sessions": "\n".join(lines),
        "mix": "\n".join(mix),
    } + LUA_COMMON % {"expect": 200}


def nonce_of(script: str) -> str:
    """The idempotency keys' prefix a staff script uses."""
    found = re.search(r'^nonce = "([0-9a-f]{8})"$', script, re.MULTILINE)
    if not found:
        raise ValueError("not a staff script")
    return found.group(1)


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
    counts: dict[str, int] = field(default_factory=dict)  # the script's own counters

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
    """Read wrk's output: its Requests/sec and error lines, and the BENCH lines our Lua
    done() prints (percentiles in microseconds, which wrk --latency does not print for 95;
    unexpected statuses; the script's counters)."""
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
        counts={
            name: int(n)
            for name, n in re.findall(r"^BENCH-COUNT (\S+)=(\d+)$", output, re.MULTILINE)
        },
    )


def run_wrk(
    port: int, path: str, script: str, seconds: int, connections: int, threads: int
) -> WrkResult:
    """Load ``path`` (a staff script sets each request's own) for ``seconds``."""
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
