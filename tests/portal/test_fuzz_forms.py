"""Every form of the portal, posted with generated values, answers without a server error.

Discovery. The demo campaign is seeded once for the test session (tests/conftest.py). Every
named URL of ``tests/portal/test_urls.py`` (with the role that uses it and the URL kwargs built
there) is fetched with GET, and its HTML is parsed with the standard library's
``html.parser``: each ``<form>`` gives its method, its action (the page itself when it has
none) and its fields — inputs with their types and values, selects with their options,
textareas, checkbox and radio values, named submit buttons, file inputs — and each element
with ``hx-post`` outside a form gives a form of its ``hx-vals``. Forms of the same URL name
found on several pages are merged. A new form on any page is therefore fuzzed without editing
this file. ``EXTRA_PAGES`` names the few page states that show more forms (answered questions,
the household page with its visit form open) and ``EXPLICIT_FORMS`` the few forms no page
shows as it is seeded: the register import's confirmation (shown only after a clean upload)
and the large-type and language switch (plain links). ``test_every_url_that_takes_a_post_is_fuzzed``
fails when a URL answers a POST (anything but 405) and is neither discovered nor listed, so
coverage cannot shrink unseen.

Strategies. For each example hypothesis picks a plan: every field valid-looking (a rendered
value, one of the options, a number, a date, a drawn signature), one field hostile and the rest
valid (so the hostile value reaches the code behind the form's checks), or every field mixed.
Hostile values: empty, 10,000 characters, CJK, emoji, right-to-left text, NUL bytes, HTML and
script, SQL, numbers out of range (-1, 1e309, NaN, Infinity, 99999999999999), malformed dates,
header injection, repeated keys, missing fields; files are random bytes, impostors, a truncated
zip posing as Excel, a tiny valid PNG or JPEG, a PDF, a register CSV with hostile cells.
Each example posts as the role that may use the form, with or without ``HX-Request``.
Examples are derandomized (``derandomize=True``, no example database), so CI runs the same
examples every time; the all-valid submission is always among them (hypothesis tries the
simplest example first).

Isolation. What this module adds to the demo lives in a transaction rolled back when the module
ends; each example runs in a savepoint rolled back after it, so no example sees another's
records. The cache (the questions' rate limit) is cleared and the client address changes with
every example, so a 429 or a django-axes lockout never hides what later examples would reach.
After every example of a form that touches consents, ``verify_consents`` must still pass.

Assertions. Every answer is below 500; the test client re-raises any exception a view lets
escape, so a crash fails the example too. A post that is not refused is followed: the page it
redirects to is fetched (and, for the campaign's staff forms and questions, the public project
and question pages), and a page that answers with a form carrying something new (the import's
preview and its token) is posted back unchanged, so a stored value that breaks a later page or
step is caught. ``FUZZ_EXAMPLES=500`` runs more examples per form locally.
"""

import base64
import io
import json
import os
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from campaigns.models import Campaign
from households.models import Household, Owner
from households.register import HEADERS
from portal.demo_data import DEMO_PASSWORD
from tests.consultations.signatures import data_url, png_bytes
from tests.portal.test_urls import SITE_URLS, kept_packet_file, site_url, works_of_demo

# Examples per form in CI; FUZZ_EXAMPLES=500 digs deeper locally.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 20))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Page states that show forms the plain URL does not: (URL name, role, query string).
EXTRA_PAGES = [
    ("campaigns:questions", "secretary", "?show=answered"),
    ("campaigns:milestones", "secretary", ""),
    ("consultations:household", "grid1", "?log=1"),
    ("absentee household", "grid1", ""),  # owners living elsewhere are traced
    ("works:schedules", "secretary", ""),  # starting a schedule
    ("works:site_schedule", "secretary", ""),  # marking steps, moving the opening date
    ("closed issue", "secretary", ""),  # the secretary reopens a closed issue
]

