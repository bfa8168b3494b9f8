"""Tests for the Lovelace card, its registration and the example dashboard."""
