"""Who gets what: every URL of the site, as each kind of visitor, on real demo objects.

The objects are the demo's (seed_demo, tests/conftest.py): a household of 1栋1单元 (grid1's
unit, in lead1's building) with visits and a signed consent, its unit, building, published
proposal, a draft, the campaign.
Each visitor asks with the method the URL is used with (an empty POST for the forms), inside a
transaction that is rolled back, so one visitor's answer cannot change the next one's (and
logs out last).

A new URL without a row here fails ``test_every_url_has_a_row_in_the_matrix``: deciding who may
use it is part of adding it.
"""

import pytest
from django.contrib.admin import RelatedFieldListFilter
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse

from campaigns.models import Community, PartyKind, Role
from households.models import Owner
from tests.factories import make_assignment, make_party, make_user
from tests.portal import test_urls
from tests.portal.test_urls import POSTED, in_service_site, named_patterns, site_url
from works import completion

pytestmark = pytest.mark.django_db
site = test_urls.site  # the demo: its users, a household of 1栋1单元, a kept packet file

VISITORS = [
    "anonymous",  # a resident reading the public pages
    "no role",  # logged in, but assigned nowhere
    "grid worker elsewhere",  # grid2: building 2栋 of the same campaign
    "grid worker here",  # grid1: unit 1栋1单元
    "building lead here",  # lead1: building 1栋
    "secretary elsewhere",  # the secretary of another community
    "secretary",  # the secretary of 宁康园社区
]
USERNAMES = {"grid worker elsewhere": "grid2", "grid worker here": "grid1"}
USERNAMES |= {"building lead here": "lead1", "secretary": "secretary"}