# Forms no page shows as seeded: URL name → (method, role, {field name: kind or options}).
EXPLICIT_FORMS = {
    # The confirmation step of the register import appears only after a clean upload.
    "dashboard:import#confirm": ("post", "secretary", {"token": "hidden"}),
    # The large-type and language switches are links (no token needed), not forms.
    "display": ("get", "anonymous", {"size": ["large", "normal"], "language": ["en", "zh-hans"]}),
    # Removing a matter is a button on the draft's page, which no seeded URL shows.
    "consultations:remove_matter": ("post", "secretary", {}),
}
# Forms whose examples must leave every consent verifiable.
TOUCHES_CONSENTS = {
    "consultations:sign",
    "consultations:erase_household_data",
    "consultations:edit_proposal",
    "consultations:publish_proposal",
    "dashboard:import",
}
MUTED_FIELDS = {"csrfmiddlewaretoken"}
# What residents see of the campaign's public record, fetched after every post of a staff form
# or a question that was not refused (the other forms lead to the page that shows what they
# saved, which is fetched too).
WITNESS_PAGES = [("public_campaign", "anonymous"), ("public_questions", "anonymous")]


# --- discovery --------------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str
    options: list[str] = field(default_factory=list)  # radio, checkbox, select, submit values
    defaults: list[str] = field(default_factory=list)  # rendered values
    multiple: bool = False


@dataclass
class Form:
    name: str  # the URL name of its action
    method: str
    url: str
    role: str
    multipart: bool = False
    htmx: bool = False
    fields: dict[str, Field] = field(default_factory=dict)

    def add(self, name: str, kind: str, value: str | None = None, *, option=False, multiple=False):
        if not name or name in MUTED_FIELDS:
            return
        known = self.fields.setdefault(name, Field(name, kind, multiple=multiple))
        if kind in {"checkbox", "select-multiple"}:
            known.multiple = True
        if value is not None:
            target = known.options if option else known.defaults
            if value not in target:
                target.append(value)

    def as_sent(self) -> dict:
        """What a person who changes nothing sends: rendered values, the first choice."""
        sent = {}
        for name, each in self.fields.items():
            if each.kind != "file" and (each.defaults or each.options):
                sent[name] = (each.defaults or each.options)[0]
        return sent

    def merge(self, other: "Form") -> None:
        self.multipart |= other.multipart
        self.htmx |= other.htmx
        for name, each in other.fields.items():
            mine = self.fields.setdefault(name, Field(name, each.kind, multiple=each.multiple))
            mine.options += [o for o in each.options if o not in mine.options]
            mine.defaults += [d for d in each.defaults if d not in mine.defaults]


class FormFinder(HTMLParser):
    """The forms of one page, and its hx-post elements outside any form."""

    def __init__(self, page_url: str, role: str):
        super().__init__(convert_charrefs=True)
        self.page_url, self.role = page_url, role
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.option: list | None = None  # [value or None, text]
        self.textarea: list | None = None  # [name, text]

    def new_form(self, method: str, action: str, attrs: dict) -> Form:
        url = action or self.page_url
        try:
            name = resolve(urlsplit(url).path).view_name
        except Resolver404:
            name = f"?{url}"
        enctype = attrs.get("enctype") or attrs.get("hx-encoding") or ""
        return Form(
            name=name,
            method=method,
            url=url,
            role=SITE_URLS.get(name, self.role),
            multipart="multipart" in enctype,
            htmx=any(key.startswith("hx-") for key in attrs),
        )

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            method = (a.get("method") or "get").lower()
            self.form = self.new_form(method, a.get("hx-post") or a.get("action", ""), a)
            return
        if self.form is None:
            if a.get("hx-post"):
                loose = self.new_form("post", a["hx-post"], a)
                for name, value in json.loads(a.get("hx-vals") or "{}").items():
                    loose.add(name, "hidden", str(value))
                self.forms.append(loose)
            return
        form, name = self.form, a.get("name", "")
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"checkbox", "radio", "submit"}:
                form.add(name, kind, a.get("value", "on"), option=True)
                if "checked" in a:
                    form.add(name, kind, a.get("value", "on"))
            elif kind == "file":
                form.add(name, "file", multiple="multiple" in a)
            else:
                form.add(name, kind, a.get("value"))
        elif tag == "button" and name:
            form.add(name, "submit", a.get("value", ""), option=True)
        elif tag == "select":
            self.select = name
            form.add(name, "select-multiple" if "multiple" in a else "select")
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), ""]
            if "selected" in a and a.get("value") is not None:
                form.add(self.select, "select", a["value"])
        elif tag == "textarea":
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None
        elif tag == "option" and self.option is not None and self.form is not None:
            value = self.option[0] if self.option[0] is not None else self.option[1].strip()
            self.form.add(self.select, "select", value, option=True)
            self.option = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            self.form.add(self.textarea[0], "textarea", self.textarea[1].lstrip("\n"))
            self.textarea = None


