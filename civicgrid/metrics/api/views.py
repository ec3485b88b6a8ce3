"""The three rates over the API, as the pages show them (the same selectors;
what the user may not see is 404)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from civicgrid.core import clock
from civicgrid.org.models import Department

from .. import permissions, selectors
from . import serializers as s


def _street(user: Any, code: str | None) -> Any:
    """The street asked for among those the user oversees — or, with no code,
    their only one; 404 otherwise."""
    streets = list(permissions.streets_overseen(user))
    if code:
        street = next((a for a in streets if a.code == code), None)
    else:
        street = streets[0] if len(streets) == 1 else None
    if street is None:
        raise Http404
    return street


def _period(data: dict[str, Any]) -> tuple[Any, Any]:
    if "start" in data:
        return data["start"], data["end"]
    return selectors.period_bounds("month", timezone.localdate(clock.now()))


@extend_schema(
    tags=["metrics"], parameters=[s.StreetRatesQuery], responses=s.StreetRatesSerializer
)
@api_view(["GET"])
def street_rates(request: Request) -> Response:
    """三率 of a street and each of its units (departments, communities or
    grids), ranked, with the red and black lists; raw and reviewed (核减)."""
    query = s.StreetRatesQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    street = _street(request.user, data.get("street"))
    start, end = _period(data)
    formula = selectors.current_formula()
    total = selectors.figures(selectors.daily(street=street, start=start, end=end))[
        None
    ]
    return Response(
        s.StreetRatesSerializer(
            {
                "street": street.code,
                "start": start,
                "end": end,
                "formula": formula.number,
                "totals": {
                    "intake": total.raw.intake,
                    "reviewed": selectors.rates_of(total.reviewed, formula),
                    "raw": selectors.rates_of(total.raw, formula),
                },
                "units": selectors.ranking(
                    street=street, start=start, end=end, by=data["by"], formula=formula
                ),
            }
        ).data
    )


@extend_schema(
    tags=["metrics"],
    parameters=[s.StreetQuery],
    responses=s.UnitPageSerializer,
)
@api_view(["GET"])
def department_rates(request: Request, pk: int) -> Response:
    """A department's rates and rank among the departments: for its handlers
    across every street, for a street's overseers on their street."""
    department = get_object_or_404(Department, pk=pk)
    query = s.StreetQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    street = None
    if not permissions.handles_for(request.user, department):
        street = _street(request.user, query.validated_data.get("street"))
    start, end = _period(query.validated_data)
    formula = selectors.current_formula()
    ranking = selectors.ranking(
        street=street, start=start, end=end, by="department", formula=formula
    )
    return Response(
        s.UnitPageSerializer(
            {
                "start": start,
                "end": end,
                "formula": formula.number,
                "unit": next((row for row in ranking if row["id"] == pk), None),
                "ranked": sum(1 for row in ranking if row["ranked"]),
            }
        ).data
    )
