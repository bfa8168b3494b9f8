"""Calibration: orientation, seat and range per side, learned from motion and relearned on change.

Heights are distances turned so that they grow as the hips rise: ``h = sign * distance``. Both
orientation hypotheses are tracked (:mod:`.detector`); their candidate reps are *evidence*:

- a lift that opens a run - after a quiet rest, no attempt under way - comes from the seat;
- a "hold" so long that it is a rest means that hypothesis is upside down;
- a lift from a rest far beyond the reps, the lifter then gone, is standing up from the seat;
- the squeeze pause is at the top and the bottom is touch-and-go; the lowering is usually
  slower than the lift (soft votes, capped, so that one unusual lifter cannot decide alone).

Evidence is log-odds for ``sign = +1``. Candidates are held back until it passes ``DECIDE``,
then the winner's are counted with their original timestamps and the loser's dropped: the engine
waits rather than count inverted. Once settled, a rep that does not fit what was learned - a
start far from the seat, a range far from the learned one, or evidence turning - puts the
calibration back into learning (recalibrating); it settles again within one or two reps and says
why. A saved calibration is only a prior (``PRIOR``), never a lock.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median
from typing import Any

from .detector import Candidate
from .events import CalibrationReason
from .settings import Side
from .state import Calibration
from .thresholds import (
    CHAIN,
    CONSISTENT,
    DECIDE,
    DOUBT,
    DWELL_WEIGHT,
    EVIDENCE_CAP,
    LOCKOUT,
    NOISE_MIN_ROM,
    OVERSIZE,
    PRIOR,
    QUIET_S,
    RELEARN_REPS,
    REP_LIKE,
    RESIZED,
    REST_AT_TOP,
    SEAT_TOL,
    SLOW_LOWERING,
    SOFT_CAP,
    STOOD_UP,
    SWIFT_SHARE,
    TEMPO_WEIGHT,
)

HISTORY = 5  # the range is the median of the last five full reps of a side
MAX_PENDING = 48  # candidates held back at most (both hypotheses); then the evidence decides
DWELL_FLOOR_S = 0.3  # dwells are compared plus this: 0.1 s against 0.05 s says nothing
DWELL_GAIN = 1.5  # vote per unit of log ratio (a squeeze twice the bottom pause: +1)


@dataclass(slots=True)
class SideRange:
    """Learned range of motion (mm) for one side.

    The automatic ranges change only through :meth:`learn`, :meth:`replace` and :meth:`clear`,
    which keep their median: :attr:`value` is read several times per reading.
    """

    _roms: deque[float] = field(default_factory=lambda: deque(maxlen=HISTORY), init=False)
    manual: float | None = None
    _median: float | None = field(default=None, init=False)  # of ``_roms``, kept with them

    @property
    def roms(self) -> tuple[float, ...]:
        """The learned ranges, newest last."""
        return tuple(self._roms)

    @property
    def value(self) -> float | None:
        """The calibrated range, or None before the first rep."""
        if self.manual is not None:
            return self.manual
        return self._median

    def learn(self, rom: float) -> None:
        """Add one complete rep's range (the oldest of HISTORY goes)."""
        self._roms.append(rom)
        self._median = _median(self._roms)

    def replace(self, roms: list[float]) -> None:
        """Keep only the last HISTORY of ``roms``."""
        self._roms.clear()
        self._roms.extend(roms[-HISTORY:])
        self._median = _median(self._roms)

    def clear(self) -> None:
        """Forget the learned ranges."""
        self._roms.clear()
        self._median = None