@dataclass
class Portal:
    users: dict
    campaign: Campaign
    household: Household
    urls: dict[str, str]  # URL name → a real URL
    forms: dict[str, Form]  # "method name" → the merged form
    posts_accepted: set[str]  # URL names that answer a POST with anything but 405


def client_as(portal: Portal, role: str, address: str = "127.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    if role != "anonymous":
        client.force_login(portal.users[role])
    return client


def is_page(url: str) -> bool:
    """HTML pages, not the PDF, spreadsheet and JSON downloads (they carry no forms)."""
    return "." not in urlsplit(url).path.rsplit("/", 1)[-1]


def discover(portal: Portal) -> None:
    pages = [(name, role, "") for name, role in SITE_URLS.items()] + EXTRA_PAGES
    for name, role, query in pages:
        url = portal.urls[name]
        if not is_page(url):
            continue
        response = client_as(portal, role).get(url + query)
        if response.status_code == 302:  # a fragment for htmx, a redirect otherwise
            response = client_as(portal, role).get(url + query, HTTP_HX_REQUEST="true")
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            finder = FormFinder(url, role)
            finder.feed(response.content.decode())
            for form in finder.forms:
                key = f"{form.method} {form.name}"
                if key in portal.forms:
                    portal.forms[key].merge(form)
                else:
                    portal.forms[key] = form
    for name, (method, role, fields) in EXPLICIT_FORMS.items():
        form = Form(name=name, method=method, url=portal.urls[name.split("#")[0]], role=role)
        for field_name, kind in fields.items():
            for option in kind if isinstance(kind, list) else []:
                form.add(field_name, "select", option, option=True)
            if not isinstance(kind, list):
                form.add(field_name, kind)
        portal.forms[f"{method} {name}"] = form


def posts_accepted(portal: Portal) -> set[str]:
    accepted = set()
    for name, role in SITE_URLS.items():
        with transaction.atomic():
            if client_as(portal, role).post(portal.urls[name]).status_code != 405:
                accepted.add(name)
            transaction.set_rollback(True)
    return accepted


def same_name_in_two_flats(household) -> None:
    """The household's owner's name and phone given to a neighbour's owner too."""
    owner = household.owners.first()
    neighbour = Owner.objects.filter(household__unit=household.unit_id).exclude(household=household)
    neighbour.filter(pk=neighbour.first().pk).update(name=owner.name, phone=owner.phone)


@pytest.fixture(scope="module")
def portal(demo, django_db_blocker):
    """The demo campaign (tests/conftest.py), with what this module adds to it rolled back when
    the module ends."""
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        works = works_of_demo(demo.campaign)  # a site of 1栋1单元, its contractor and issues
        users = demo.users
        campaign = demo.campaign
        household = (
            Household.objects.for_user(users["grid1"])
            .filter(visits__isnull=False, consents__isnull=False)
            .first()
        )
        kept = {"users": users, "campaign": campaign, "household": household}
        kept["packet_file"] = kept_packet_file(campaign)
        same_name_in_two_flats(household)  # the people screen then offers to link them
        urls = {name: site_url(name, kept) for name in SITE_URLS}
        absentee = Household.objects.for_user(users["grid1"]).filter(occupancy="absentee")
        urls["absentee household"] = absentee.first().get_absolute_url()
        urls["closed issue"] = reverse("works:issue", args=[works.closed.pk])
        portal = Portal(users, campaign, household, urls, {}, set())
        discover(portal)
        portal.posts_accepted = posts_accepted(portal)
        yield portal
        transaction.set_rollback(True)
    cache.clear()


# --- strategies -------------------------------------------------------------------------------

HOSTILE_TEXT = [
    "",
    " ",
    "x" * 10_000,
    "宁康园" * 3_400,
    "宁康园社区 1栋1单元",
    "😀🏠👵🏻‍🦽",
    "\u202eطابق\u202c שלום",
    "a\x00b",
    "\x00",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "'; DROP TABLE households_household; --",
    "-1",
    "0",
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "-Infinity",
    "99999999999999",
    "9" * 40,
    "0.0000001",
    "1,000.5",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "2026-13-01T25:61",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "../../etc/passwd",
    "%00",
    "\r\nSet-Cookie: x=1",
    "new\nline",
    "null",
    "[]",
    '{"a": 1}',
    "http://evil.example/",
    "//evil.example",
    "javascript:alert(1)",
    "00000000-0000-0000-0000-000000000000",
]
hostile = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
)
numbers = st.one_of(
    st.integers(-10, 10**6).map(str),
    st.decimals(min_value=-1, max_value=10**7, places=2, allow_nan=False).map(str),
)
NOW = timezone.localtime().replace(tzinfo=None)
# Valid-looking dates are near today (a visit is in the past, a next step in the future);
# hostile ones span the calendar.
near_dates = st.dates(NOW.date() - timedelta(days=30), NOW.date() + timedelta(days=400))
near_datetimes = st.datetimes(NOW - timedelta(days=30), NOW - timedelta(hours=1))
any_dates = st.dates()
any_datetimes = st.datetimes()
short_text = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=30)


