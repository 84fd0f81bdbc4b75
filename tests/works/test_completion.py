import hashlib
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from PIL import Image

from campaigns.models import PartyKind, Role
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_elevator,
    make_in_service,
    make_party,
    make_pdf,
    make_site,
    make_unit,
    make_user,
)
from works import completion
from works.completion import Refused
from works.models import AcceptanceInspection, ScheduleStep, StepKind

pytestmark = pytest.mark.django_db
DAY = date(2026, 9, 1)


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


def report(data: bytes | None = None, name: str = "report.pdf"):
    return SimpleUploadedFile(name, make_pdf() if data is None else data)


def inspect(site, result="passed", day=DAY, **kw):
    return completion.record_inspection(
        site,
        by=kw.pop("by", None) or make_user(),
        result=result,
        inspected_on=day,
        inspecting_body="市特检院",
        report_number="JY-1",
        report=kw.pop("report", None) or report(),
        **kw,
    )


def step(site, kind, start, end):
    return ScheduleStep.objects.create(
        site=site,
        kind=kind,
        order=list(StepKind.values).index(kind),
        planned_start=start,
        planned_end=end,
    )


def test_registration_is_refused_without_a_passed_inspection():
    site = make_site()
    with pytest.raises(Refused, match="合格的监督检验"):
        completion.record_registration(
            site, by=make_user(), certificate_number="梯登1", registered_on=DAY
        )
    inspect(site, "failed")
    with pytest.raises(Refused):
        completion.record_registration(
            site, by=make_user(), certificate_number="梯登1", registered_on=DAY
        )


def test_a_failed_inspection_followed_by_a_passed_one_allows_registration():
    site = make_site()
    inspect(site, "failed", DAY)
    inspect(site, "passed", DAY + timedelta(days=5))
    registration = completion.record_registration(
        site, by=make_user(), certificate_number="梯登1", registered_on=DAY + timedelta(days=6)
    )
    assert registration.pk


def test_registration_cannot_be_dated_before_the_inspection():
    site = make_site()
    inspect(site, day=DAY)
    with pytest.raises(Refused, match="不能早于"):
        completion.record_registration(
            site, by=make_user(), certificate_number="梯登1", registered_on=DAY - timedelta(1)
        )


def test_opening_is_refused_before_registration():
    site = make_site()
    inspect(site)
    with pytest.raises(Refused, match="使用登记"):
        completion.record_opening(site, by=make_user(), opened_on=DAY)


def test_an_elevator_inspected_registered_and_opened_is_in_service_since_its_opening():
    site = make_site()
    assert not completion.standing(site).in_service
    inspect(site)
    completion.record_registration(site, by=make_user(), certificate_number="C", registered_on=DAY)
    assert not completion.standing(site).in_service
    completion.record_opening(site, by=make_user(), opened_on=DAY + timedelta(days=2))
    assert completion.standing(site).in_service_since == DAY + timedelta(days=2)


def test_a_correction_to_a_failed_result_takes_the_elevator_out_of_service():
    site = make_in_service(day=DAY)
    inspect(site, "failed", DAY, corrects=True)
    assert not completion.standing(site).in_service
    assert AcceptanceInspection.objects.current().filter(site=site).count() == 1


def test_a_correction_supersedes_the_wrong_record_which_stays():
    site = make_site()
    first = inspect(site, day=DAY)
    second = inspect(site, day=DAY + timedelta(days=1), corrects=True)
    first.refresh_from_db()
    assert first.superseded_by == second
    assert completion.standing(site).inspection == second


def test_nothing_to_correct_is_refused():
    with pytest.raises(Refused):
        inspect(make_site(), corrects=True)


def test_a_new_registration_supersedes_the_current_one():
    site = make_site()
    inspect(site)
    first = completion.record_registration(
        site, by=make_user(), certificate_number="错号", registered_on=DAY
    )
    second = completion.record_registration(
        site, by=make_user(), certificate_number="梯登2", registered_on=DAY
    )
    assert second.supersedes == first
    assert completion.standing(site).registration == second


def test_a_record_cannot_be_superseded_twice():
    site = make_site()
    first = inspect(site)
    inspect(site, corrects=True)
    with pytest.raises(IntegrityError):
        AcceptanceInspection.objects.create(
            site=site,
            result="passed",
            inspected_on=DAY,
            inspecting_body="x",
            report_number="x",
            report="x",
            content_type="application/pdf",
            sha256="0" * 64,
            supersedes=first,
            recorded_by=make_user(),
        )


def test_the_schedules_last_steps_close_with_the_actual_dates():
    site = make_site()
    steps = {
        kind: step(site, kind, DAY, DAY + timedelta(days=3))
        for kind in [StepKind.INSPECTION, StepKind.REGISTRATION, StepKind.OPENING]
    }
    by = make_user()
    inspect(site, "failed", DAY - timedelta(days=2), by=by)
    steps[StepKind.INSPECTION].refresh_from_db()
    assert steps[StepKind.INSPECTION].actual_start == DAY - timedelta(days=2)
    assert steps[StepKind.INSPECTION].actual_end is None
    inspect(site, "passed", DAY + timedelta(days=1), by=by)
    completion.record_registration(
        site, by=by, certificate_number="C", registered_on=DAY + timedelta(days=4)
    )
    completion.record_opening(site, by=by, opened_on=DAY + timedelta(days=5))
    for each in steps.values():
        each.refresh_from_db()
    assert steps[StepKind.INSPECTION].actual_start == DAY - timedelta(days=2)
    assert steps[StepKind.INSPECTION].actual_end == DAY + timedelta(days=1)
    assert steps[StepKind.REGISTRATION].actual_start == DAY + timedelta(days=4)
    assert steps[StepKind.REGISTRATION].actual_end == DAY + timedelta(days=4)
    assert steps[StepKind.OPENING].actual_end == DAY + timedelta(days=5)
    assert steps[StepKind.OPENING].marked_by == by