LOGIN = 302  # anonymous visitors are sent to log in
# answers, in the order of VISITORS
MATRIX = {
    # public: no login, nothing personal
    "home": (200, 200, 200, 200, 200, 200, 200),
    "healthz": (200, 200, 200, 200, 200, 200, 200),
    "favicon": (302, 302, 302, 302, 302, 302, 302),  # to the static icon
    "public_campaign": (200, 200, 200, 200, 200, 200, 200),
    "public_questions": (200, 200, 200, 200, 200, 200, 200),
    "ask": (422, 422, 422, 422, 422, 422, 422),  # an empty question is refused, for anyone
    "verify_consent": (200, 200, 200, 200, 200, 200, 200),
    "display": (302, 302, 302, 302, 302, 302, 302),
    "set_language": (302, 302, 302, 302, 302, 302, 302),
    "login": (200, 302, 302, 302, 302, 302, 302),  # the logged-in go to their start page
    "logout": (302, 302, 302, 302, 302, 302, 302),
    # the installable app: its worker and manifest are public (nothing personal in them)
    "service_worker": (200, 200, 200, 200, 200, 200, 200),
    "manifest": (200, 200, 200, 200, 200, 200, 200),
    # what a tablet keeps offline: each user's own list (empty for those assigned nowhere)
    "offline_scope": (LOGIN, 200, 200, 200, 200, 200, 200),
    "offline_page": (LOGIN, 200, 200, 200, 200, 200, 200),
    # start pages and lists of one's own work (empty for those assigned nowhere)
    "start": (LOGIN, 403, 302, 302, 302, 302, 302),
    "consultations:my_doors": (LOGIN, 200, 200, 200, 200, 200, 200),
    "consultations:follow_ups": (LOGIN, 200, 200, 200, 200, 200, 200),
    "consultations:activity": (LOGIN, 200, 200, 200, 200, 200, 200),
    "dashboard:index": (LOGIN, 200, 302, 302, 302, 200, 302),
    "campaigns:list": (LOGIN, 200, 302, 302, 302, 200, 302),
    # the secretary's own pages
    "secretary": (LOGIN, 403, 403, 403, 403, 200, 200),
    "audit_trail": (LOGIN, 403, 403, 403, 403, 200, 200),
    # one household of 1栋1单元: its workers and the secretary; a 404 for everyone else
    "consultations:household": (LOGIN, 404, 404, 200, 200, 404, 200),
    "consultations:log_visit": (LOGIN, 404, 404, 422, 422, 404, 422),
    "consultations:edit_visit": (LOGIN, 404, 404, 200, 200, 404, 200),
    "consultations:log_trace": (LOGIN, 404, 404, 422, 403, 404, 422),  # leads do not trace
    "consultations:sign": (LOGIN, 404, 404, 422, 403, 404, 422),  # leads do not take signatures
    # the needs heard at the door: workers and leads record them (an empty post clears them)
    "consultations:record_needs": (LOGIN, 404, 404, 302, 302, 404, 302),
    "consultations:signature_file": (LOGIN, 404, 404, 200, 200, 404, 200),
    "consultations:attorney_letter_file": (LOGIN, 404, 404, 200, 200, 404, 200),
    "consultations:cost_sheet": (LOGIN, 404, 404, 200, 200, 404, 200),
    "consultations:consent_form": (LOGIN, 404, 404, 200, 200, 404, 200),
    # the full phone number: only for those who call (the secretary sees it masked)
    "consultations:owner_phone": (LOGIN, 404, 404, 200, 200, 404, 403),
    # a household's personal data on request: the secretary only
    "consultations:export_household_data": (LOGIN, 404, 404, 403, 403, 404, 200),
    "consultations:erase_household_data": (LOGIN, 404, 404, 403, 403, 404, 200),
    # who owns which flats (one person, one head): the community's secretary only
    "consultations:people": (LOGIN, 404, 403, 403, 403, 404, 200),
    "consultations:link_owners": (LOGIN, 404, 403, 403, 403, 404, 422),
    "consultations:split_owner": (LOGIN, 404, 403, 403, 403, 404, 302),
    "consultations:person_kind": (LOGIN, 404, 403, 403, 403, 404, 422),
    # the unit and building
    "consultations:unit_consent": (LOGIN, 404, 404, 200, 200, 404, 200),
    "consultations:unit_walk_sheet": (LOGIN, 404, 404, 200, 200, 404, 200),
    "consultations:building_walk_sheet": (LOGIN, 404, 404, 200, 200, 404, 200),
    "consultations:unit_proposals": (LOGIN, 404, 404, 200, 200, 404, 200),
    "consultations:proposal": (LOGIN, 404, 404, 200, 200, 404, 200),
    "consultations:new_proposal": (LOGIN, 404, 404, 403, 403, 404, 302),
    "consultations:edit_proposal": (LOGIN, 404, 404, 403, 403, 404, 200),
    "consultations:publish_proposal": (LOGIN, 404, 404, 403, 403, 404, 302),
    "consultations:add_matter": (LOGIN, 404, 404, 403, 403, 404, 200),
    "consultations:edit_matter": (LOGIN, 404, 404, 403, 403, 404, 200),
    "consultations:remove_matter": (LOGIN, 404, 404, 403, 403, 404, 302),
    # the consent packets name every owner: the community's secretary only
    "consultations:unit_packet": (LOGIN, 404, 404, 404, 404, 404, 200),
    "consultations:campaign_packet": (LOGIN, 404, 404, 404, 404, 404, 302),
    "consultations:packet_page": (LOGIN, 404, 404, 404, 404, 404, 200),
    "consultations:request_packet": (LOGIN, 404, 404, 404, 404, 404, 302),
    "consultations:packet_status": (LOGIN, 404, 404, 404, 404, 404, 302),
    "consultations:packet_download": (LOGIN, 404, 404, 404, 404, 404, 200),
    # the dashboard: everyone on the campaign sees their own part; the register is the
    # secretary's
    "dashboard:campaign": (LOGIN, 404, 200, 200, 200, 404, 200),
    # who needs help while the lift is out: each role its own households (staff only)
    "consultations:outage_help": (LOGIN, 404, 200, 200, 200, 404, 200),
    "consultations:outage_help_pdf": (LOGIN, 404, 200, 200, 200, 404, 200),
    "dashboard:grid": (LOGIN, 404, 200, 200, 200, 404, 200),
    "dashboard:export_xlsx": (LOGIN, 404, 403, 403, 403, 404, 200),
    "dashboard:export_csv": (LOGIN, 404, 403, 403, 403, 404, 200),
    "dashboard:import": (LOGIN, 404, 403, 403, 403, 404, 422),
    # the campaign's public record, kept by its staff (campaign-wide, not per building)
    "campaigns:hub": (LOGIN, 404, 200, 200, 200, 404, 200),
    "campaigns:updates": (LOGIN, 404, 200, 200, 403, 404, 200),
    "campaigns:new_update": (LOGIN, 404, 200, 200, 403, 404, 200),
    "campaigns:edit_update": (LOGIN, 404, 200, 200, 403, 404, 200),
    "campaigns:publish_update": (LOGIN, 404, 302, 302, 403, 404, 302),
    "campaigns:meetings": (LOGIN, 404, 200, 200, 200, 404, 200),
    "campaigns:new_meeting": (LOGIN, 404, 200, 200, 403, 404, 200),
    "campaigns:edit_meeting": (LOGIN, 404, 200, 200, 403, 404, 200),
    "campaigns:decision_status": (LOGIN, 404, 302, 302, 403, 404, 302),
    "campaigns:milestones": (LOGIN, 404, 200, 200, 200, 404, 200),
    "campaigns:add_milestone": (LOGIN, 404, 403, 403, 403, 404, 422),
    "campaigns:edit_milestone": (LOGIN, 404, 200, 200, 403, 404, 200),
    "campaigns:set_target": (LOGIN, 404, 403, 403, 403, 404, 422),
    "campaigns:questions": (LOGIN, 404, 200, 200, 403, 404, 200),
    "campaigns:answer_question": (LOGIN, 404, 422, 422, 403, 404, 422),
    "campaigns:moderate_question": (LOGIN, 404, 403, 403, 403, 404, 302),
    "daily_summary": (LOGIN, 404, 200, 200, 403, 404, 200),
    # money: the secretary keeps the campaign's money (settings, outstanding list, the fund
    # application, payments, the settlement); the unit's grid workers see its fund notice,
    # its households' balances and receipts and its settlement; building leads see no money
    "money:campaign": (LOGIN, 404, 403, 403, 403, 404, 200),
    "money:outstanding": (LOGIN, 404, 403, 403, 403, 404, 200),
    "money:fund": (LOGIN, 404, 404, 200, 403, 404, 200),
    "money:fund_accounts": (LOGIN, 404, 404, 403, 403, 404, 422),
    "money:post_notice": (LOGIN, 404, 404, 403, 403, 404, 422),
    "money:notice_pdf": (LOGIN, 404, 404, 200, 403, 404, 200),
    "money:fund_packet": (LOGIN, 404, 404, 403, 403, 404, 200),
    "money:contract": (LOGIN, 404, 404, 403, 403, 404, 200),
    "money:record_approval": (LOGIN, 404, 404, 403, 403, 404, 422),
    "money:household": (LOGIN, 404, 404, 200, 403, 404, 200),
    "money:record_entry": (LOGIN, 404, 404, 403, 403, 404, 422),
    "money:reverse_entry": (LOGIN, 404, 404, 403, 403, 404, 422),
    "money:receipt": (LOGIN, 404, 404, 200, 403, 404, 200),
    "money:proof": (LOGIN, 404, 404, 200, 403, 404, 200),
    "money:settlement": (LOGIN, 404, 404, 200, 403, 404, 200),
    "money:publish_settlement": (LOGIN, 404, 404, 403, 403, 404, 302),
    "money:settlement_document": (LOGIN, 404, 404, 200, 403, 404, 200),
    # acceptance and handover: the secretary records them
    "works:completion": (LOGIN, 404, 403, 403, 403, 404, 200),
    "works:site_completion": (LOGIN, 404, 403, 403, 403, 404, 200),
    "works:record_inspection": (LOGIN, 404, 403, 403, 403, 404, 422),
    "works:record_registration": (LOGIN, 404, 403, 403, 403, 404, 422),
    "works:record_opening": (LOGIN, 404, 403, 403, 403, 404, 422),
    "works:record_handover": (LOGIN, 404, 403, 403, 403, 404, 422),
    "works:inspection_report": (LOGIN, 404, 403, 403, 403, 404, 200),
    # residents report faults without an account; the tickets go to the maintenance company
    # (MAINTAINER_ANSWERS) and the secretary; everyone else's list is empty
    "works:report_fault": (422, 422, 422, 422, 422, 422, 422),
    "works:my_tickets": (LOGIN, 200, 200, 200, 200, 200, 200),
    "works:ticket": (LOGIN, 404, 404, 404, 404, 404, 200),
    "works:answer_ticket": (LOGIN, 404, 404, 404, 404, 404, 422),
    "works:fix_ticket": (LOGIN, 404, 404, 404, 404, 404, 422),
    # each elevator's schedule: the secretary plans and marks it; the workers and leads of
    # its unit read it; the printable timeline of every elevator is the secretary's
    "works:schedules": (LOGIN, 404, 200, 200, 200, 404, 200),
    "works:timeline_print": (LOGIN, 404, 403, 403, 403, 404, 200),
    "works:start_schedule": (LOGIN, 404, 403, 403, 403, 404, 422),
    "works:site_schedule": (LOGIN, 404, 404, 200, 200, 404, 200),
    "works:move_opening": (LOGIN, 404, 404, 403, 403, 404, 422),
    "works:edit_step": (LOGIN, 404, 404, 403, 403, 404, 200),
    "works:mark_step": (LOGIN, 404, 404, 403, 403, 404, 302),  # an empty mark clears it
    # the daily stand-up: the secretary and the campaign's grid workers, not building leads
    "works:standups": (LOGIN, 404, 200, 200, 403, 404, 200),
    "works:new_standup": (LOGIN, 404, 200, 200, 403, 404, 200),
    "works:standup": (LOGIN, 404, 200, 200, 403, 404, 200),
    "works:close_action": (LOGIN, 404, 422, 422, 403, 404, 422),
    # the parties: everyone on the works reads the list (phones masked), the secretary keeps it
    "works:parties": (LOGIN, 404, 200, 200, 200, 404, 200),
    "works:new_party": (LOGIN, 404, 403, 403, 403, 404, 200),
    "works:edit_party": (LOGIN, 404, 403, 403, 403, 404, 200),
    # the parties' people's logins: the community's secretary only
    "works:accounts": (LOGIN, 404, 403, 403, 403, 404, 200),
    "works:new_account": (LOGIN, 404, 403, 403, 403, 404, 422),
    "works:reset_password": (LOGIN, 404, 403, 403, 403, 404, 200),
    # review and approval: the secretary, the lawyer and the sub-district reviewer
    "works:review_home": (LOGIN, 200, 200, 200, 200, 200, 302),  # one's own, maybe empty
    "works:review_overview": (LOGIN, 404, 403, 403, 403, 404, 200),
    "works:review_unit": (LOGIN, 404, 403, 403, 403, 404, 200),
    "works:freeze_packet": (LOGIN, 404, 403, 403, 403, 404, 302),  # refused: under review
    "works:add_review": (LOGIN, 404, 403, 403, 403, 404, 200),
    "works:record_contract": (LOGIN, 404, 403, 403, 403, 404, 200),
    "works:packet_file": (LOGIN, 404, 404, 404, 404, 404, 200),
    "works:review_document": (LOGIN, 404, 404, 404, 404, 404, 200),
    "works:contract_file": (LOGIN, 404, 404, 404, 404, 404, 200),
    # the daily inspection of 1栋1单元's site: its grid worker and lead, and the secretary;
    # everyone logged in has a list of their own sites (empty for most)
    "works:inspections": (LOGIN, 200, 200, 200, 200, 200, 200),
    "works:inspection": (LOGIN, 404, 404, 200, 200, 404, 200),
    "works:site_inspections": (LOGIN, 404, 404, 200, 200, 404, 200),
    "works:new_inspection": (LOGIN, 404, 404, 200, 200, 404, 200),
    "works:inspection_photo": (LOGIN, 404, 404, 200, 200, 404, 200),
    # issues: the staff of the site see them; only the contractor and the secretary close one,
    # only the secretary reopens one; the contractor's own list is empty for everyone else
    "works:my_issues": (LOGIN, 200, 200, 200, 200, 200, 200),
    "works:issue": (LOGIN, 404, 404, 200, 200, 404, 200),
    "works:issue_photo": (LOGIN, 404, 404, 200, 200, 404, 200),
    "works:close_issue": (LOGIN, 404, 404, 403, 403, 404, 422),
    "works:reopen_issue": (LOGIN, 404, 404, 403, 403, 404, 422),
    "works:issues": (LOGIN, 404, 200, 200, 200, 404, 200),
    # the residents' side of the works: reporting a problem and the published site photos
    # are public; moderating reports and choosing photos are the secretary's; an unpublished
    # photo is for the staff who may see the site's inspections (4栋1单元: nobody here but
    # the secretary)
    "works:report_problem": (422, 422, 422, 422, 422, 422, 422),  # an empty report is refused
    "works:public_photo": (200, 200, 200, 200, 200, 200, 200),
    "works:reports": (LOGIN, 404, 403, 403, 403, 404, 200),
    "works:report": (LOGIN, 404, 403, 403, 403, 404, 200),
    "works:accept_report": (LOGIN, 404, 403, 403, 403, 404, 422),
    "works:decline_report": (LOGIN, 404, 403, 403, 403, 404, 422),
    "works:report_photo": (LOGIN, 404, 403, 403, 403, 404, 200),
    "works:site_photos": (LOGIN, 404, 403, 403, 403, 404, 200),
    "works:publish_photo": (LOGIN, 404, 403, 403, 403, 404, 302),
    "works:site_photo": (LOGIN, 404, 403, 403, 403, 404, 200),
    "works:noise_notice": (LOGIN, 404, 403, 403, 403, 404, 302),
}