def as_date(strategy):
    return strategy.map(lambda day: day.isoformat())


def as_datetime(strategy):
    return strategy.map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M"))


TYPED = {
    "number": numbers,
    "date": as_date(near_dates),
    "datetime-local": as_datetime(near_datetimes),
}
EDGE_NUMBERS = ["-1", "99999999999999", "800000", "1e309", "NaN", "Infinity", "0.001", "1e-7"]
EDGE_DATES = ["0001-01-01", "0001-01-02", "9999-12-31", "2026-02-30", "1900-01-01"]
EDGES = {
    "number": EDGE_NUMBERS,
    "date": EDGE_DATES,
    "datetime-local": [f"{day}T00:00" for day in EDGE_DATES] + ["9999-12-31T23:59"],
}
HOSTILE_TYPED = {
    "number": st.one_of(
        st.sampled_from(EDGE_NUMBERS), numbers, st.integers().map(str), st.floats().map(str)
    ),
    "date": st.one_of(st.sampled_from(EDGE_DATES), as_date(any_dates), as_datetime(any_datetimes)),
    "datetime-local": st.one_of(
        st.sampled_from([f"{day}T00:00" for day in EDGE_DATES]),
        as_datetime(any_datetimes),
        as_date(any_dates),
    ),
}


def jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


REGISTER_ROW = ["1栋", "1单元", "2", "201", "88.50", "李四", "13900000000", "自住"]


def register_csv(cells: list[str]) -> bytes:
    header = ",".join(HEADERS.values())
    row = ",".join(json.dumps(cell, ensure_ascii=False) for cell in cells)
    return f"{header}\n1栋,1单元,1,101,88.50,张三,13800000000,自住\n{row}\n".encode()


file_bodies = st.one_of(
    st.sampled_from(
        [
            png_bytes(),
            jpeg(),
            b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            b"GIF89a\x01\x00\x01\x00",
            b"PK\x03\x04" + b"\x00" * 40,  # a zip cut short, posing as Excel
            b"\xff\xd8\xff\xe0" + b"\x00" * 30,  # a JPEG header and nothing else
            "楼栋,单元\n".encode("gbk") + b"\xff\xfe\x00",
            b"",
        ]
    ),
    st.binary(max_size=2_000),
    st.lists(hostile, min_size=8, max_size=8).map(register_csv),
)
file_names = st.sampled_from(
    ["scan.png", "photo.jpg", "form.pdf", "台账.csv", "register.xlsx", "x", "a" * 300 + ".png"]
)
uploads = st.builds(
    lambda name, body, kind: SimpleUploadedFile(name, body, content_type=kind),
    file_names,
    file_bodies,
    st.sampled_from(["image/png", "image/jpeg", "application/pdf", "text/csv", "text/html"]),
)


