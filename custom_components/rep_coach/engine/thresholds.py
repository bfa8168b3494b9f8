"""Every threshold of the rep engine in one place, each with the reason for its value.

Distances are fractions of what was learned - R, the side's range of motion, or sigma, the
sensor noise measured on the stream - never millimetre constants, so that a session mirrored
(distance <-> C - distance) or shifted by any constant counts the same. The one absolute distance
is a physiological bound: no hip thrust moves the hips more than MAX_THRUST_MM. Times are seconds.
"""

from __future__ import annotations

from typing import Final

from .settings import Sensitivity
from .timing import BOTTOM_REGION, BURST_STEP, SPEED_HALF_S

__all__ = ["BOTTOM_REGION", "BURST_STEP"]  # the timing definition's, used by the state machine too

# --- the README's rules, as fractions of the learned range R -----------------------------------
LOCKOUT: Final = 0.80  # a rep whose range reaches 80 % of R is counted
PARTIAL: Final = 0.30  # 30-80 % of R is a partial rep (reported, not counted); less is fidgeting
OVERSIZE: Final = 1.45  # beyond this the range changed or the lifter stood up: never counted as is
# Sensitivity moves the smallest movement reported as a partial rep (PARTIAL at "normal").
PARTIAL_BY_SENSITIVITY: Final = {
    Sensitivity.LOW: 0.40,
    Sensitivity.NORMAL: PARTIAL,
    Sensitivity.HIGH: 0.20,
}
START_OF_PARTIAL: Final = 0.5  # an attempt begins at half the smallest partial: timed from early on

# --- noise: multiples of sigma, the robust noise of the stream -------------------------------
QUANTUM_SIGMA: Final = 12**-0.5  # a reading rounded to a quantum q carries q / sqrt(12) of noise
NOISE_SEED: Final = 9  # the noise estimate starts at the median of this many differences: the
# arrival's few huge ones (someone sitting down) are outvoted by the still seat after it
RESEED_RATIO: Final = 3.0  # read afresh once the scene settled, the noise replaces the running
# estimate only below a third of it: nine differences of unchanged noise read that low once in
# 90 (half as low: once in 16, and a far ceiling's wander on an empty bench then counted reps)
SIGMA_FLOOR_MM: Final = 2.0  # no ToF sensor reads a body better than this: sigma never goes lower
NOISE_START: Final = 6.0  # an attempt needs at least 6 sigma of rise: noise alone never starts one
NOISE_MIN_ROM: Final = 16.0  # before any range is learned, a rep-like round trip exceeds 16 sigma
NOISE_PARTIAL: Final = 10.0  # once a range is learned, a partial rep need only clear 10 sigma
HOLD_BAND_NOISE: Final = (
    4.0  # the hold band is never under 4 sigma: noise (or a quantum) stays in it
)
STEADY_NOISE: Final = 3.0  # two readings of still hips differ by under 3 sigma (2 sigma of their
# difference): more is movement
WANDER_LAG_S: Final = 0.5  # resting readings compared this far apart: a sensor's correlated noise
# (AR, a drifting bias) is mostly forgotten by then, so their difference shows all of it
STILL_NOISE: Final = 4.0  # readings within 4 sigma (and one quantum) of their running level: still
MAX_THRUST_MM: Final = 650.0  # physiology: a larger excursion is someone standing up, not a thrust

# --- the rep state machine (fractions of the rep's own rise unless noted) -------------------
TURN_BACK: Final = 0.25  # falling a quarter of the rise back before lockout: a partial lowering
REBOUND: Final = 0.25  # rising a quarter again while lowering: the next rep started at the valley
BELOW_SEAT: Final = 0.25  # sinking this far below the start level: getting off the bench
RETURNED: Final = 0.2  # a rep comes back within a fifth of its rise of where it started
# (touch-and-go ends up to ~15 % above): ending higher, it was someone settling on a new level
HALFWAY: Final = 0.5  # below this the hips have left the hold: lowering whatever the dip tolerance
STOP_FRACTION: Final = 0.06  # lowering speed under 6 % of its peak: the hips have stopped
DWELL_FRACTION: Final = 0.10  # within 10 % of the rise of a level (the hold band): dwelling there

