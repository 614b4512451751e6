"""Per-province behaviour of the simulated systems, read from `profiles.yaml`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulator.generated import generated_profiles
from simulator.periods import Period

PROFILES_YAML = Path(__file__).with_name("profiles.yaml")


class RateCurve(BaseModel):
    """A rate that climbs smoothly from `base` towards `ceiling`."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    base: float = Field(ge=0, lt=1)
    improvement: float = Field(gt=0, lt=1)
    ceiling: float = Field(gt=0, lt=1)

    @model_validator(mode="after")
    def _base_below_ceiling(self) -> RateCurve:
        if self.base > self.ceiling:
            raise ValueError("base must not exceed ceiling")
        return self

    def at(self, months: int) -> float:
        """The rate `months` after the curve starts (geometric approach to the ceiling)."""
        return self.ceiling - (self.ceiling - self.base) * (1 - self.improvement) ** months


@dataclass(frozen=True)
class RateValues:
    """The six rates of one province in one period."""

    digitised: float
    e_result: float
    synced: float
    online: float
    on_time: float
    reuse: float


class Rates(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    digitised: RateCurve
    e_result: RateCurve
    synced: RateCurve
    online: RateCurve
    on_time: RateCurve
    reuse: RateCurve

    def at(self, months: int) -> RateValues:
        return RateValues(**{name: curve.at(months) for name, curve in self})


class UnitArea(BaseModel):
    """The legacy communes a system serves: a province's, or one district's."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    province_code: str = Field(pattern=r"^\d{2}$")
    district_code: str | None = Field(default=None, pattern=r"^\d{3}$")


class ProvinceProfile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    area: UnitArea
    volume: int = Field(gt=0)
    volume_swing: float = Field(ge=0, lt=1)
    domains: dict[str, float]
    birth_provinces: dict[str, float]
    rates: Rates


class Profiles(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    curve_start: str
    period_range: tuple[str, str]
    volume_bounds: tuple[int, int]
    bad_row_share: float = Field(ge=0, lt=0.5)
    provinces: dict[str, ProvinceProfile]

    def rates(self, province: str, period: Period) -> RateValues:
        """Rates of `province` in `period`, per the improvement curve."""
        months = period.months_since(Period.parse(self.curve_start))
        return self.provinces[province].rates.at(months)

    def check_period(self, period: Period) -> None:
        """Raise ValueError if the API does not serve `period`."""
        first, last = (Period.parse(text) for text in self.period_range)
        if not first <= period <= last:
            raise ValueError(f"period {period} is outside {first}..{last}")


@lru_cache(maxsize=1)
def load_profiles(path: Path = PROFILES_YAML) -> Profiles:
    """Parse and validate `profiles.yaml` once per process."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["provinces"] = generated_profiles() | data["provinces"]  # scale tests: generated.py
    return Profiles.model_validate(data)