def hints(portal: Portal) -> dict[str, list[str]]:
    """Values that are valid for a field of that name, where the page cannot show one."""
    return {
        "username": [*portal.users, "nobody"],
        "password": [DEMO_PASSWORD],
        "room": [portal.household.room],
        "agent_name": ["赵律师"],
        "agent_id_tail": ["123X", "0000"],
        "signature": [data_url(png_bytes()), data_url(png_bytes(ink=False))],
        "reason": ["房屋已出售，原业主申请删除个人信息。"],
        "title": ["电梯井道施工"],
        "body": ["电梯什么时候开始施工？"],
        "answer": ["预计下月开工。"],
        "text": ["下周公示分摊方案"],
        "next": ["/", "/c/ningkang-2026/"],
    }


def valid_values(item: Field, hinted: list[str]):
    """Lists of values a person could have sent for this field."""
    if item.kind == "file":
        good = st.sampled_from([png_bytes(), jpeg(), register_csv(REGISTER_ROW)])
        named = st.builds(lambda b: SimpleUploadedFile("a.png", b, "image/png"), good)
        return st.lists(named, min_size=0, max_size=2 if item.multiple else 1)
    if item.options:
        choices = st.sampled_from(item.options)
        if item.multiple:
            return st.lists(choices, max_size=len(item.options), unique=True)
        return st.lists(choices, min_size=1, max_size=1)
    if item.kind == "hidden" and item.defaults:  # what the page put there, as sent back
        return st.lists(st.sampled_from(item.defaults), min_size=1, max_size=1)
    if item.kind == "hidden" and not hinted:
        return st.just([])
    pool = [value for value in item.defaults + hinted if value]  # a person fills in blanks
    typed = TYPED.get(item.kind, short_text)
    single = st.one_of(st.sampled_from(pool), typed) if pool else typed
    return st.lists(single, min_size=1, max_size=1)


def hostile_values(item: Field):
    if item.kind == "file":
        return st.lists(uploads, min_size=1, max_size=8 if item.multiple else 2)
    single = st.one_of(HOSTILE_TYPED.get(item.kind, hostile), hostile)
    if item.name == "signature":
        single = st.one_of(single, file_bodies.map(lambda b: data_url(b)))
        single = st.one_of(single, st.binary(max_size=200).map(base64.b64encode).map(bytes.decode))
    return st.integers(0, 5).flatmap(
        lambda shape: (
            st.just(None)  # the field left out
            if shape == 0
            else st.lists(single, min_size=2, max_size=3)  # repeated keys
            if shape == 1
            else st.lists(single, min_size=1, max_size=1)
        )
    )


@st.composite
def submissions(draw, form: Form, hinted: dict) -> dict:
    """One submission: every field valid, one field hostile, or each field either."""
    plan = draw(st.sampled_from(["valid", "one hostile", "one hostile", "mixed"]))
    names = sorted(form.fields)
    target = draw(st.sampled_from(names)) if names and plan == "one hostile" else None
    data = {}
    for name in names:
        item = form.fields[name]
        bad = name == target or (plan == "mixed" and draw(st.booleans()))
        if bad:
            values = draw(hostile_values(item))
        else:
            values = draw(valid_values(item, hinted.get(name, [])))
        if values:
            data[name] = values if len(values) > 1 else values[0]
    return data


def send(client: Client, form: Form, data: dict, headers: dict):
    if form.method == "get":
        return client.get(form.url, data, **headers)
    if form.multipart or any(isinstance(v, SimpleUploadedFile) for v in flat(data)):
        return client.post(form.url, data, **headers)
    body = urlencode(data, doseq=True)
    return client.post(form.url, body, "application/x-www-form-urlencoded", **headers)


def flat(data: dict) -> list:
    return [v for value in data.values() for v in (value if isinstance(value, list) else [value])]


def next_step(form: Form, response) -> Form | None:
    """The form a page answers a post with to go on, carrying what the post left (a token):
    the same action with hidden values the first form did not have."""
    if form.method != "post" or response.status_code != 200:
        return None
    if "html" not in response.get("Content-Type", ""):
        return None
    finder = FormFinder(form.url, form.role)
    finder.feed(response.content.decode())
    for found in finder.forms:
        carried = {name for name, f in found.fields.items() if f.kind == "hidden" and f.defaults}
        if found.method == "post" and found.name == form.name and carried - set(form.fields):
            return found
    return None