# The maintenance company of the elevator the fault was reported on: its tickets, none of the
# secretary's records.
MAINTAINER_ANSWERS = {
    "start": 302,
    "works:completion": 403,
    "works:site_completion": 403,
    "works:record_inspection": 403,
    "works:record_registration": 403,
    "works:record_opening": 403,
    "works:record_handover": 403,
    "works:inspection_report": 403,
    "works:report_fault": 422,
    "works:my_tickets": 200,
    "works:ticket": 200,
    "works:answer_ticket": 422,
    "works:fix_ticket": 422,
}


def test_the_maintenance_company_gets_its_tickets_and_nothing_of_the_secretarys(site):
    urls = {name: site_url(name, site) for name in MAINTAINER_ANSWERS}
    company = completion.standing(in_service_site(site)).handover.maintainer
    client = Client()
    client.force_login(make_assignment(role=Role.MAINTAINER, party=company).user)
    got = {name: answer(client, name, url) for name, url in urls.items()}
    assert got == MAINTAINER_ANSWERS
    elsewhere = make_assignment(role=Role.MAINTAINER, party=make_party(kind=PartyKind.MAINTAINER))
    client.force_login(elsewhere.user)
    assert answer(client, "works:ticket", urls["works:ticket"]) == 404


@pytest.fixture
def visitors(site):
    users = site["users"]
    elsewhere = Community.objects.create(name="别的社区", district="别处")
    clients = {"anonymous": Client()}
    logged_in = {
        "no role": make_user("resident-account"),
        "secretary elsewhere": make_assignment(role=Role.SECRETARY, community=elsewhere).user,
        **{visitor: users[username] for visitor, username in USERNAMES.items()},
    }
    for visitor, user in logged_in.items():
        clients[visitor] = Client()
        clients[visitor].force_login(user)
    return clients