# --- times -------------------------------------------------------------------------------
MIN_REP_S: Final = 0.5  # a round trip faster than this is a bump, not a rep
SWIFT_S: Final = 0.2  # a body entering or leaving the beam fills or empties the cone in about
# 0.1 s (a reading more at 10 Hz); in that time hips cover at most two thirds of a range lifted
# in 0.5 s, and less of a lowering (no faster than the lift)
SWIFT_SHARE: Final = 0.8  # lift and lowering each covering this share of the range within
# SWIFT_S: something crossed the beam, or a very fast lifter; alone between rests, not a rep
MAX_REP_S: Final = 40.0  # a rep taking longer is not one (the hips stayed up: someone standing)
MAX_HOLD_S: Final = 8.0  # holding longer than max(this, 3 x the hold target) at the top is resting
STILL_S: Final = 0.6  # still for this long is a level (the valley re-seats on it)
REST_BEFORE_LIFT_S: Final = (
    2.0  # held this long, then a whole rep higher: the held level was a seat
)
RESTED_S: Final = 3.0  # sat still this long before a lift: a rest (a new lifter?), not a pause
QUIET_S: Final = 1.0  # no attempt for this long before a lift: it opens a run of reps
SETTLE_S: Final = (
    1.5  # after the lifter appears in the beam, levels take this long to mean anything
)
DWELL_SCAN_S: Final = 10.0  # how far back a dwell is measured (longer is "long" anyway)
DOWN_AND_UP: Final = 2.0  # a silence under two of a rep's lifts hides no lowering and lift
# again (a lowering is no faster than the lift): the squeeze the readings resume on is the same
DROPOUT_S: Final = 0.25  # a silence this long may hide a move: a rep's bottom, hips leaving a level
SETTLE_TIMEOUT_S: Final = 1.5  # the lowering ends at the latest this long after the bottom region
AT_BOTTOM_S: Final = 0.06  # back in the bottom band and still over two readings at least this
# far apart: the lowering ended there (a body passing through the band on its way beyond moves)
FINISH_WAIT_S: Final = SPEED_HALF_S  # after the hips settle, the timing needs this much more
# data at least; it looks again this often until it has read where the lowering ended
CUE_SLACK: Final = 0.1  # the hold cue's speed window is CUE_HALF_S either side in whole readings,
# a half rounded up, and this share of a reading of arrival jitter never rounding it down: 10 Hz's
# 1.5 readings became 1 or 2 by jitter, and one doubled the speed's noise (a lowering read as still)
CUE_NOISE: Final = 1.0  # the hold cue's speed within one of its own noise reads still: it is
# read again at every reading until it does, so a slow lowering start under two noises (on
# centimetre steps, far above 15 % of the lowering) passed on one of those reads (a false cue)
RESUMED_LIFT: Final = 2.0  # rising again at twice the speed that ends a lift (15 % of its
# peak) soon after a pause is the lift going on, however far resting readings wander
PLATEAU_S: Final = 0.3  # a peak not bettered for this long is the top even if the speed jitters
ABSENT_AFTER_S: Final = 1.0  # invalid/no-target readings for this long: nobody is there
OUT_OF_VIEW_S: Final = 0.4  # no target this long mid-rep: the hips left the beam (a stuck
# repeat of an out-of-range code lasts up to ~0.3 s)
PRESENCE_STILL_S: Final = 2.0  # still this long away from the seat zone: the bench is empty