def _median(roms: deque[float]) -> float | None:
    """statistics.median, inlined (the same result); None for no ranges."""
    if not roms:
        return None
    ordered = sorted(roms)
    n = len(ordered)
    if n % 2:
        return ordered[n // 2]
    return (ordered[n // 2 - 1] + ordered[n // 2]) / 2


@dataclass(slots=True)
class CalibrationModel:
    """What is known about the geometry (all of it a prior for the evidence)."""

    sign: int = 0  # +1: distance grows as hips rise; -1: shrinks; 0: not known yet
    fixed_sign: bool = False  # orientation set by the user, never relearned
    bottom_h: float | None = None  # the seat, in height units
    manual_bottom: bool = False
    ranges: dict[Side, SideRange] = field(
        default_factory=lambda: {Side.LEFT: SideRange(), Side.RIGHT: SideRange()}
    )

    def range_for(self, side: Side) -> float | None:
        """This side's range, falling back to the other side's (legs are similar)."""
        own = self.ranges[side].value
        return own if own is not None else self.ranges[side.other].value

    def levels(self, side: Side) -> Calibration | None:
        """The levels this model gives ``side`` as the sensor reads them, or None while they are
        still being learned."""
        rom = self.range_for(side)
        if not self.sign or rom is None or self.bottom_h is None:
            return None
        bottom = self.sign * self.bottom_h
        return Calibration(
            bottom_mm=bottom,
            top_mm=bottom + self.sign * rom,
            rising_farther=self.sign > 0,
            automatic=self.ranges[side].manual is None,
        )

    def learn_rom(self, side: Side, rom: float) -> None:
        """Add one complete rep's range."""
        self.ranges[side].learn(rom)

    def forget_rom(self, side: Side) -> None:
        """Forget a side's automatic range (it falls back to the other side's)."""
        self.ranges[side].clear()

    def relearn_rom(self, side: Side, roms: list[float]) -> None:
        """Replace a side's automatic range (the lifter or the bench changed)."""
        self.ranges[side].replace(roms)

    def reset(self) -> None:
        """Forget everything learned automatically (the user's fixed orientation stays)."""
        if not self.fixed_sign:
            self.sign = 0
        self.bottom_h = None
        self.manual_bottom = False
        for side_range in self.ranges.values():
            side_range.clear()
            side_range.manual = None

    def export(self) -> dict[str, Any]:
        """JSON-ready copy for persistence."""
        return {
            "sign": self.sign,
            "bottom_h": self.bottom_h,
            "manual_bottom": self.manual_bottom,
            "ranges": {
                str(side): {"roms": list(r.roms), "manual": r.manual}
                for side, r in self.ranges.items()
            },
        }

    def restore(self, data: dict[str, Any]) -> None:
        """Load what :meth:`export` wrote; bad values are ignored."""
        sign = data.get("sign")
        if not self.fixed_sign and sign in (-1, 0, 1):
            self.sign = int(sign)
        bottom = data.get("bottom_h")
        if isinstance(bottom, int | float):
            self.bottom_h = float(bottom)
        self.manual_bottom = bool(data.get("manual_bottom", False))
        ranges = data.get("ranges")
        if not isinstance(ranges, dict):
            return
        for side in Side:
            entry = ranges.get(str(side))
            if not isinstance(entry, dict):
                continue
            roms = [float(v) for v in entry.get("roms", []) if isinstance(v, int | float) and v > 0]
            self.ranges[side].replace(roms)
            manual = entry.get("manual")
            self.ranges[side].manual = float(manual) if isinstance(manual, int | float) else None


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the session hears about one candidate."""

    candidate: Candidate
    complete: bool
    rom_fraction: float  # of the calibrated range


@dataclass(slots=True)
class Outcome:
    """What one piece of evidence changed: reps to report, and why the calibration changed."""

    verdicts: list[Verdict] = field(default_factory=list)
    calibrated: CalibrationReason | None = None


def _dwell_vote(top_s: float, bottom_s: float | None) -> float:
    """The pause at the top (the squeeze) is longer than the one at the bottom (touch-and-go),
    for this lifter whatever their style: a vote on the ratio, not on absolute durations.
    ``bottom_s`` None: the lift came after a rest, which says nothing about the bottom pause."""
    if bottom_s is None:
        return 0.0
    ratio = (top_s + DWELL_FLOOR_S) / (bottom_s + DWELL_FLOOR_S)
    return max(-DWELL_WEIGHT, min(DWELL_WEIGHT, DWELL_GAIN * math.log(ratio)))


def _tempo_vote(candidate: Candidate) -> float:
    """The lowering is usually slower than the lift (a mistake otherwise: a soft cue)."""
    up, down = candidate.concentric_s, candidate.eccentric_s
    if up < 0.2 or down < 0.2:
        return 0.0
    return max(-TEMPO_WEIGHT, min(TEMPO_WEIGHT, 0.5 * math.log(down / up)))


class Calibrator:
    """Decides the orientation and keeps seat and range up to date, from candidate reps.

    The working side is the session's: every call that learns or reads a range is given it.
    """

    def __init__(self, model: CalibrationModel, side: Side, *, partial: float) -> None:
        """Take ``model`` as the prior; ``side`` is the working side now."""
        self.model = model
        self.partial = partial
        self.sigma = 2.0
        self.learning: CalibrationReason | None = CalibrationReason.INITIAL
        self.learning_since: float | None = None
        self.prior = 0.0
        self.window: deque[Candidate] = deque(maxlen=MAX_PENDING)  # evidence (both signs)
        self.rests_at_top: list[int] = []  # signs whose "hold" turned out to be a rest
        self.stand_ups: list[int] = []  # signs whose lift from a rest was someone leaving
        self.pending: list[Candidate] = []  # held back until settled
        self.suspect: Candidate | None = None  # a short lift after a rest: partial or new range?
        self.swift_trip: Candidate | None = None  # a swift trip after a rest: rep or passer?
        self.arrived = False  # someone (maybe another lifter) sat down: their first rep tells
        self.unconfirmed = 0  # full reps still to come before a newcomer's range is taken as known
        self.jolted = False  # the scene changed (a body through the beam) since the last rep
        self.left_t: float | None = None  # when the bench was last seen to empty
        self.vacated = False  # the bench emptied since the calibration last settled
        self.restored(side)

    # --- state ---------------------------------------------------------------------------
    def restored(self, side: Side) -> None:
        """Take the model as it is now (fresh, restored or set by hand) as the prior."""
        model = self.model
        self.window.clear()
        self.rests_at_top.clear()
        self.stand_ups.clear()
        self.pending.clear()
        self.suspect = None
        self.swift_trip = None
        self.arrived = False
        self.unconfirmed = 0
        self.jolted = False
        self.left_t = None
        self.vacated = False
        settled = model.sign != 0 and model.range_for(side) is not None
        self.prior = PRIOR * model.sign if model.sign and not model.fixed_sign else 0.0
        if model.fixed_sign:
            self.prior = EVIDENCE_CAP * 10 * model.sign  # the user's word: never overturned
        self.learning = None if settled else CalibrationReason.INITIAL
        self.learning_since = None

    @property
    def settled(self) -> bool:
        """Counting with a known orientation, seat and range."""
        return self.learning is None

    def rom(self, side: Side) -> float | None:
        """The range of ``side``."""
        return self.model.range_for(side)

    def range_in_doubt(self, side: Side) -> bool:
        """The learned range of ``side`` may no longer be the lifter's: someone sat down, a
        short lift after a rest awaits the next rep to tell, or the seat or the range is being
        relearned."""
        model = self.model
        return (  # (read for every reading: the flags, seldom set, first)
            (
                self.arrived
                or self.suspect is not None
                or self.learning in (CalibrationReason.SEAT_MOVED, CalibrationReason.RANGE_CHANGED)
            )
            and model.sign != 0
            and self.rom(side) is not None
            and self._automatic(side)
        )

    def scene_changed(self) -> None:
        """Someone arrived or left, or the data jumped: the next lifter may sit elsewhere."""
        self.jolted = True
        if self.settled and not self.model.fixed_sign:
            self._restart_evidence()

    def lifter_left(self, t: float) -> None:
        """The bench is empty since ``t`` (at the latest): whoever comes next may be someone
        else."""
        self.left_t = t
        self.vacated = True

    def lifter_arrived(self) -> None:
        """Someone sat down after the bench was empty: a short first rep may be a new lifter's
        range, not a partial rep (told apart by the next rep, as after a rest).

        While relearning, the evidence weighed from before the bench emptied was the previous
        lifter's (their reps, their standing up): it would set the scale the new lifter's reps
        are measured against and outvote them. It goes, as when settled (:meth:`scene_changed`);
        what came since (the new lifter sitting down, a first rep before they were seen to
        sit) stays, what the model learned stays the prior, candidates held back stay held
        back."""
        self.arrived = True
        self.unconfirmed = RELEARN_REPS
        left_t, self.left_t = self.left_t, None
        if self.settled or self.model.fixed_sign or left_t is None:
            return
        self._restart_evidence(since=left_t)

    def _restart_evidence(self, since: float | None = None) -> None:
        """Weigh the orientation afresh: what the model learned is the prior again, and of the
        round trips only those begun at ``since`` or later (none without it) still count."""
        kept = [] if since is None else [c for c in self.window if c.begun_t >= since]
        self.window.clear()
        self.window.extend(kept)
        self.rests_at_top.clear()
        self.stand_ups.clear()
        self.prior = PRIOR * self.model.sign

    def evidence(self, *, style: bool = True) -> float:
        """Log-odds that the distance grows as the hips rise (``style`` False: the hard clues
        alone, without the lifter's style votes)."""
        score = self.prior
        window = self.window
        if window:
            reference = _reference([c.rom for c in window])
            floor = self._rep_floor(reference)
            soft = 0.0
            for c in window:
                if floor <= c.rom <= OVERSIZE * reference:
                    # Before a run's first lift the lifter rested: that dwell says nothing of
                    # the touch-and-go bottom the pause pattern compares the squeeze with.
                    bottom = None if c.quiet else c.dwell_before
                    soft += c.sign * (_dwell_vote(c.dwell_top, bottom) + _tempo_vote(c))
                    if c.quiet:
                        score += c.sign * CHAIN
            # Style votes repeat the same lifter's habit rep after rep (and in both hypotheses):
            # together they never outweigh where a run starts or where the lifter rests, and
            # once settled they never unsettle it alone (a lifter whose squeeze is short or whose
            # lowering is quick is still the right way up): only a hard clue can.
            if not self.settled and style:
                score += max(-SOFT_CAP, min(SOFT_CAP, soft))
        for sign in self.rests_at_top:
            score -= sign * REST_AT_TOP
        for sign in self.stand_ups:
            score += sign * STOOD_UP
        if abs(score) > EVIDENCE_CAP and not self.model.fixed_sign:
            score = math.copysign(EVIDENCE_CAP, score)
        return score

    def _rep_floor(self, reference: float) -> float:
        """The smallest round trip that is rep-like next to ``reference`` (REP_LIKE of it,
        never inside the noise): smaller ones are fidgets and carry no evidence."""
        return max(REP_LIKE * reference, NOISE_MIN_ROM * self.sigma)

    def provisional_sign(self) -> int:
        """The orientation to cue with now (0: no idea yet)."""
        if self.settled:
            return self.model.sign
        score = self.evidence()
        if abs(score) >= 1.0:
            return 1 if score > 0 else -1
        return 0

    def squeezed_at_top(self, sign: int, begun_t: float) -> bool:
        """The rep of ``sign`` just before a lift begun at ``begun_t`` (in the same run: it ended
        under QUIET_S before) dwelt at its top and touched its bottom briefly, clearly enough
        for the pause pattern's whole vote, *and* was lowered clearly slower than it was lifted
        (SLOW_LOWERING): that hypothesis' top is where this lifter squeezes. The other way up the
        same round trip dwells at its bottom and is lowered faster. Either clue alone is a style
        (a lifter who rests at the bottom and barely squeezes shows the pause pattern the other
        way up)."""
        window = self.window
        if not window:
            return False
        reference = _reference([c.rom for c in window])
        floor = self._rep_floor(reference)
        for c in reversed(window):
            if c.sign != sign or c.rom < floor:
                continue
            return (
                not c.quiet
                and c.locked_out
                and c.end_t >= begun_t - QUIET_S
                and _dwell_vote(c.dwell_top, c.dwell_before) >= DWELL_WEIGHT
                and c.eccentric_s >= SLOW_LOWERING * c.concentric_s
            )
        return False

    # --- inputs --------------------------------------------------------------------------
    def rested_at_top(self, sign: int, t: float, side: Side) -> Outcome:
        """A candidate of ``sign`` "held" so long that its top is where the lifter rests."""
        if not self.model.fixed_sign:
            self.rests_at_top.append(sign)
            del self.rests_at_top[:-MAX_PENDING]
        return self._review(t, side)

    def stood_up(self, sign: int, t: float, side: Side) -> Outcome:
        """A lift of ``sign`` from a rest rose far beyond every rep-like round trip, and the
        lifter was gone at ``t`` (the readings jumped or stopped): someone standing up from the
        seat and leaving. The other way up the same movement sinks through the seat."""
        if self.settled or self.model.fixed_sign:
            return Outcome()
        self.stand_ups.append(sign)
        del self.stand_ups[:-MAX_PENDING]
        return self._review(t, side)

    def standing(self, rise: float) -> bool:
        """A lift of ``rise`` goes far beyond the rep-like round trips seen (OVERSIZE of the
        largest two agree on): no rep, someone standing up (False: none seen yet)."""
        roms = [c.rom for c in self.window]
        if not roms:
            return False
        reference = _reference(roms)
        floor = self._rep_floor(reference)
        if sum(1 for r in roms if floor <= r <= OVERSIZE * reference) < 2:
            return False
        return rise > OVERSIZE * reference

    def rest(self, level_x: float, side: Side) -> None:
        """The hips rest at distance ``level_x``: near the seat, that is the seat now."""
        model = self.model
        if not self.settled or not model.sign or model.manual_bottom:
            return  # (read for every still reading: the range only once the flags allow)
        rom = self.rom(side)
        if rom is None:
            return
        h = model.sign * level_x
        if model.bottom_h is None or abs(h - model.bottom_h) <= SEAT_TOL * rom:
            model.bottom_h = h

    def add(self, candidate: Candidate, side: Side) -> Outcome:
        """A round trip one hypothesis saw, while ``side`` was working."""
        self.window.append(candidate)
        if self.learning_since is None and not self.settled:
            self.learning_since = candidate.begun_t
        if self.settled:
            return self._settled(candidate, side)
        # learning from scratch: the arriving lifter's reps set the range
        self.arrived = self.jolted = False
        self.pending.append(candidate)
        outcome = self._review(candidate.end_t, side)
        if not self.settled and len(self.pending) > MAX_PENDING:
            self._bound_pending()
        return outcome

    def _bound_pending(self) -> None:
        """Held back for MAX_PENDING round trips and still nothing to learn from (an empty
        bench's wander, or a lifter whose orientation takes sets to tell): the held back stay
        bounded. The oldest round trips under a partial rep of the largest go first (fidgets
        between sets, not the reps of a set still waiting to be counted), then the oldest."""
        pending = self.pending
        excess = len(pending) - MAX_PENDING
        floor = self.partial * max(c.rom for c in pending)
        dropped = {id(c) for c in [c for c in pending if c.rom < floor][:excess]}
        kept = [c for c in pending if id(c) not in dropped]
        self.pending = kept[-MAX_PENDING:]

    # --- settled: count what fits, doubt what does not ------------------------------------
    def _settled(self, c: Candidate, side: Side) -> Outcome:
        model = self.model
        rom = self.rom(side)
        if c.sign != model.sign:
            if self.vacated and rom is not None and c.rom < self.partial * rom:
                # The bench emptied since it settled: a stir under a partial rep of the learned
                # range the other way up is its background's (a far ceiling's wander), no lifter.
                return Outcome()
            if model.sign * self.evidence() < DOUBT:
                return self._doubt(c, CalibrationReason.ORIENTATION, side)
            return Outcome()
        assert rom is not None
        fraction = c.rom / rom
        if fraction < self.partial:
            return Outcome()  # fidgeting
        if model.sign * self.evidence() < DOUBT:
            return self._doubt(c, CalibrationReason.ORIENTATION, side)
        seat = model.bottom_h
        seated = seat is None or model.manual_bottom or abs(c.base - seat) <= SEAT_TOL * rom
        if not seated and fraction >= self.partial:
            return self._doubt(c, CalibrationReason.SEAT_MOVED, side)
        if fraction > OVERSIZE:
            return self._doubt(c, CalibrationReason.RANGE_CHANGED, side)
        earlier: list[Verdict] = []
        trip, self.swift_trip = self.swift_trip, None
        if trip is not None and not c.rested:
            earlier.append(self._verdict(trip, rom, side))  # the set went on: it was its first
        if _swift_after_rest(c, fraction) and self.suspect is None and self._automatic(side):
            # Filled and emptied the beam within a reading or two, after a rest: a body crossing
            # it (a passer, someone stepping over the bench), or a fast lifter's first rep. A
            # set goes on with a lift before the next rest; a passer is alone between rests.
            self.swift_trip = c
            return Outcome(verdicts=earlier)
        suspect, self.suspect = self.suspect, None
        if suspect is not None:
            if abs(c.rom - suspect.rom) <= CONSISTENT * suspect.rom:
                # The next rep is like the short one after the rest: the range is shorter now.
                self.learning = CalibrationReason.RANGE_CHANGED
                self.learning_since = suspect.begun_t
                self.pending = [suspect, c]
                return self._review(c.end_t, side)
            earlier.append(self._verdict(suspect, rom, side))  # it was a partial rep after all
        # Someone sat down (the bench was seen empty), or a body went through the beam and the
        # hips then rested before this lift: a partner who sat down straight after the other
        # got up, on a bench whose floor is too near the seat to be seen as empty. (Rested,
        # not quiet: sitting down, read the other way up, is a round trip ending on this lift.)
        # A newcomer's first full rep may be their deepest: until RELEARN_REPS full reps
        # confirm the range, a short lift is held back as after sitting down.
        # So is the first lift since the bench was seen empty, when nobody was seen sitting
        # down (they lifted at once): only its verdict would say someone is there.
        first_after_arrival = (
            self.arrived
            or self.unconfirmed > 0
            or self.left_t is not None
            or (self.jolted and c.dwell_before >= QUIET_S)
        )
        self.arrived = self.jolted = False
        if fraction >= LOCKOUT and self.unconfirmed:
            self.unconfirmed -= 1
        if fraction < LOCKOUT and (c.rested or first_after_arrival) and self._automatic(side):
            # A short lift after a real rest or as someone sat down (a new lifter): held back
            # until the next rep tells a partial rep from a shorter range.
            self.suspect = c
            return Outcome(verdicts=earlier)
        return Outcome(verdicts=[*earlier, self._verdict(c, rom, side)])

    def release(self, side: Side) -> Outcome:
        """The lifter rests after a held-back short lift: it was a partial rep. A held-back swift
        round trip that no lift followed before this rest was alone: something crossed the beam."""
        self.swift_trip = None
        suspect, self.suspect = self.suspect, None
        rom = self.rom(side)
        if suspect is None or not self.settled or rom is None:
            return Outcome()
        return Outcome(verdicts=[self._verdict(suspect, rom, side)])

    def _automatic(self, side: Side) -> bool:
        """``side``'s range is learned (not set by hand)."""
        return self.model.ranges[side].manual is None

    def _verdict(self, c: Candidate, rom: float, side: Side) -> Verdict:
        fraction = c.rom / rom
        complete = fraction >= LOCKOUT
        if complete and self._automatic(side):
            self.model.learn_rom(side, c.rom)
        return Verdict(candidate=c, complete=complete, rom_fraction=fraction)

    def _doubt(self, c: Candidate, reason: CalibrationReason, side: Side) -> Outcome:
        self.suspect = self.swift_trip = None
        self.learning = reason
        self.learning_since = c.begun_t
        self.pending = [c]
        return self._review(c.end_t, side)

    # --- learning: wait for the evidence, then count what was held back --------------------
    def _review(self, t: float, side: Side) -> Outcome:
        if self.settled:
            if self.model.sign * self.evidence() < DOUBT and not self.model.fixed_sign:
                self.learning = CalibrationReason.ORIENTATION
                self.learning_since = t
                self.pending = []
            return Outcome()
        score = self.evidence()
        forced = len(self.pending) >= MAX_PENDING
        if abs(score) >= DECIDE or (forced and score):
            sign = 1 if score > 0 else -1
        elif self._orientation_stands(side):
            sign = self.model.sign
        else:
            return Outcome()
        mine = [c for c in self.pending if c.sign == sign]
        if not mine:
            return Outcome()
        roms = [c.rom for c in mine]
        agreed = _agreed(roms)
        reference = max(roms) if agreed is None else agreed
        if self.model.sign == 0 and not forced and agreed is None:
            lone = max(mine, key=lambda c: c.rom)
            if not lone.returned or lone.dwell_before < QUIET_S:
                # Nothing learned yet and one movement would set the scale alone, one that is
                # not a lift from a rest and back: someone sitting down from a still level (the
                # empty bench, where someone just walked through). The next movement tells.
                return Outcome()
        if mine[-1].rom > OVERSIZE * reference and not forced:
            # The newest movement dwarfs the group the scale would be taken from: that group
            # may be the noise of an empty bench or a rest, and the newest a lifter's first
            # rep (or someone standing up). The next movement tells: wait for it.
            return Outcome()
        floor = self._rep_floor(reference)
        reps = [c for c in mine if floor <= c.rom <= OVERSIZE * reference]
        if not reps:
            return Outcome()
        return self._settle(sign, reps, mine, side, forced=forced)

    def _orientation_stands(self, side: Side) -> bool:
        """Relearning a moved seat or a changed range, not the orientation: the learned
        orientation holds once the lifter's reps agree on the new seat with the learned range
        and the first of them to leave a rest (the seat the lifter sat down on) went the
        learned way up, unless a hard clue (a run opened the other way up, a rest at the top)
        says otherwise. The lifter's style alone never unsettles a learned orientation, nor
        keeps it from settling again here: a short squeeze and a long pause on the seat held it
        under DECIDE for good, every rep uncounted. (One quiet rep from a new seat settles it
        too, :meth:`_seat_only`; a lift begun as the lifter sat down is not quiet, yet it leaves
        the seat.) Once the bench has emptied since it settled, or once the reps left the
        learned range (a short lift after a rest or an arrival, then another like it), the reps
        may be another lifter's, with a range of their own: agreeing with one another instead
        of with the learned range does too."""
        sign, rom = self.model.sign, self.rom(side)
        if (
            self.learning not in (CalibrationReason.SEAT_MOVED, CalibrationReason.RANGE_CHANGED)
            or sign == 0
            or rom is None
            or sign * self.evidence(style=False) < PRIOR
        ):
            return False
        # (rep-like above the noise as well: a far background's wander is no lifter)
        floor = NOISE_MIN_ROM * self.sigma
        sized = [c for c in self.pending if LOCKOUT <= c.rom / rom <= OVERSIZE and c.rom >= floor]
        mine = [c for c in sized if c.sign == sign]
        changed = self.vacated or self.learning is CalibrationReason.RANGE_CHANGED
        if (not mine or _consistent(mine) is None) and changed:
            # The bench emptied since it settled (maybe another lifter), or the reps left the
            # learned range: their range is their own. Reps agreeing with one another, not
            # with the learned range, say so.
            above_noise = [c for c in self.pending if c.sign == sign and c.rom >= floor]
            own = _consistent(above_noise) if above_noise else None
            if own is None:
                return False
            rom = median(c.rom for c in own)
            sized = [c for c in self.pending if LOCKOUT <= c.rom / rom <= OVERSIZE]
            mine = [c for c in sized if c.sign == sign and c.rom >= floor]
        if not mine or _consistent(mine) is None:
            return False
        from_rest = [c for c in sized if c.returned and c.dwell_before >= QUIET_S]
        first = min(from_rest, key=lambda c: c.begun_t, default=None)
        return first is not None and first.sign == sign

    def _settle(
        self, sign: int, reps: list[Candidate], mine: list[Candidate], side: Side, *, forced: bool
    ) -> Outcome:
        model = self.model
        old_sign, old_rom, old_seat = model.sign, self.rom(side), model.bottom_h
        last = reps[-1]
        fits_old = (
            old_sign == sign
            and old_rom is not None
            and (
                model.manual_bottom
                or old_seat is None
                or abs(last.base - old_seat) <= SEAT_TOL * old_rom
            )
            # every rep-sized one, not only the last: two shorter reps in a row are a new range
            and all(LOCKOUT <= c.rom / old_rom <= OVERSIZE for c in reps)
        )
        calibrated: CalibrationReason | None = None
        chosen: list[Candidate] = []
        if not fits_old:
            found = self._relearned(sign, reps, mine, side, forced=forced)
            if found is None:
                return Outcome()
            chosen = found
            new_rom = median(c.rom for c in chosen)
            model.sign = sign
            if not model.manual_bottom:
                model.bottom_h = median(c.base for c in chosen)
            moved = old_sign != sign or (
                old_seat is not None
                and old_rom is not None
                and model.bottom_h is not None
                and abs(model.bottom_h - old_seat) > SEAT_TOL * old_rom
            )
            resized = old_rom is not None and abs(new_rom - old_rom) > RESIZED * old_rom
            if (moved or resized) and self.vacated:
                # The bench emptied, then another orientation, another seat or another range:
                # the bench moved, the sensor was clamped again, another lifter sat down. The
                # other side's range was learned on the old geometry, maybe on other legs;
                # until that side's own reps say otherwise it is this one's. (The same lifter
                # shifting on the seat keeps both legs' ranges.)
                model.forget_rom(side.other)
            if self._automatic(side):
                model.relearn_rom(side, [c.rom for c in chosen])
            if old_sign == 0 or old_rom is None:
                calibrated = CalibrationReason.INITIAL
            elif old_sign != sign:
                calibrated = CalibrationReason.ORIENTATION
            elif resized:
                calibrated = CalibrationReason.RANGE_CHANGED
            else:
                calibrated = CalibrationReason.SEAT_MOVED
        self.learning = None
        self.learning_since = None
        self.vacated = False
        self.unconfirmed = 0  # (the range was just learned from this lifter's reps)
        self.pending = []
        self.window.clear()
        self.rests_at_top.clear()
        self.stand_ups.clear()
        self.prior = PRIOR * sign
        rom = self.rom(side)
        assert rom is not None
        learned = {id(c) for c in chosen}
        verdicts = []
        for k, c in enumerate(mine):
            fraction = c.rom / rom
            if fraction < self.partial or fraction > OVERSIZE:
                continue  # fidgeting, or standing up and sitting down: not a rep
            if _swift_after_rest(c, fraction):
                # Swift after a rest (see _settled): a rep only if a lift follows before a rest.
                if k + 1 == len(mine) and self._automatic(side):
                    self.swift_trip = c  # the next lift tells
                    continue
                if k + 1 < len(mine) and mine[k + 1].rested:
                    continue  # alone between rests: something crossed the beam
            complete = fraction >= LOCKOUT
            if complete and self._automatic(side) and id(c) not in learned:
                model.learn_rom(side, c.rom)
            verdicts.append(Verdict(candidate=c, complete=complete, rom_fraction=fraction))
        return Outcome(verdicts=verdicts, calibrated=calibrated)

    def _relearned(
        self,
        sign: int,
        reps: list[Candidate],
        mine: list[Candidate],
        side: Side,
        *,
        forced: bool,
    ) -> list[Candidate] | None:
        """The reps that define the new seat and range, or None to wait for more."""
        first = self.model.sign == 0 or self.rom(side) is None
        group = _consistent(reps)
        if group is not None and (first or _in_a_row(group, mine, self.partial)):
            return group
        if first:
            # The first calibration: the full reps so far (the largest, within LOCKOUT).
            top = _reference([c.rom for c in reps])
            return [c for c in reps if LOCKOUT * top <= c.rom <= OVERSIZE * top]
        if len(reps) == 1 and self._seat_only(sign, reps[0], side):
            return reps
        last = reps[-RELEARN_REPS:]
        return last if forced and _in_a_row(last, mine, self.partial) else None

    def misfit(self, sign: int, base: float, rise: float, side: Side) -> bool:
        """A movement of the settled orientation under way that does not fit what was learned
        for ``side``: from far off the seat, or far beyond the range."""
        model, rom = self.model, self.rom(side)
        if not self.settled or sign != model.sign or rom is None or rise < self.partial * rom:
            return False
        seat = model.bottom_h
        off_seat = (
            seat is not None and not model.manual_bottom and abs(base - seat) > SEAT_TOL * rom
        )
        return off_seat or rise > OVERSIZE * rom

    def _seat_only(self, sign: int, c: Candidate, side: Side) -> bool:
        """One rep from a new seat opening a run, with the learned range: the seat moved. (Not
        one that filled and emptied the beam within a reading or two: a body crossing it.)"""
        rom = self.rom(side)
        return (
            c.quiet
            and c.swift < SWIFT_SHARE
            and sign == self.model.sign
            and rom is not None
            and LOCKOUT <= c.rom / rom <= OVERSIZE
        )


def _reference(roms: list[float]) -> float:
    """The largest range another movement confirms (within CONSISTENT): a lone excursion far
    beyond the others - standing up, leaving - does not set the scale. The largest if none
    agree."""
    agreed = _agreed(roms)
    return max(roms) if agreed is None else agreed


def _agreed(roms: list[float]) -> float | None:
    """The largest range another movement confirms (within CONSISTENT), None if none does."""
    ordered = sorted(roms, reverse=True)
    for larger, smaller in pairwise(ordered):  # (sorted: the nearest other is the next one)
        if larger - smaller <= CONSISTENT * larger:
            return larger
    return None


def _in_a_row(group: list[Candidate], mine: list[Candidate], partial: float) -> bool:
    """The reps of ``group`` follow one another: no other round trip of theirs (``mine``) in
    between reached a partial rep of their range. A lifter's reps come one after the other; an
    empty bench's wander swings by every size, its largest swings far apart among smaller ones
    (a range learned from them is the wander's, and every swing after it a rep)."""
    members = {id(c) for c in group}
    begun, ended = group[0].begun_t, group[-1].begun_t
    floor = partial * median(c.rom for c in group)
    return not any(
        begun < c.begun_t < ended and id(c) not in members and c.rom >= floor for c in mine
    )


def _consistent(reps: list[Candidate]) -> list[Candidate] | None:
    """The last RELEARN_REPS full-sized reps (partials left out) if their ranges and starts agree."""
    recent = reps[-2 * RELEARN_REPS - 1 :]
    top = max(c.rom for c in recent)
    full = [c for c in recent if c.rom >= LOCKOUT * top]
    if len(full) < RELEARN_REPS:
        return None
    last = full[-RELEARN_REPS:]
    middle = median(c.rom for c in last)
    if any(abs(c.rom - middle) > CONSISTENT * middle for c in last):
        return None
    bases = [c.base for c in last]
    if max(bases) - min(bases) > SEAT_TOL * middle:
        return None
    return last


def _swift_after_rest(c: Candidate, fraction: float) -> bool:
    """Whether ``c``, ``fraction`` of the learned range, is a full round trip right after a rest
    that filled and emptied the beam within a reading or two: a body crossing it, or a fast
    lifter's first rep (only the next movement tells)."""
    return c.swift >= SWIFT_SHARE and c.rested and fraction >= LOCKOUT