def answer(client: Client, name: str, url: str) -> int:
    with transaction.atomic():
        response = client.post(url) if name in POSTED | {"POST"} else client.get(url)
        transaction.set_rollback(True)
    return response.status_code


def test_every_url_has_a_row_in_the_matrix():
    assert set(MATRIX) == named_patterns(get_resolver().url_patterns)
    assert all(len(row) == len(VISITORS) for row in MATRIX.values())


def test_every_visitor_gets_the_expected_answer_from_every_url(site, visitors):
    urls = {name: site_url(name, site) for name in MATRIX}
    wrong = {}
    for name, expected in sorted(MATRIX.items(), key=lambda item: item[0] == "logout"):
        got = tuple(answer(visitors[v], name, urls[name]) for v in VISITORS)
        if got != expected:
            wrong[name] = {
                v: (e, g) for v, e, g in zip(VISITORS, expected, got, strict=True) if e != g
            }
    assert wrong == {}, "expected vs got: " + repr(wrong)


# The parties' people, each of 宁康园社区 (their roles are community-wide): a lawyer, a
# sub-district reviewer, a contractor's person. They read what review needs and record their
# reviews; none of them reaches a household, a visit, a signature, the register or the
# packets that name owners. A new URL needs a row here too.
PARTY_VISITORS = ["lawyer", "reviewer", "contractor"]
PARTY_MATRIX = {
    "home": (200, 200, 200),
    "healthz": (200, 200, 200),
    "favicon": (302, 302, 302),
    "public_campaign": (200, 200, 200),
    "public_questions": (200, 200, 200),
    "ask": (422, 422, 422),
    "verify_consent": (200, 200, 200),
    "display": (302, 302, 302),
    "set_language": (302, 302, 302),
    "login": (302, 302, 302),
    "start": (302, 302, 302),
    "consultations:my_doors": (200, 200, 200),
    "consultations:follow_ups": (200, 200, 200),
    "consultations:activity": (200, 200, 200),
    "dashboard:index": (302, 302, 302),
    "campaigns:list": (302, 302, 302),
    "secretary": (403, 403, 403),
    "audit_trail": (403, 403, 403),
    "consultations:household": (404, 404, 404),
    "consultations:log_visit": (404, 404, 404),
    "consultations:edit_visit": (404, 404, 404),
    "consultations:log_trace": (404, 404, 404),
    "consultations:sign": (404, 404, 404),
    "consultations:signature_file": (404, 404, 404),
    "consultations:attorney_letter_file": (404, 404, 404),
    "consultations:cost_sheet": (404, 404, 404),
    "consultations:consent_form": (404, 404, 404),
    "consultations:owner_phone": (404, 404, 404),
    "consultations:export_household_data": (404, 404, 404),
    "consultations:erase_household_data": (404, 404, 404),
    "consultations:people": (403, 403, 403),
    "consultations:link_owners": (403, 403, 403),
    "consultations:split_owner": (403, 403, 403),
    "consultations:person_kind": (403, 403, 403),
    "consultations:unit_consent": (404, 404, 404),
    "consultations:unit_walk_sheet": (404, 404, 404),
    "consultations:building_walk_sheet": (404, 404, 404),
    "consultations:unit_proposals": (404, 404, 404),
    "consultations:proposal": (404, 404, 404),
    "consultations:new_proposal": (404, 404, 404),
    "consultations:edit_proposal": (404, 404, 404),
    "consultations:publish_proposal": (404, 404, 404),
    "consultations:add_matter": (404, 404, 404),
    "consultations:edit_matter": (404, 404, 404),
    "consultations:remove_matter": (404, 404, 404),
    "consultations:unit_packet": (404, 404, 404),
    "consultations:campaign_packet": (404, 404, 404),
    "consultations:packet_page": (404, 404, 404),
    "consultations:request_packet": (404, 404, 404),
    "consultations:packet_status": (404, 404, 404),
    "consultations:packet_download": (404, 404, 404),
    "dashboard:campaign": (200, 200, 200),  # with no household in it (no unit of theirs)
    "dashboard:grid": (200, 200, 200),
    "dashboard:export_xlsx": (403, 403, 403),
    "dashboard:export_csv": (403, 403, 403),
    "dashboard:import": (403, 403, 403),
    "campaigns:hub": (200, 200, 200),
    "campaigns:updates": (403, 403, 403),
    "campaigns:new_update": (403, 403, 403),
    "campaigns:edit_update": (403, 403, 403),
    "campaigns:publish_update": (403, 403, 403),
    "campaigns:meetings": (403, 403, 403),
    "campaigns:new_meeting": (403, 403, 403),
    "campaigns:edit_meeting": (403, 403, 403),
    "campaigns:decision_status": (403, 403, 403),
    "campaigns:milestones": (403, 403, 403),
    "campaigns:add_milestone": (403, 403, 403),
    "campaigns:edit_milestone": (403, 403, 403),
    "campaigns:set_target": (403, 403, 403),
    "campaigns:questions": (403, 403, 403),
    "campaigns:answer_question": (403, 403, 403),
    "campaigns:moderate_question": (403, 403, 403),
    "daily_summary": (403, 403, 403),
    "works:parties": (200, 200, 403),
    "works:new_party": (403, 403, 403),
    "works:edit_party": (403, 403, 403),
    "works:accounts": (403, 403, 403),
    "works:new_account": (403, 403, 403),
    "works:reset_password": (403, 403, 403),
    "works:review_home": (302, 302, 200),  # to the one campaign's review; the party's sites
    "works:review_overview": (200, 200, 403),
    "works:review_unit": (200, 200, 403),
    "works:freeze_packet": (403, 403, 403),
    "works:add_review": (200, 200, 403),
    "works:record_contract": (403, 403, 403),
    "works:packet_file": (200, 200, 404),
    "works:review_document": (200, 200, 404),
    "works:contract_file": (200, 200, 404),
    "consultations:outage_help": (403, 403, 403),
    "consultations:outage_help_pdf": (403, 403, 403),
    "consultations:record_needs": (404, 404, 404),
    "manifest": (200, 200, 200),
    "money:campaign": (403, 403, 403),
    "money:contract": (404, 404, 404),
    "money:fund": (404, 404, 404),
    "money:fund_accounts": (404, 404, 404),
    "money:fund_packet": (404, 404, 404),
    "money:household": (404, 404, 404),
    "money:notice_pdf": (404, 404, 404),
    "money:outstanding": (403, 403, 403),
    "money:post_notice": (404, 404, 404),
    "money:proof": (404, 404, 404),
    "money:publish_settlement": (404, 404, 404),
    "money:receipt": (404, 404, 404),
    "money:record_approval": (404, 404, 404),
    "money:record_entry": (404, 404, 404),
    "money:reverse_entry": (404, 404, 404),
    "money:settlement": (404, 404, 404),
    "money:settlement_document": (404, 404, 404),
    "offline_page": (200, 200, 200),
    "offline_scope": (200, 200, 200),
    "service_worker": (200, 200, 200),
    "works:answer_ticket": (404, 404, 404),
    "works:close_action": (403, 403, 403),
    "works:completion": (403, 403, 403),
    "works:edit_step": (404, 404, 404),
    "works:fix_ticket": (404, 404, 404),
    "works:inspection_report": (403, 403, 403),
    "works:mark_step": (404, 404, 404),
    "works:move_opening": (404, 404, 404),
    "works:my_tickets": (200, 200, 200),
    "works:new_standup": (403, 403, 403),
    "works:record_handover": (403, 403, 403),
    "works:record_inspection": (403, 403, 403),
    "works:record_opening": (403, 403, 403),
    "works:record_registration": (403, 403, 403),
    "works:report_fault": (422, 422, 422),
    "works:schedules": (403, 403, 200),
    "works:site_completion": (403, 403, 403),
    "works:site_schedule": (404, 404, 404),
    "works:standup": (403, 403, 403),
    "works:standups": (403, 403, 403),
    "works:start_schedule": (403, 403, 403),
    "works:ticket": (404, 404, 404),
    "works:timeline_print": (403, 403, 403),
    "works:accept_report": (403, 403, 403),
    "works:close_issue": (404, 404, 404),
    "works:decline_report": (403, 403, 403),
    "works:inspection": (404, 404, 404),
    "works:inspection_photo": (404, 404, 404),
    "works:inspections": (200, 200, 200),
    "works:issue": (404, 404, 404),
    "works:issue_photo": (404, 404, 404),
    "works:issues": (403, 403, 403),
    "works:my_issues": (200, 200, 200),
    "works:new_inspection": (404, 404, 404),
    "works:noise_notice": (403, 403, 403),
    "works:public_photo": (200, 200, 200),
    "works:publish_photo": (403, 403, 403),
    "works:reopen_issue": (404, 404, 404),
    "works:report": (403, 403, 403),
    "works:report_photo": (403, 403, 403),
    "works:report_problem": (422, 422, 422),
    "works:reports": (403, 403, 403),
    "works:site_inspections": (404, 404, 404),
    "works:site_photo": (403, 403, 403),
    "works:site_photos": (403, 403, 403),
    "logout": (302, 302, 302),
}


