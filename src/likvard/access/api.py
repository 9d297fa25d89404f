"""API for access: who am I, and personal API tokens."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from likvard.access.models import RoleAssignment
from likvard.access.policy import student_data_organizers, student_data_school_units, viewer_for
from likvard.access.schemas import MeOut, RoleOut, TokenIn, TokenOut
from likvard.access.tokens import api_token_create

router = Router(tags=["access"])


@router.get("/me", response=MeOut, summary="Den inloggade användaren och dess roller")
def me(request: HttpRequest) -> MeOut:
    viewer = viewer_for(request.user)
    assignments = RoleAssignment.objects.filter(user__username=viewer.username).select_related(
        "region", "organizer", "school_unit"
    )
    return MeOut(
        username=viewer.username,
        roles=[
            RoleOut(
                role=a.role,
                region=a.region.code if a.region else None,
                organizer=a.organizer.organisation_number if a.organizer else None,
                school_unit=a.school_unit.code if a.school_unit else None,
            )
            for a in assignments
        ],
        student_data_organizers=sorted(student_data_organizers(viewer)),
        student_data_school_units=sorted(student_data_school_units(viewer)),
    )


@router.post("/tokens", response={201: TokenOut}, summary="Skapa en personlig API-nyckel")
def create_token(request: HttpRequest, payload: TokenIn) -> Status[TokenOut]:
    token = api_token_create(user=request.user, name=payload.name)  # type: ignore[arg-type]
    return Status(201, TokenOut(name=payload.name, token=token))
