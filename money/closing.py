"""A campaign closes (已完工) when every elevator is in service (works.completion) and every
elevator's final settlement is published: its public page then stands as the project's record.

Both halves can come last, so both ask: publishing a settlement calls ``close_if_complete``, and
so does recording an opening (works cannot import money: the call goes through the post_save
signal money/apps.py connects)."""

from campaigns.models import Campaign, Elevator
from consultations.models import Proposal
from money.models import Settlement
from works.completion import every_elevator_in_service


def every_settlement_published(campaign: Campaign) -> bool:
    """Whether each elevator's published proposal has its published settlement."""
    elevators = Elevator.objects.filter(unit__building__campaign=campaign).count()
    proposals = Proposal.objects.published().filter(elevator__unit__building__campaign=campaign)
    settled = Settlement.objects.filter(proposal__in=proposals, published_at__isnull=False)
    return elevators > 0 and settled.count() == elevators


def close_if_complete(campaign: Campaign) -> bool:
    """Mark the campaign completed once both halves are done; True if it closed now."""
    if campaign.status == Campaign.Status.COMPLETED:
        return False
    if not (every_elevator_in_service(campaign) and every_settlement_published(campaign)):
        return False
    campaign.status = Campaign.Status.COMPLETED
    campaign.save(update_fields=["status"])
    return True


def opening_recorded(sender, instance, created, **kwargs) -> None:
    """post_save of works.Opening (money/apps.py)."""
    if created:
        close_if_complete(instance.site.elevator.unit.building.campaign)
