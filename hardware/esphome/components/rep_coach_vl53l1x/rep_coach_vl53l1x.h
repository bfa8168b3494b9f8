#pragma once
// VL53L1X driver for Rep Coach: continuous ranging on the sensor's own clock, each result read
// once, time-stamped at its completion, with stall recovery. The timing and recovery logic lives in
// ranging_core.h (plain C++, host-tested); this class is its ESPHome and I2C side.

#include <cstdint>
#include <memory>

#include "esphome/components/i2c/i2c.h"
#include "esphome/components/sensor/sensor.h"
#include "esphome/core/component.h"
#include "esphome/core/hal.h"
#include "esphome/core/helpers.h"
#include "ranging_core.h"

namespace esphome {
namespace rep_coach_vl53l1x {

enum class DistanceMode : uint8_t { SHORT = 1, LONG = 2 };

class RepCoachVL53L1X : public sensor::Sensor, public Component, public i2c::I2CDevice, public SensorPort {
 public:
  // How often the loop polls (the scheduler's finest step). The core reads the sensor only near
  // each expected completion, so most polls cost no I2C traffic.
  static const uint32_t POLL_INTERVAL_MS = 1;

  void set_distance_mode(DistanceMode mode) { this->distance_mode_ = mode; }
  void set_timing_budget_ms(uint32_t budget_ms) { this->timing_budget_ms_ = budget_ms; }
  void set_measurement_period_ms(uint32_t period_ms) { this->measurement_period_ms_ = period_ms; }
  void set_enable_pin(GPIOPin *pin) { this->enable_pin_ = pin; }
  void set_range_status_sensor(sensor::Sensor *sensor) { this->range_status_sensor_ = sensor; }
  void set_reinits_sensor(sensor::Sensor *sensor) { this->reinits_sensor_ = sensor; }
  // Each reading with its timing: distance in mm (NaN: none), protocol status, device millis() at
  // completion, readings lost just before it. The Rep Coach batcher subscribes here.
  template<typename F> void add_on_reading_callback(F &&callback) {
    this->reading_callbacks_.add(std::forward<F>(callback));
  }

  void setup() override;
  void dump_config() override;
  float get_setup_priority() const override { return setup_priority::DATA; }

  // SensorPort: the I2C side of the ranging core.
  bool has_power_control() const override { return this->enable_pin_ != nullptr; }
  void set_power(bool on) override;
  bool begin_boot() override;
  bool read_booted(bool *booted) override;
  bool start_warm_up() override;
  bool read_data_ready(bool *ready) override;
  bool start_ranging() override;
  bool read_result(RawResult *result) override;
  bool clear_interrupt() override;

 protected:
  void on_reading_(const Reading &reading);
  void on_event_(Event event);
  bool apply_distance_mode_();
  bool apply_timing_();

  bool write_u8_(uint16_t reg, uint8_t value);
  bool write_u16_(uint16_t reg, uint16_t value);
  bool write_u32_(uint16_t reg, uint32_t value);
  bool read_u8_(uint16_t reg, uint8_t *value);
  bool read_u16_(uint16_t reg, uint16_t *value);

  DistanceMode distance_mode_{DistanceMode::SHORT};
  uint32_t timing_budget_ms_{15};
  uint32_t measurement_period_ms_{20};
  GPIOPin *enable_pin_{nullptr};
  sensor::Sensor *range_status_sensor_{nullptr};
  sensor::Sensor *reinits_sensor_{nullptr};
  CallbackManager<void(float, uint8_t, uint32_t, uint32_t)> reading_callbacks_;
  std::unique_ptr<RangingCore> core_;
  uint8_t interrupt_polarity_{1};
  bool rate_reported_{false};
};

}  // namespace rep_coach_vl53l1x
}  // namespace esphome
