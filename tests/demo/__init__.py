"""Tests for the one-command demo (scripts/demo)."""
