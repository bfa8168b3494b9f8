"""What of an engine survives a restart: typed, versioned snapshot models and their migrations.

Saved data is migrated, never dropped. Every format that was ever released keeps its model here
(``SnapshotV1`` is exactly what version 1 wrote) and an explicit step to the next version;
:func:`load_snapshot` reads any of them and migrates step by step to :data:`Snapshot`, the
current model. Data it cannot read (a newer format after a downgrade, or something that is not
a snapshot at all) raises a :class:`SnapshotError`; it is never silently replaced by nothing.

To change what is saved: add ``SnapshotV3``, write ``migrate_v2_to_v3``, point :data:`Snapshot`
and :func:`load_snapshot` at it, and keep a fixture of version 2 as users have it on disk. The
current format holds the summary's own set record (:class:`.report.SetSummary`, its saved keys
pinned by a test): a change to it that format-2 data cannot satisfy first freezes a copy of it
here as format 2's set model.

Wall-clock times (``started_at``, ``ended_at``, ``totals_since``) come from the host (Home
Assistant) through the engine's ``wall_clock``; the engine itself never reads the wall clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticUseDefault

from .events import FormWarning, SetEndReason
from .report import SetSummary
from .settings import Side

SNAPSHOT_VERSION: Final = 2


class SnapshotError(Exception):
    """Saved data that this engine cannot read."""


class NewerSnapshotError(SnapshotError):
    """Saved by a newer engine (the software was downgraded): kept for when it comes back."""

    def __init__(self, version: int) -> None:
        """Name the version that was found."""
        super().__init__(
            f"saved in format {version}, newer than this version of Rep Coach reads "
            f"(up to {SNAPSHOT_VERSION})"
        )
        self.version = version


class UnreadableSnapshotError(SnapshotError):
    """Not a snapshot of any known format."""


# --- leniency for formats written before validation existed ---------------------------------


def _default_when_invalid(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    try:
        return handler(value)
    except ValidationError:
        raise PydanticUseDefault from None


def _valid_items(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A list keeps the items that validate (one bad item does not cost the others)."""
    if not isinstance(value, list):
        raise PydanticUseDefault
    kept: list[Any] = []
    for item in value:
        try:
            kept.extend(handler([item]))
        except ValidationError:
            continue
    return kept