@pytest.fixture
def party_visitors(site):
    campaign = site["campaign"]
    users = {
        "lawyer": make_assignment(role=Role.LAWYER, community=campaign.community).user,
        "reviewer": make_assignment(role=Role.REVIEWER, community=campaign.community).user,
        "contractor": make_assignment(
            role=Role.CONTRACTOR, party=make_party(campaign=campaign)
        ).user,
    }
    clients = {}
    for visitor, user in users.items():
        clients[visitor] = Client()
        clients[visitor].force_login(user)
    return clients


def test_every_url_has_a_row_for_the_parties_people():
    assert set(PARTY_MATRIX) == named_patterns(get_resolver().url_patterns)
    assert all(len(row) == len(PARTY_VISITORS) for row in PARTY_MATRIX.values())


def test_the_parties_people_get_the_expected_answer_from_every_url(site, party_visitors):
    urls = {name: site_url(name, site) for name in PARTY_MATRIX}
    wrong = {}
    for name, expected in sorted(PARTY_MATRIX.items(), key=lambda item: item[0] == "logout"):
        got = tuple(answer(party_visitors[v], name, urls[name]) for v in PARTY_VISITORS)
        if got != expected:
            wrong[name] = {
                v: (e, g) for v, e, g in zip(PARTY_VISITORS, expected, got, strict=True) if e != g
            }
    assert wrong == {}, "expected vs got: " + repr(wrong)