# --- presence and the seat, as fractions of R around the learned seat --------------------
SEAT_TOL: Final = 0.35  # reps start within this of the seat (touch-and-go ends up to ~15 % above)
ZONE_LOW: Final = -0.30  # a still level farther below the seat is the floor: nobody seated
ZONE_HIGH: Final = 1.6  # a still level farther above is someone standing (or the ceiling)
SAT_PAST: Final = 0.15  # once someone stood up, a rest this far past the seat (half ZONE_LOW,
# NOISE_START sigma at least) is nobody on it: hips rest on the seat, never beyond it, and sitting
# back down lands on it again (the near floor of an empty bench lies inside ZONE_LOW)
# Readings a full range beyond that zone for PRESENCE_STILL_S, still or not, are nobody seated
# either: no rep, overshoot or lifter of up to twice the range goes there, and a sunlit far
# background never reads still.
FAR_BEYOND: Final = 1.0

# --- orientation and relearning evidence (log-odds; positive favours the hypothesis) -----
DECIDE: Final = 3.75  # evidence needed to count: a rep opening a run, lowered slower than lifted
PRIOR: Final = 2.5  # a saved or earlier calibration: one fitting rep confirms it, one clean
# rep the other way up doubts it, two overturn it
DOUBT: Final = 1.0  # the settled orientation's evidence fell this low: stop counting, relearn
EVIDENCE_CAP: Final = 12.0  # evidence never exceeds this, so a real change shows within a set
CHAIN: Final = 3.5  # a rep that opens a run (a lift after a quiet rest): only the seat does that
# (in the simulated corpus and its mirror: 196 from the seat, none from the top)
REST_AT_TOP: Final = 3.5  # a "hold" long enough to be a rest means the hypothesis is upside down
STOOD_UP: Final = 4.5  # a lift from a rest far beyond the reps, then the lifter gone: only
# standing up from the seat does that (the other way up it sinks through the seat)
LEAVING_S: Final = 3.0  # stood up, then out of the beam within a step or two: leaving
DWELL_WEIGHT: Final = (
    1.0  # cap of the pause pattern's vote (squeeze at the top, touch-and-go below)
)
TEMPO_WEIGHT: Final = 0.5  # cap of the tempo's vote (lowering slower than lifting: a soft cue)
SLOW_LOWERING: Final = 1.4  # a lowering 40 % longer than its lift is the deliberate eccentric:
# lifters who rest at the bottom and barely squeeze, read the other way up, were lowered only
# 1.0-1.2 times as long as lifted (and a few up to 1.8: the rule still errs for them)
SOFT_CAP: Final = 3.0  # all style votes together: a habit repeated rep after rep is one clue
REP_LIKE: Final = 0.5  # candidates under half the largest seen are fidgets: they carry no evidence
RELEARN_REPS: Final = 2  # consistent misfits that define a new seat or range
CONSISTENT: Final = 0.2  # two reps agree when their ranges differ by less than 20 %
RESIZED: Final = 0.25  # a relearned range a quarter off the old one is another range (another
# lifter or variation), not the same range's rep-to-rep spread (CONSISTENT)
AWAY_FORGET_S: Final = 45.0  # away this long: the next lifter may sit elsewhere (evidence to PRIOR)

# --- occlusion: something between the lens and the hips -----------------------------------
OCCLUDED: Final = 0.30  # a reading this far (of R) beyond the seat, away from the lift, is not
# the hips: they cannot sink through the seat (a still level there is no one seated, ZONE_LOW)
OCCLUDED_NOISE: Final = NOISE_START  # and never within 6 sigma of it: noise alone never occludes
OCCLUSION_BACK: Final = 0.5  # back within half that margin: the hips again (hysteresis: a level
# straddling the margin, the floor just beyond the seat, never reads as returning)
OCCLUSION_MAX_S: Final = PRESENCE_STILL_S  # a body passes the beam in under 2 s (a pet in 2):
# beyond the seat for longer is the scene (the floor in view, the lifter gone), not a passer
