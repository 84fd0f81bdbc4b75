"""Small hand-written factories: each makes one valid object, with anything overridable."""

import io
import itertools
import re
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from campaigns.models import (
    PARTY_ROLES,
    Assignment,
    Building,
    Campaign,
    Community,
    Elevator,
    Meeting,
    MeetingDecision,
    Milestone,
    Party,
    PartyKind,
    ProgressUpdate,
    Question,
    Role,
    Unit,
)
from consultations.models import (
    Consent,
    Matter,
    Proposal,
    Share,
    Visit,
    refresh_door_status_of,
)
from households.models import Household, Owner, Person
from works import completion
from works.models import Inspection, Issue, Site

_numbers = itertools.count(1)
PASSWORD = "test-password-123"
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def _n() -> int:
    return next(_numbers)


def make_user(username: str | None = None, **kw):
    username = username or f"user{_n()}"
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **kw)


def make_community(**kw) -> Community:
    n = _n()
    return Community.objects.create(
        **{"name": f"社区{n}", "subdistrict": "沌口街道", "district": "武汉经开区", **kw}
    )


def make_campaign(**kw) -> Campaign:
    n = _n()
    if "community" not in kw:
        kw["community"] = make_community()
    return Campaign.objects.create(**{"slug": f"campaign-{n}", "title": f"电梯更新{n}", **kw})


def make_building(**kw) -> Building:
    if "campaign" not in kw:
        kw["campaign"] = make_campaign()
    return Building.objects.create(**{"name": f"{_n()}栋", **kw})


def make_unit(**kw) -> Unit:
    if "building" not in kw:
        kw["building"] = make_building()
    return Unit.objects.create(**{"name": f"{_n()}单元", "floors": 10, **kw})


def make_elevator(**kw) -> Elevator:
    if "unit" not in kw:
        kw["unit"] = make_unit()
    return Elevator.objects.create(
        **{"install_year": 2005, "floors_served": 10, "quote": Decimal("420000.00"), **kw}
    )


def make_household(**kw) -> Household:
    if "unit" not in kw:
        kw["unit"] = make_unit()
    floor = kw.pop("floor", 3)
    room = kw.pop("room", f"{floor}{_n():02d}")
    return Household.objects.create(
        **{"floor": floor, "room": room, "area": Decimal("88.50"), **kw}
    )


def make_owner(**kw) -> Owner:
    if "household" not in kw:
        kw["household"] = make_household()
    return Owner.objects.create(**{"name": "张三", "phone": "13812341234", **kw})


def make_person(**kw) -> Person:
    """An owner as a person (or, with ``kind``, a body) that owner entries can be linked to."""
    if "community" not in kw:
        kw["community"] = make_community()
    return Person.objects.create(**kw)


def same_person(*owners: Owner, kind: str = Person.Kind.PERSON) -> Person:
    """Link these owner entries (of different flats) as one person or body, as the
    secretary's confirmation of a proposed match does."""
    person = make_person(community=owners[0].household.unit.building.campaign.community, kind=kind)
    Owner.objects.filter(pk__in=[o.pk for o in owners]).update(person=person)
    for owner in owners:
        owner.person = person
    return person


def make_matter(proposal, number: int, item: int, rule: str, title: str = "") -> Matter:
    """A matter of a draft proposal (publish after adding them: published ones are frozen)."""
    return Matter.objects.create(
        proposal=proposal, number=number, item=item, rule=rule, title=title or f"事项{number}"
    )


def make_assignment(user=None, role: str = Role.GRID_WORKER, **kw) -> Assignment:
    """A grid worker on a new unit unless told otherwise; the community follows the place
    (for a party's people, the party's campaign; a contractor gets a new party)."""
    user = user or make_user()
    if role in PARTY_ROLES and "party" not in kw:
        kind = PartyKind.CONTRACTOR if role == Role.CONTRACTOR else PartyKind.MAINTAINER
        kw["party"] = make_party(kind=kind)
    if "party" in kw:
        kw.setdefault("community", kw["party"].campaign.community)
    if role in (Role.SECRETARY, Role.LAWYER, Role.REVIEWER) or role in PARTY_ROLES:
        kw.setdefault("community", make_community())
    elif "unit" not in kw and "building" not in kw:
        if role == Role.BUILDING_LEAD:
            kw["building"] = make_building()
        else:
            kw["unit"] = make_unit()
    place = kw.get("unit") or kw.get("building")
    if place is not None and "community" not in kw:
        building = place.building if isinstance(place, Unit) else place
        kw["community"] = building.campaign.community
    return Assignment.objects.create(user=user, role=role, **kw)