def _valid_entries(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A mapping keeps the entries that validate."""
    if not isinstance(value, Mapping):
        raise PydanticUseDefault
    kept: dict[Any, Any] = {}
    for key, item in value.items():
        try:
            kept.update(handler({key: item}))
        except ValidationError:
            continue
    return kept


# A value that does not fit falls back to the field's default (as version 1's restore did).
_LENIENT: Final = WrapValidator(_default_when_invalid)
_LENIENT_ITEMS: Final = WrapValidator(_valid_items)
_LENIENT_ENTRIES: Final = WrapValidator(_valid_entries)


class _Model(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="ignore", allow_inf_nan=False, defer_build=True, use_enum_values=False
    )


# --- calibration: the same shape in every version so far ------------------------------------


class SideRangeSnapshot(_Model):
    """One side's learned ranges (mm, newest last) and the manual range, if one was set."""

    roms: Annotated[list[PositiveFloat], _LENIENT_ITEMS] = []
    manual: Annotated[PositiveFloat | None, _LENIENT] = None


class CalibrationSnapshot(_Model):
    """What ``CalibrationModel.export()`` writes (its version 1 shape).

    Read leniently in every version: a value that does not fit is learned again.
    """

    sign: Annotated[Literal[-1, 0, 1], _LENIENT] = 0
    bottom_h: Annotated[float | None, _LENIENT] = None
    manual_bottom: Annotated[bool, _LENIENT] = False
    ranges: Annotated[dict[Side, SideRangeSnapshot], _LENIENT_ENTRIES] = {}


# --- version 1: the released format, read as leniently as its own restore did ---------------


class SideTotalsV1(_Model):
    """Version 1's per-side running totals."""

    reps: Annotated[NonNegativeInt, _LENIENT] = 0
    sets: Annotated[NonNegativeInt, _LENIENT] = 0
    partial_reps: Annotated[NonNegativeInt, _LENIENT] = 0
    hold_sum: Annotated[float, _LENIENT] = 0.0
    eccentric_sum: Annotated[NonNegativeFloat, _LENIENT] = 0.0
    rom_sum: Annotated[NonNegativeFloat, _LENIENT] = 0.0
    timed_reps: Annotated[NonNegativeInt, _LENIENT] = 0
    tut: Annotated[NonNegativeFloat, _LENIENT] = 0.0


class SetV1(_Model):
    """Version 1's finished set: the session summary's set entry (no times)."""

    side: Side
    set: PositiveInt
    reps: NonNegativeInt
    partial_reps: Annotated[NonNegativeInt, _LENIENT] = 0
    reason: Annotated[SetEndReason | None, _LENIENT] = None
    holds_s: Annotated[list[NonNegativeFloat], _LENIENT_ITEMS] = []
    eccentric_s: Annotated[list[NonNegativeFloat], _LENIENT_ITEMS] = []
    concentric_s: Annotated[list[NonNegativeFloat], _LENIENT_ITEMS] = []
    rom_mm: Annotated[list[NonNegativeFloat], _LENIENT_ITEMS] = []
    mean_hold_s: Annotated[NonNegativeFloat, _LENIENT] = 0.0
    mean_eccentric_s: Annotated[NonNegativeFloat, _LENIENT] = 0.0
    warnings: Annotated[dict[FormWarning, NonNegativeInt], _LENIENT_ENTRIES] = {}


class OpenSetV1(_Model):
    """Version 1's set under way."""

    side: Side
    number: PositiveInt
    reps: NonNegativeInt
    partial_reps: Annotated[NonNegativeInt, _LENIENT] = 0


class SnapshotV1(_Model):
    """The released format 1 (Rep Coach 0.1), exactly as it was written."""

    version: Literal[1]
    side: Annotated[Side | None, _LENIENT] = None
    totals: Annotated[dict[Side, SideTotalsV1], _LENIENT_ENTRIES] = {}
    history: Annotated[list[SetV1], _LENIENT_ITEMS] = []
    current: Annotated[OpenSetV1 | None, _LENIENT] = None
    calibration: Annotated[CalibrationSnapshot, _LENIENT] = CalibrationSnapshot()


# --- version 2: the current format ----------------------------------------------------------


class SideTotalsSnapshot(_Model):
    """Running totals of one side since ``totals_since`` (sums over ``timed_reps``)."""

    reps: NonNegativeInt = 0
    sets: NonNegativeInt = 0
    partial_reps: NonNegativeInt = 0
    hold_sum: float = 0.0
    lowering_sum: float = 0.0
    rom_sum: float = 0.0
    timed_reps: NonNegativeInt = 0
    tut: float = 0.0


class OpenSetSnapshot(_Model):
    """The set under way: it resumes with its count after a restart."""

    side: Side
    number: PositiveInt
    reps: NonNegativeInt
    partial_reps: NonNegativeInt = 0
    started_at: AwareDatetime | None = None


def _both_sides() -> dict[Side, SideTotalsSnapshot]:
    return {side: SideTotalsSnapshot() for side in Side}


class SnapshotV2(_Model):
    """Format 2: typed set history (the summary's sets, under their own names) with wall-clock
    times, and when the totals started."""

    version: Literal[2] = 2
    side: Side | None = None  # None: the engine's starting side
    totals: dict[Side, SideTotalsSnapshot] = Field(default_factory=_both_sides)
    totals_since: AwareDatetime | None = None
    history: list[SetSummary] = []
    current: OpenSetSnapshot | None = None
    calibration: CalibrationSnapshot = CalibrationSnapshot()


type Snapshot = SnapshotV2  # the current format


# --- migrations -----------------------------------------------------------------------------


def migrate_v1_to_v2(old: SnapshotV1) -> SnapshotV2:
    """Format 1 to 2: the same counts, sets and calibration; times unknown."""
    return SnapshotV2(
        side=old.side,
        totals={
            side: SideTotalsSnapshot(
                reps=totals.reps,
                sets=totals.sets,
                partial_reps=totals.partial_reps,
                hold_sum=totals.hold_sum,
                lowering_sum=totals.eccentric_sum,
                rom_sum=totals.rom_sum,
                timed_reps=totals.timed_reps,
                tut=totals.tut,
            )
            for side in Side
            for totals in (old.totals.get(side, SideTotalsV1()),)
        },
        history=[
            SetSummary(
                side=entry.side,
                set=entry.set,
                reps=entry.reps,
                partial_reps=entry.partial_reps,
                reason=entry.reason,
                holds_s=tuple(entry.holds_s),
                lowering_s=tuple(entry.eccentric_s),
                concentric_s=tuple(entry.concentric_s),
                rom_mm=tuple(round(rom) for rom in entry.rom_mm),
                mean_hold_s=entry.mean_hold_s,
                mean_lowering_s=entry.mean_eccentric_s,
                warnings={str(warning): count for warning, count in entry.warnings.items()},
            )
            for entry in old.history
        ],
        current=None
        if old.current is None
        else OpenSetSnapshot(
            side=old.current.side,
            number=old.current.number,
            reps=old.current.reps,
            partial_reps=old.current.partial_reps,
        ),
        calibration=old.calibration,
    )


def _version_of(data: object) -> int:
    if not isinstance(data, Mapping):
        raise UnreadableSnapshotError(f"not a saved session (a {type(data).__name__})")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise UnreadableSnapshotError(f"not a saved session (version {version!r})")
    if version > SNAPSHOT_VERSION:
        raise NewerSnapshotError(version)
    return version


def _parse[M: BaseModel](model: type[M], data: object) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'data'}: {error['msg']}"
            for error in err.errors()[:3]
        )
        raise UnreadableSnapshotError(f"saved session does not fit its format: {problems}") from err


def load_snapshot(data: object) -> Snapshot:
    """Read saved data of any released format and migrate it step by step to the current one.

    Raises :class:`NewerSnapshotError` for a format newer than this engine and
    :class:`UnreadableSnapshotError` for anything else it cannot read.
    """
    if _version_of(data) == 1:
        return migrate_v1_to_v2(_parse(SnapshotV1, data))
    return _parse(SnapshotV2, data)
