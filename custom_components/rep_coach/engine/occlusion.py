"""Something between the lens and the hips: readings beyond the seat, away from the lift.

Hips resting on a bench cannot sink through the seat. A reading well beyond the seat on the side
away from the lift is not the hips: a body passing between the lens and the hips (a sensor below
them reads it nearer than the seat), or a gap where the hips are not in the beam. Such readings
are held back. When the readings come back to the hips' side of the seat, the excursion was an
occlusion: what was held back is dropped, and the rep under way (or the rest) goes on as across
a blind spell. When the readings stay beyond the seat for longer than any body takes to pass,
the scene changed (the lifter left, the floor in view): they are replayed in order, as they came.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from .conditioning import JUMP_SLACK_MM, MAX_SPEED_MM_S, PASSING_S, Validity
from .thresholds import OCCLUSION_MAX_S

# A reading as it came: (t s, distance mm or None, validity).
type Reading = tuple[float, float | None, Validity]


class Reach(IntEnum):
    """Where a reading lies against the seat the hips rest on."""

    TRACK = 0  # where the hips can be: from the seat (within half the margin) up their range
    BAND = 1  # just beyond the seat, within the margin: neither
    BEYOND = 2  # well beyond the seat, away from the lift: not the hips
    AWAY = 3  # far past any thrust the other way (someone standing, the ceiling): not the hips


@dataclass(slots=True)
class Released:
    """What one reading let go: readings to run now, in the order they came; ``dropped``: the
    readings held were an occlusion, dropped (a blind spell); ``lasted``: they stayed beyond
    the seat for longer than anyone takes to pass (the scene, not a passer)."""

    run: list[Reading] = field(default_factory=list)
    dropped: bool = False
    lasted: bool = False


@dataclass(slots=True)
class Occlusion:
    """The readings held back while the beam reads beyond the seat."""

    held: list[Reading] = field(default_factory=list)
    lasting: bool = False  # beyond the seat for longer than a passing body: let through

    def offer(self, t: float, x: float, reach: Reach | None) -> Released:
        """The valid reading ``x`` at ``t``, lying at ``reach`` (None: no seat to judge by,
        what was held goes on as it came)."""
        held = self.held
        reading: Reading = (t, x, Validity.VALID)
        if reach is None:
            self.held = []
            self.lasting = False
            return Released(run=[*held, reading])
        back = reach is Reach.TRACK
        if self.lasting:
            self.lasting = not back
            return Released(run=[reading])
        if not held:
            if reach is not Reach.BEYOND:
                return Released(run=[reading])
        elif back and self._joins(reading):
            # Back where the hips can be, no faster than hips move from the reading before
            # (not the cone still emptying, a mix of body and hips): the hips again.
            self.held = []
            if t - held[0][0] < PASSING_S:
                # Too brief for a body passing: a spike, the gate's to judge as it came.
                return Released(run=[*held, reading])
            return Released(run=[reading], dropped=True)
        return self._hold(reading, back=back)

    def unseen(self, t: float, validity: Validity) -> Released:
        """A reading without a distance at ``t``. Held readings too brief for a body passing
        may be a spike: they go on now, as they came; a longer spell beyond the seat holds this
        one too (a body in the beam may also read as nothing)."""
        held = self.held
        reading: Reading = (t, None, validity)
        if not held:
            return Released(run=[reading])
        if t - held[0][0] < PASSING_S:
            self.held = []
            return Released(run=[*held, reading])
        return self._hold(reading, back=False)

    def _joins(self, reading: Reading) -> bool:
        """``reading`` is within what hips can move from the last valid reading held."""
        t, x, _ = reading
        for held_t, held_x, _ in reversed(self.held):
            if held_x is not None and x is not None:
                return abs(x - held_x) <= JUMP_SLACK_MM + MAX_SPEED_MM_S * (t - held_t)
        return True

    def _hold(self, reading: Reading, *, back: bool) -> Released:
        held = self.held
        held.append(reading)
        if reading[0] - held[0][0] < OCCLUSION_MAX_S:
            return Released()
        self.held = []
        self.lasting = not back
        return Released(run=held, lasted=True)

    def clear(self) -> list[Reading]:
        """Forget the excursion under way (the data stopped joining up); what was held back."""
        held, self.held = self.held, []
        self.lasting = False
        return held