def test_a_site_without_those_steps_is_recorded_all_the_same():
    assert completion.standing(make_in_service()).in_service


def test_the_report_is_kept_with_its_sha256_and_an_image_is_kept_as_a_photo():
    site = make_site()
    data = make_pdf()
    kept = inspect(site, report=report(data))
    assert kept.sha256 == hashlib.sha256(data).hexdigest()
    assert kept.content_type == "application/pdf"
    photo = inspect(site, report=report(jpeg(), "scan.jpg"), corrects=True)
    assert photo.content_type == "image/jpeg"
    assert photo.sha256 == hashlib.sha256(photo.report.read()).hexdigest()


@pytest.mark.parametrize(
    "data", [b"%PDF-1.4 not really", b"<html>hello</html>", b"", b"\x89PNG\r\n\x1a\n broken"]
)
def test_a_report_that_is_neither_a_plain_pdf_nor_a_photo_is_refused(data):
    with pytest.raises(Refused):
        inspect(make_site(), report=report(data))


def test_the_handover_needs_a_maintenance_company_of_the_same_campaign():
    site = make_site()
    campaign = site.elevator.unit.building.campaign
    kw = dict(
        by=make_user(),
        contract_start=DAY,
        contract_end=DAY + timedelta(days=365),
        emergency_phone="96333",
        warranty_end=DAY + timedelta(days=730),
    )
    with pytest.raises(Refused):
        completion.record_handover(site, maintainer=make_party(campaign=campaign), **kw)
    with pytest.raises(Refused):
        completion.record_handover(site, maintainer=make_party(kind=PartyKind.MAINTAINER), **kw)
    company = make_party(campaign=campaign, kind=PartyKind.MAINTAINER)
    assert completion.record_handover(site, maintainer=company, **kw).maintainer == company


def test_every_elevator_in_service_needs_each_elevator_of_the_campaign_in_service():
    campaign = make_campaign()
    assert not completion.every_elevator_in_service(campaign)
    first = make_site(
        elevator=make_elevator(unit=make_unit(building=make_building(campaign=campaign)))
    )
    second_elevator = make_elevator(unit=make_unit(building=first.elevator.unit.building))
    make_in_service(first)
    assert not completion.every_elevator_in_service(campaign)  # the second has no site
    second = make_site(elevator=second_elevator)
    assert not completion.every_elevator_in_service(campaign)
    make_in_service(second)
    assert completion.every_elevator_in_service(campaign)


def test_a_fault_goes_to_the_elevators_current_maintenance_company():
    site = make_in_service()
    campaign = site.elevator.unit.building.campaign
    fault = completion.report_fault(campaign, site, body="门关不上", room="302")
    assert fault.maintainer == completion.standing(site).handover.maintainer


def test_the_maintainer_sees_only_the_tickets_of_its_own_company():
    ours = make_in_service()
    campaign = ours.elevator.unit.building.campaign
    theirs = make_in_service(make_site(unit=make_unit(building=ours.elevator.unit.building)))
    mine = completion.report_fault(campaign, ours, body="异响")
    completion.report_fault(campaign, theirs, body="停梯")
    company = completion.standing(ours).handover.maintainer
    maintainer = make_assignment(role=Role.MAINTAINER, party=company).user
    assert list(completion.tickets_for(maintainer)) == [mine]
    secretary = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    assert completion.tickets_for(secretary).count() == 2
    assert completion.tickets_for(make_user()).count() == 0


def test_answering_and_fixing_are_recorded_once():
    site = make_in_service()
    fault = completion.report_fault(site.elevator.unit.building.campaign, site, body="异响")
    by = make_user()
    completion.answer_fault(fault, by=by, note="已派人")
    with pytest.raises(Refused):
        completion.answer_fault(fault, by=by, note="再次")
    completion.fix_fault(fault, by=by, note="更换门机")
    with pytest.raises(Refused):
        completion.fix_fault(fault, by=by, note="again")
    fault.refresh_from_db()
    assert fault.answered_by == by and fault.fixed_by == by
    assert fault.fixed_at >= fault.answered_at >= fault.reported_at


def test_fixing_an_unanswered_fault_answers_it_at_the_same_moment():
    site = make_in_service()
    fault = completion.report_fault(site.elevator.unit.building.campaign, site, body="异响")
    completion.fix_fault(fault, by=make_user(), note="修好了")
    fault.refresh_from_db()
    assert fault.answered_at == fault.fixed_at


def test_the_database_refuses_a_fix_without_an_answer():
    site = make_in_service()
    fault = completion.report_fault(site.elevator.unit.building.campaign, site, body="异响")
    fault.fixed_at = fault.reported_at
    with pytest.raises(IntegrityError):
        fault.save()


def test_the_public_after_sales_has_times_and_organisations_only():
    site = make_in_service()
    campaign = site.elevator.unit.building.campaign
    fault = completion.report_fault(campaign, site, body="张三家门口电梯异响", room="302")
    completion.fix_fault(fault, by=make_user(), note="13912345678 已联系")
    shown = completion.public_after_sales(campaign)
    (elevator,) = shown["after_sales"]
    assert elevator.times.reported == 1 and elevator.times.fixed == 1
    assert elevator.emergency_phone == "027-84001234"
    assert shown["fault_reports_open"]
    assert "张三" not in repr(shown) and "302" not in repr(shown) and "139" not in repr(shown)