def test_no_page_the_parties_people_reach_names_an_owner_or_shows_a_phone(site, party_visitors):
    owners = Owner.objects.filter(household__unit__building__campaign=site["campaign"])
    names = {name for name in owners.values_list("name", flat=True) if len(name) > 1}
    phones = {phone for phone in owners.values_list("phone", flat=True) if phone}
    assert names and phones
    leaks = {}
    for name, row in PARTY_MATRIX.items():
        if name == "logout":
            continue
        url = site_url(name, site)
        for visitor, expected in zip(PARTY_VISITORS, row, strict=True):
            if expected != 200:
                continue
            response = party_visitors[visitor].get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            page = body.decode(errors="replace")
            found = {n for n in names | phones if n in page}
            if found:
                leaks[(name, visitor)] = found
    assert leaks == {}


def test_anonymous_visitors_are_sent_to_log_in_and_come_back(site, visitors):
    url = site_url("consultations:household", site)
    response = visitors["anonymous"].get(url)
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_only_staff_accounts_reach_the_admin(visitors):
    answers = {v: visitors[v].get(reverse("admin:index")).status_code for v in VISITORS}
    assert answers == {v: 200 if v == "secretary" else 302 for v in VISITORS}


# A person with roles in two communities: a grid worker of 1栋1单元 (grid1's unit, here) who is
# also the secretary of another community. Here they get exactly grid1's answers: what they
# are here is a grid worker. Only the pages about their own secretary's work (which show their
# other community) answer as for a secretary.
WORKER_HERE_SECRETARY_ELSEWHERE = {
    "secretary": 200,
    "audit_trail": 200,
}


