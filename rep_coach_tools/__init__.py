"""Rep Coach's tools: the ``rep-coach`` command line, the simulator, the accuracy and load
benchmarks, the sensor emulator, ``watch`` and the demo launcher.

Not part of what HACS installs: these are for development, bring-up and trying Rep Coach
without hardware. They use the engine (``custom_components.rep_coach.engine``) as a library.
"""