def make_visit(**kw) -> Visit:
    """A visit recorded as a worker records one (``Visit.objects.record``): the household's
    stored door status follows, and the household passed in shows it."""
    household = kw.pop("household", None) or make_household()
    visitor = kw.pop("visitor", None) or make_user()
    visit, _created = Visit.objects.record(
        household,
        visitor,
        **{
            "visited_at": timezone.now() - timedelta(hours=1),
            "channel": Visit.Channel.DOOR,
            "reached": Visit.Reached.OWNER,
            "attitude": Visit.Attitude.SUPPORT,
            **kw,
        },
    )
    return visit


def make_proposal(**kw) -> Proposal:
    if "elevator" not in kw:
        kw["elevator"] = make_elevator()
    if "created_by" not in kw:
        kw["created_by"] = make_user()
    if kw.get("status") == Proposal.Status.PUBLISHED:
        kw.setdefault("published_at", timezone.now())
    return Proposal.objects.create(
        **{
            "version": 1,
            "total_cost": Decimal("420000.00"),
            "subsidy": Decimal("150000.00"),
            "maintenance_fund": Decimal("120000.00"),
            **kw,
        }
    )


def make_share(**kw) -> Share:
    if "proposal" not in kw:
        kw["proposal"] = make_proposal()
    if "household" not in kw:
        kw["household"] = make_household(unit=kw["proposal"].elevator.unit)
    return Share.objects.create(**{"amount": Decimal("7500.00"), **kw})


def make_consent(**kw) -> Consent:
    """A consent to any proposal, with no share needed (``record_consent`` asks for one): the
    household's stored door status follows, as it does when a worker records one."""
    if "proposal" not in kw:
        kw["proposal"] = make_proposal(status=Proposal.Status.PUBLISHED)
    if "household" not in kw:
        kw["household"] = make_household(unit=kw["proposal"].elevator.unit)
    if "witness" not in kw:
        kw["witness"] = make_user()
    with transaction.atomic():
        consent = Consent.objects.create(
            **{
                "share_amount": Decimal("7500.00"),
                "decision": "agree",
                "signer_name": "张三",
                "method": Consent.Method.TABLET,
                "signature": PNG_1PX,
                "signature_type": "image/png",
                "signed_at": timezone.now(),
                **kw,
            }
        )
        refresh_door_status_of(kw["household"])
    return consent


def make_voted_unit(decisions, rule="majority", campaign=None, **consent):
    """A unit with one household per decision (None: not signed) from the second floor up,
    each with an owner (full name and phone), and a published proposal with their shares."""
    campaign = campaign or make_campaign(consent_rule=rule)
    unit = make_unit(building=make_building(campaign=campaign), floors=12)
    households = []
    for i, _decision in enumerate(decisions):
        household = make_household(unit=unit, floor=i + 2, room=f"{i + 2}01", area=Decimal(80 + i))
        make_owner(household=household, name=f"欧阳{'一二三四五六七八九十'[i % 10]}华")
        households.append(household)
    proposal = make_proposal(elevator=make_elevator(unit=unit))
    proposal.publish()
    shares = {s.household_id: s.amount for s in proposal.shares.all()}
    for household, decision in zip(households, decisions, strict=True):
        if decision:
            fields = {"share_amount": shares[household.pk], "decision": decision, **consent}
            make_consent(household=household, proposal=proposal, **fields)
    unit = Unit.objects.select_related("building__campaign__community").get(pk=unit.pk)
    return unit, households, proposal


def make_households(unit, count: int, *, per_floor: int = 4, **kw) -> list[Household]:
    """``count`` households on ``unit``, ``per_floor`` rooms a floor from the first up
    (101, 102, …), in one insert: for pages that must cope with thousands."""
    return Household.objects.bulk_create(
        Household(
            unit=unit,
            floor=i // per_floor + 1,
            room=f"{i // per_floor + 1}{i % per_floor + 1:02d}",
            **{"area": Decimal("88.50"), **kw},
        )
        for i in range(count)
    )


def make_milestone(**kw) -> Milestone:
    if "campaign" not in kw:
        kw["campaign"] = make_campaign()
    return Milestone.objects.create(
        **{"title": f"节点{_n()}", "planned_on": timezone.localdate() + timedelta(days=30), **kw}
    )