@pytest.fixture
def worker_here_secretary_elsewhere(site):
    grid1 = site["users"]["grid1"].assignments.get()
    user = make_user("two-roles", is_staff=True)
    make_assignment(user, Role.GRID_WORKER, unit=grid1.unit)
    elsewhere = Community.objects.create(name="另一个社区", district="别处")
    make_assignment(user, Role.SECRETARY, community=elsewhere)
    return user


def test_a_worker_here_who_is_secretary_elsewhere_gets_a_grid_workers_answers_here(
    site, worker_here_secretary_elsewhere
):
    client = Client()
    client.force_login(worker_here_secretary_elsewhere)
    grid1 = VISITORS.index("grid worker here")
    wrong = {}
    for name, row in sorted(MATRIX.items(), key=lambda item: item[0] == "logout"):
        expected = WORKER_HERE_SECRETARY_ELSEWHERE.get(name, row[grid1])
        got = answer(client, name, site_url(name, site))
        if got != expected:
            wrong[name] = (expected, got)
    assert wrong == {}, "expected vs got: " + repr(wrong)


# The admin, on this community's records, for three staff accounts: the secretary of another
# community, the worker here who is secretary elsewhere, and this community's secretary.
ADMIN_VISITORS = ["secretary elsewhere", "worker here, secretary elsewhere", "secretary"]
ADMIN_MATRIX = {
    "visit change": (404, 404, 200),
    "visit history": (404, 404, 200),
    "visit version": (404, 404, 200),
    "visit revert": (404, 404, 200),  # POSTed empty: refused for strangers, re-shown here
    "household change": (404, 404, 200),
    "household history": (404, 404, 200),
    "household delete": (404, 404, 200),
    "campaign change": (404, 404, 200),
    "assignment change": (404, 404, 200),
    "visit list": (200, 200, 200),
}


