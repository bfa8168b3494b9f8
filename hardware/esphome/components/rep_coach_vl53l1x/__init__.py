"""VL53L1X time-of-flight sensor for Rep Coach (ESPHome core has no VL53L1X platform)."""

CODEOWNERS = ["@rep-coach"]
