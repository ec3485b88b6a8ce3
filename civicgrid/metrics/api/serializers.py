from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from civicgrid.api.errors import invalid

from ..forms import IN_RANGE, LONGEST


class CaseSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField(help_text=_("How many counted for the rate."))
    of = serializers.IntegerField(
        help_text=_("Of how many: the rate's denominator; 0 where there was none.")
    )


class CasesSerializer(serializers.Serializer[Any]):
    """Each rate's cases, e.g. 响应率 0.9 = 9 of 10."""

    response = CaseSerializer()
    resolution = CaseSerializer()
    satisfaction = CaseSerializer()
    on_time = CaseSerializer()
    return_rate = CaseSerializer()
    rehandle_rate = CaseSerializer()


class RatesSerializer(serializers.Serializer[Any]):
    """Rates are fractions (0–1), null where there was nothing to count."""

    response = serializers.FloatField(allow_null=True)
    resolution = serializers.FloatField(allow_null=True)
    satisfaction = serializers.FloatField(allow_null=True)
    on_time = serializers.FloatField(allow_null=True)
    no_return = serializers.FloatField(allow_null=True)
    no_rehandle = serializers.FloatField(allow_null=True)
    return_rate = serializers.FloatField(allow_null=True)
    rehandle_rate = serializers.FloatField(allow_null=True)
    response_hours = serializers.FloatField(allow_null=True)
    completion_hours = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "Out of 100; null for a unit with nothing answered, completed or "
            "called back in the period."
        ),
    )
    dispatched = serializers.IntegerField(
        help_text=_(
            "Appeals dispatched to the unit in the period (as lead or co-handler): "
            "what the formula's fewest cases to be ranked counts."
        )
    )
    cases = CasesSerializer()
    unreachable = serializers.IntegerField(
        help_text=_(
            "Appeals closed because the callback never reached the resident: "
            "counted apart, in no rate's count or denominator."
        )
    )


class UnitRatesSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    ranked = serializers.BooleanField()
    list = serializers.ChoiceField(
        choices=["", "red", "black"], help_text=_("red: 红榜; black: 黑榜.")
    )
    reviewed = RatesSerializer()
    raw = RatesSerializer()


class PeriodSerializer(serializers.Serializer[Any]):
    """[start, end], local days; this month when both are left out."""

    start = serializers.DateField(required=False, validators=IN_RANGE)
    end = serializers.DateField(required=False, validators=IN_RANGE)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("start" in attrs) != ("end" in attrs):
            raise invalid("end", str(_("Give both days.")))
        if "start" in attrs:
            if attrs["end"] < attrs["start"]:
                raise invalid("end", str(_("The period ends before it begins.")))
            if attrs["end"] - attrs["start"] > LONGEST:
                raise invalid("end", str(_("A period is at most a year long.")))
        return attrs


class StreetQuery(PeriodSerializer):
    street = serializers.CharField(
        required=False,
        help_text=_("The street's code; may be left out where you oversee one."),
    )


class StreetRatesQuery(StreetQuery):
    by = serializers.ChoiceField(
        choices=["department", "community", "grid"], default="department"
    )


class TotalsSerializer(serializers.Serializer[Any]):
    intake = serializers.IntegerField()
    reviewed = RatesSerializer()
    raw = RatesSerializer()


class StreetRatesSerializer(serializers.Serializer[Any]):
    street = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    formula = serializers.IntegerField(help_text=_("The formula's version."))
    totals = TotalsSerializer()
    units = UnitRatesSerializer(many=True)


class UnitPageSerializer(serializers.Serializer[Any]):
    start = serializers.DateField()
    end = serializers.DateField()
    formula = serializers.IntegerField()
    unit = UnitRatesSerializer(allow_null=True)
    ranked = serializers.IntegerField(help_text=_("How many units were ranked."))