def admin_url(name: str, site) -> str:
    household = site["household"]
    visit = household.visits.first()
    version = visit.history.first().history_id
    assignment = site["users"]["grid1"].assignments.get()
    return {
        "visit change": reverse("admin:consultations_visit_change", args=[visit.pk]),
        "visit history": reverse("admin:consultations_visit_history", args=[visit.pk]),
        "visit version": reverse(
            "admin:consultations_visit_simple_history", args=[visit.pk, version]
        ),
        "visit revert": reverse(
            "admin:consultations_visit_simple_history", args=[visit.pk, version]
        ),
        "household change": reverse("admin:households_household_change", args=[household.pk]),
        "household history": reverse("admin:households_household_history", args=[household.pk]),
        "household delete": reverse("admin:households_household_delete", args=[household.pk]),
        "campaign change": reverse("admin:campaigns_campaign_change", args=[site["campaign"].pk]),
        "assignment change": reverse("admin:campaigns_assignment_change", args=[assignment.pk]),
        "visit list": reverse("admin:consultations_visit_changelist"),
    }[name]


@pytest.fixture
def admin_visitors(site, worker_here_secretary_elsewhere):
    elsewhere = Community.objects.create(name="别的社区", district="别处")
    secretary_elsewhere = make_user("secretary-elsewhere", is_staff=True)
    make_assignment(secretary_elsewhere, Role.SECRETARY, community=elsewhere)
    users = [secretary_elsewhere, worker_here_secretary_elsewhere, site["users"]["secretary"]]
    clients = {}
    for visitor, user in zip(ADMIN_VISITORS, users, strict=True):
        clients[visitor] = Client()
        clients[visitor].force_login(user)
    return clients


def test_the_admin_answers_404_outside_the_communities_one_is_secretary_of(site, admin_visitors):
    wrong = {}
    for name, expected in ADMIN_MATRIX.items():
        url = admin_url(name, site)
        got = tuple(
            answer(admin_visitors[v], "POST" if name == "visit revert" else name, url)
            for v in ADMIN_VISITORS
        )
        if got != expected:
            wrong[name] = dict(zip(ADMIN_VISITORS, zip(expected, got, strict=True), strict=True))
    assert wrong == {}, "expected vs got: " + repr(wrong)


def test_the_admin_list_filters_offer_only_ones_own_communitys_campaigns_and_buildings(
    site, admin_visitors
):
    campaign = site["campaign"]
    ours = {("campaign", campaign.pk)}
    ours |= {("building", pk) for pk in campaign.buildings.values_list("pk", flat=True)}
    for visitor, client in admin_visitors.items():
        offered = set()
        for changelist in ["consultations_visit", "households_household", "campaigns_unit"]:
            response = client.get(reverse(f"admin:{changelist}_changelist"))
            offered |= {
                (spec.field.related_model._meta.model_name, pk)
                for spec in response.context["cl"].filter_specs
                if isinstance(spec, RelatedFieldListFilter)
                for pk, _label in spec.lookup_choices
            }
        if visitor == "secretary":
            assert any(kind == "building" for kind, _pk in ours & offered)
        else:
            assert not ours & offered, visitor


# The contractor of 1栋1单元's site (tests/portal/test_urls.py ``works_of_demo``): its own
# issues, their photos and closing them; nothing of the households, the inspections or
# another party. Its answer for every URL, the rest as for a visitor with no place below the
# community.
CONTRACTOR_ANSWERS = {
    "works:inspections": 200,  # an empty list
    "works:inspection": 404,
    "works:site_inspections": 404,
    "works:new_inspection": 404,
    "works:inspection_photo": 404,
    "works:my_issues": 200,
    "works:issue": 200,
    "works:issue_photo": 200,
    "works:close_issue": 422,  # an empty post: the photo after is missing
    "works:reopen_issue": 403,  # the secretary's
    "works:issues": 403,  # the staff's list
    "consultations:household": 404,
    "consultations:log_visit": 404,
    "consultations:unit_consent": 404,
    "consultations:unit_packet": 404,
    "consultations:people": 403,
    "dashboard:export_xlsx": 403,
    "secretary": 403,
}


def test_the_contractor_reaches_its_own_issues_and_nothing_personal(site):
    client = Client()
    client.force_login(site["users"]["contractor"])
    got = {name: answer(client, name, site_url(name, site)) for name in CONTRACTOR_ANSWERS}
    wrong = {n: (e, got[n]) for n, e in CONTRACTOR_ANSWERS.items() if got[n] != e}
    assert wrong == {}, "expected vs got: " + repr(wrong)
