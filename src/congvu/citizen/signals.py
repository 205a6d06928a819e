"""Rating invitation when a dossier's result is returned.

onestop sends no signal of its own, so this listens to Django's post_save on `Dossier` (sent by
every onestop transition inside its transaction) and reacts to the state `returned`."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from congvu.onestop.models import Dossier
from congvu.onestop.workflow import State


@receiver(post_save, sender=Dossier, dispatch_uid="citizen.rating_invitation_on_return")
def _on_dossier_saved(sender, instance: Dossier, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or instance.state != State.RETURNED or instance.returned_at is None:
        return
    from congvu.citizen.models import Rating
    from congvu.citizen.services import rating_invitation_create

    if Rating.objects.filter(dossier_id=instance.pk).exists():
        return
    rating_invitation_create(instance, at=instance.returned_at)
