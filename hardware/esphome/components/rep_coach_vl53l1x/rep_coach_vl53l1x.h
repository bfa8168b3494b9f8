#pragma once
// VL53L1X driver for Rep Coach: continuous ranging, one reading per update() with its range status.

#include <cstdint>

#include "esphome/components/i2c/i2c.h"
#include "esphome/components/sensor/sensor.h"
#include "esphome/core/component.h"
#include "esphome/core/hal.h"

namespace esphome {
namespace rep_coach_vl53l1x {

enum class DistanceMode : uint8_t { SHORT = 1, LONG = 2 };

// Range status as the Rep Coach protocol defines it: 0 valid, 1-2 warning, 4+ failure.
static const uint8_t STATUS_VALID = 0;
static const uint8_t STATUS_FAILURE_MIN = 4;
static const uint8_t STATUS_NO_DATA = 255;

class RepCoachVL53L1X : public sensor::Sensor, public PollingComponent, public i2c::I2CDevice {
 public:
  void set_distance_mode(DistanceMode mode) { this->distance_mode_ = mode; }
  void set_timing_budget_ms(uint32_t budget_ms) { this->timing_budget_ms_ = budget_ms; }
  void set_enable_pin(GPIOPin *pin) { this->enable_pin_ = pin; }
  void set_range_status_sensor(sensor::Sensor *sensor) { this->range_status_sensor_ = sensor; }

  void setup() override;
  void update() override;
  void dump_config() override;
  float get_setup_priority() const override { return setup_priority::DATA; }

 protected:
  bool boot_();
  bool load_default_configuration_();
  bool apply_distance_mode_();
  bool apply_timing_();
  bool data_ready_(bool *ready);
  void publish_reading_(uint8_t status, float distance_mm);

  bool write_u8_(uint16_t reg, uint8_t value);
  bool write_u16_(uint16_t reg, uint16_t value);
  bool write_u32_(uint16_t reg, uint32_t value);
  bool read_u8_(uint16_t reg, uint8_t *value);
  bool read_u16_(uint16_t reg, uint16_t *value);

  DistanceMode distance_mode_{DistanceMode::SHORT};
  uint32_t timing_budget_ms_{15};
  GPIOPin *enable_pin_{nullptr};
  sensor::Sensor *range_status_sensor_{nullptr};
  uint8_t interrupt_polarity_{1};
  uint32_t consecutive_errors_{0};
};

}  // namespace rep_coach_vl53l1x
}  // namespace esphome