def make_update(**kw) -> ProgressUpdate:
    """A progress update, published unless told otherwise."""
    if "campaign" not in kw:
        kw["campaign"] = make_campaign()
    if kw.get("status", ProgressUpdate.Status.PUBLISHED) == ProgressUpdate.Status.PUBLISHED:
        kw.setdefault("published_at", timezone.now())
    return ProgressUpdate.objects.create(
        **{"title": f"进展{_n()}", "body": "今天完成了旧电梯拆除。", "status": "published", **kw}
    )


def make_meeting(**kw) -> Meeting:
    """A coordination meeting, published unless told otherwise (published_at=None)."""
    if "campaign" not in kw:
        kw["campaign"] = make_campaign()
    kw.setdefault("published_at", timezone.now())
    return Meeting.objects.create(
        **{
            "title": f"协调会{_n()}",
            "held_at": timezone.now() - timedelta(days=1),
            "attendees": "物业、施工单位、居民代表",
            **kw,
        }
    )


def make_decision(**kw) -> MeetingDecision:
    if "meeting" not in kw:
        kw["meeting"] = make_meeting()
    return MeetingDecision.objects.create(**{"text": "中午不施工。", **kw})


def make_party(**kw) -> Party:
    if "campaign" not in kw:
        kw["campaign"] = make_campaign()
    return Party.objects.create(
        **{"kind": PartyKind.CONTRACTOR, "name": f"施工单位{_n()}", "contact_name": "王工", **kw}
    )


def make_site(**kw) -> Site:
    """The works site of an elevator (a new one unless told)."""
    if "elevator" not in kw:
        kw["elevator"] = make_elevator(**({"unit": kw.pop("unit")} if "unit" in kw else {}))
    return Site.objects.create(**kw)


def make_inspection(**kw) -> Inspection:
    if "site" not in kw:
        kw["site"] = make_site()
    if "inspector" not in kw:
        kw["inspector"] = make_user()
    return Inspection.objects.create(**{"inspected_on": timezone.localdate(), **kw})


def make_issue(**kw) -> Issue:
    """An open issue found in an inspection, due in three days."""
    if "inspection" not in kw and "site" not in kw:
        kw["inspection"] = make_inspection()
    if "site" not in kw:
        kw["site"] = kw["inspection"].site
    kw.setdefault("opened_by", kw["inspection"].inspector if kw.get("inspection") else make_user())
    return Issue.objects.create(
        **{
            "description": "围挡缺口未封闭",
            "deadline": timezone.localdate() + timedelta(days=3),
            **kw,
        }
    )


def make_question(**kw) -> Question:
    """A resident's question; pass answer=… and status="published" for a public one."""
    if "campaign" not in kw:
        kw["campaign"] = make_campaign()
    if kw.get("status") == Question.Status.PUBLISHED:
        kw.setdefault("answer", "会的。")
        kw.setdefault("published_at", timezone.now())
    return Question.objects.create(**{"body": f"什么时候开工？{_n()}", **kw})


def listed_doors(response) -> set[int]:
    """The households a door list shows (its rows are ``id="door-<pk>"``)."""
    return {int(pk) for pk in re.findall(r'id="door-(\d+)"', response.text)}


def make_pdf(pages: int = 1) -> bytes:
    """A plain PDF document of blank A4 pages, as a scanner would give one."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_in_service(site=None, *, by=None, day=None, maintainer=None):
    """A site inspected (passed), registered and opened on ``day`` (today unless told), and
    handed over to a maintenance company (a new one unless told)."""
    site = site or make_site()
    by = by or make_user()
    day = day or timezone.localdate()
    report = SimpleUploadedFile("report.pdf", make_pdf(), content_type="application/pdf")
    completion.record_inspection(
        site,
        by=by,
        result="passed",
        inspected_on=day,
        inspecting_body="市特种设备检验研究院",
        report_number=f"JY-{_n()}",
        report=report,
    )
    completion.record_registration(
        site, by=by, certificate_number=f"梯登-{_n()}", registered_on=day
    )
    completion.record_opening(site, by=by, opened_on=day)
    campaign = site.elevator.unit.building.campaign
    maintainer = maintainer or make_party(
        campaign=campaign, kind=PartyKind.MAINTAINER, name=f"维保公司{_n()}"
    )
    completion.record_handover(
        site,
        by=by,
        maintainer=maintainer,
        contract_start=day,
        contract_end=day + timedelta(days=365),
        emergency_phone="027-84001234",
        warranty_end=day + timedelta(days=730),
    )
    return site
