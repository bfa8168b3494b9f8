"""Engine unit tests (pure Python, no Home Assistant)."""
