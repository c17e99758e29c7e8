"""Reads of curricula that other apps rely on: the grade bands of a version."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import DEFAULT_GRADE_BANDS, GradeBand


@dataclass(frozen=True)
class Grade:
    """A verbal grade as printed: both names, and whether it passes."""

    name_ar: str
    name_en: str
    passing: bool
    min_percent: Decimal


def grade_bands(version_id: int | None) -> list[Grade]:
    """The version's grade bands, highest first; Egypt's defaults when it has none."""
    rows = (
        list(
            GradeBand.objects.filter(version_id=version_id)
            .order_by("-min_percent")
            .values_list("min_percent", "name_ar", "name_en", "passing")
        )
        if version_id
        else []
    )
    if not rows:
        rows = [(Decimal(p), ar, en, ok) for p, ar, en, ok in DEFAULT_GRADE_BANDS]
    return [
        Grade(name_ar=ar, name_en=en, passing=ok, min_percent=Decimal(p))
        for p, ar, en, ok in rows
    ]


def grade_for_percent(bands: list[Grade], percent: Decimal | None) -> Grade | None:
    """The band a percentage reaches (bands highest first), None without a percentage."""
    if percent is None:
        return None
    for band in bands:
        if percent >= band.min_percent:
            return band
    return bands[-1] if bands else None