def filled_in(form: Form, hinted: dict) -> dict:
    """What a careful person sends: rendered values, the first choice, every blank filled."""
    today = timezone.localdate()
    typed = {"number": "1", "date": (today + timedelta(days=7)).isoformat()}
    typed["datetime-local"] = (NOW - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    sent = {}
    for name, each in form.fields.items():
        given = [value for value in each.defaults if value] + hinted.get(name, [])
        if each.kind == "file":
            continue
        if each.kind in {"checkbox", "submit"}:
            if each.defaults:
                sent[name] = each.defaults[0]
        elif given or each.options or (each.kind == "hidden" and each.defaults):
            sent[name] = (given or each.defaults or each.options)[0]
        elif each.kind == "hidden":
            continue
        else:
            sent[name] = typed.get(each.kind, "测试")
    return sent


def edge_cases(form: Form, hinted: dict) -> list[tuple[str, str, dict]]:
    """Every edge value of every number and date field (the first row of a formset only),
    one field at a time, the rest filled in."""
    cases = []
    for name, each in sorted(form.fields.items()):
        row = name.split("-")
        if each.kind not in EDGES or (len(row) == 3 and row[1] != "0"):
            continue
        for edge in EDGES[each.kind]:
            cases.append((name, edge, filled_in(form, hinted) | {name: edge}))
    return cases


def consents_verify() -> bool:
    try:
        call_command("verify_consents", stdout=StringIO(), stderr=StringIO())
    except SystemExit as exit:
        return not exit.code
    return True


def fuzz(portal: Portal, form: Form) -> Counter:
    """Run the examples of one form; how many answered each status code."""
    hinted = hints(portal)
    addresses = iter(range(1, 10**6))
    statuses = Counter()
    public = form.name.startswith("campaigns:") or form.name == "ask"
    witnesses = [(client_as(portal, role), portal.urls[name]) for name, role in WITNESS_PAGES]
    witnesses = witnesses if public else []

    @FUZZ
    @given(data=submissions(form, hinted), htmx=st.booleans())
    def example(data, htmx):
        cache.clear()  # rate-limit counters
        n = next(addresses)
        address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        note(f"{form.method.upper()} {form.url} as {form.role}, htmx={htmx}")
        with transaction.atomic():
            client = client_as(portal, form.role, address)
            response = send(client, form, data, headers)
            statuses[str(response.status_code)] += 1
            assert response.status_code < 500, response.content[:2000]
            if form.method == "post" and response.status_code < 400:
                # What was saved is shown again: where the form leads, and the public pages.
                target = response.get("HX-Redirect") or response.get("Location") or ""
                pages = [(client, target)] if target.startswith("/") else []
                for page in [*pages, *witnesses]:
                    cache.clear()  # the public page is cached for a minute
                    shown = page[0].get(page[1])
                    assert shown.status_code < 500, f"{page[1]}: {shown.content[:2000]}"
            if step := next_step(form, response):  # e.g. confirming a previewed import
                followed = send(client, step, step.as_sent(), headers)
                statuses[f"then {followed.status_code}"] += 1
                assert followed.status_code < 500, followed.content[:2000]
            if form.name in TOUCHES_CONSENTS:
                assert consents_verify(), "a consent no longer matches its hash"
            transaction.set_rollback(True)

    example()
    return statuses


# --- tests ------------------------------------------------------------------------------------

# The forms the portal has today: discovery must keep finding them all.
EXPECTED_FORMS = {
    "post login",
    "post logout",
    "post set_language",
    "post ask",
    "get public_questions",
    "get display",
    "post consultations:log_visit",
    "post consultations:edit_visit",
    "post consultations:log_trace",
    "post consultations:sign",
    "post consultations:erase_household_data",
    "post consultations:new_proposal",
    "post consultations:edit_proposal",
    "post consultations:publish_proposal",
    "post consultations:add_matter",
    "post consultations:edit_matter",
    "post consultations:remove_matter",
    "post consultations:request_packet",
    "post campaigns:new_update",
    "post campaigns:edit_update",
    "post campaigns:publish_update",
    "post campaigns:new_meeting",
    "post campaigns:edit_meeting",
    "post campaigns:decision_status",
    "post campaigns:add_milestone",
    "post campaigns:edit_milestone",
    "post campaigns:set_target",
    "post campaigns:answer_question",
    "post campaigns:moderate_question",
    "post dashboard:import",
    "post dashboard:import#confirm",
    "post money:campaign",
    "post money:fund_accounts",
    "post money:post_notice",
    "post money:record_approval",
    "post money:record_entry",
    "post money:reverse_entry",
    "post money:settlement",
    "post money:publish_settlement",
    "post works:record_inspection",
    "post works:record_registration",
    "post works:record_opening",
    "post works:record_handover",
    "post works:report_fault",
    "post works:answer_ticket",
    "post works:fix_ticket",
    "post works:start_schedule",
    "post works:mark_step",
    "post works:move_opening",
    "post works:edit_step",
    "post works:new_standup",
    "post works:close_action",
    "post works:new_party",
    "post works:edit_party",
    "post works:new_account",
    "post works:reset_password",
    "post works:freeze_packet",
    "post works:add_review",
    "post works:record_contract",
    "post works:new_inspection",
    "post works:close_issue",
    "post works:reopen_issue",
    "post works:report_problem",
    "post works:accept_report",
    "post works:decline_report",
    "post works:publish_photo",
    "post works:noise_notice",
}


def test_every_url_that_takes_a_post_is_fuzzed(portal, db):
    fuzzed = {form.name.split("#")[0] for form in portal.forms.values() if form.method == "post"}
    assert portal.posts_accepted - fuzzed == set()
    assert EXPECTED_FORMS - set(portal.forms) == set()


def test_the_forms_are_discovered_with_their_fields(portal, db):
    visit = portal.forms["post consultations:log_visit"].fields
    assert {"channel", "reached", "attitude", "concerns", "visited_at", "idempotency_key"} <= set(
        visit
    )
    assert visit["concerns"].multiple and len(visit["concerns"].options) > 2
    sign = portal.forms["post consultations:sign"]
    assert sign.multipart and sign.fields["scan"].kind == "file"
    assert sign.fields["attorney_letter"].kind == "file"
    assert {"decision_1", "capacity", "signer_owner", "agent_name", "agent_id_tail"} <= set(
        sign.fields
    )
    assert {"owner", "agent"} <= set(sign.fields["capacity"].options)
    assert "signer_name" not in sign.fields  # the signer is chosen, never typed
    assert portal.forms["post campaigns:new_update"].fields["photos"].multiple
    assert "floors-TOTAL_FORMS" in portal.forms["post consultations:edit_proposal"].fields
    assert {"publish", "hide"} <= set(
        portal.forms["post campaigns:moderate_question"].fields["action"].options
    )


def test_every_form_answers_generated_values_without_a_server_error(portal, db):
    failures, runs = {}, {}
    for key, form in sorted(portal.forms.items()):
        try:
            runs[key] = fuzz(portal, form)
        except Exception:  # every form's failure is reported, not only the first
            failures[key] = traceback.format_exc()
    assert not failures, "\n\n".join(f"{key}:\n{text}" for key, text in failures.items())
    total = sum(sum(statuses.values()) for statuses in runs.values())
    print(f"\n{len(runs)} forms, {total} examples")
    for key, statuses in runs.items():
        print(f"  {key}: {dict(sorted(statuses.items()))}")
    assert consents_verify()


def test_every_number_and_date_field_takes_its_edge_values_without_a_server_error(portal, db):
    """Hypothesis rarely draws one exact boundary; here each is posted deliberately, one field
    at a time, with everything else valid so the value reaches the code behind the form."""
    hinted, errors, posted = hints(portal), {}, 0
    for key, form in sorted(portal.forms.items()):
        for name, edge, data in edge_cases(form, hinted):
            posted += 1
            with transaction.atomic():
                cache.clear()
                try:
                    response = send(client_as(portal, form.role), form, data, {})
                    if response.status_code >= 500:
                        errors[f"{key} {name}={edge}"] = response.status_code
                except Exception as error:  # every failure is reported, not only the first
                    errors[f"{key} {name}={edge}"] = f"{type(error).__name__}: {error}"
                transaction.set_rollback(True)
    assert posted > 100
    assert not errors, errors


def test_consents_still_verify_after_the_fuzzing(portal, db):
    assert consents_verify()
