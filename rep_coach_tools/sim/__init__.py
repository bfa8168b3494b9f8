"""Synthetic sessions with ground truth: the classic family and the broadened ones.

:mod:`.classic` is the simulator the engine was first tuned on (kept seed for seed);
:mod:`.scenario` draws geometry, lifters, arrivals and sensors from wide ranges, one family of
scenarios at a time; :mod:`.streams` joins sessions into one stream and re-delivers or mirrors
them; :mod:`.truth` is the timing definition on the clean trajectory.
"""
