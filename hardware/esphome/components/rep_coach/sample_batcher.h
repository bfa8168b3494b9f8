#pragma once
// Rep Coach sample batcher: buffers distance readings as {d, t, seq, status} and publishes them as
// one JSON batch per batch interval on rep_coach/<sensor_id>/samples (hardware/PROTOCOL.md).

#include <cstdint>
#include <string>

#include "esphome/components/sensor/sensor.h"
#include "esphome/core/component.h"
#include "sample_buffer.h"
#include "sample_format.h"

namespace esphome {
namespace rep_coach {

class SampleBatcher : public Component {
 public:
  void set_sensor_id(const std::string &sensor_id) {
    this->sensor_id_ = sensor_id;
    this->topic_ = samples_topic(sensor_id);
  }
  // A plain distance sensor (ESPHome's VL53L0X): each raw state is a reading timed when it arrives.
  void set_distance_sensor(sensor::Sensor *sensor) { this->distance_sensor_ = sensor; }
  void set_range_status_sensor(sensor::Sensor *sensor) { this->range_status_sensor_ = sensor; }
  void set_distance_scale(float scale) { this->distance_scale_ = scale; }
  void set_max_batch(size_t max_batch) { this->buffer_.set_capacity(max_batch); }
  void set_batch_interval(uint32_t interval_ms) { this->batch_interval_ms_ = interval_ms; }

  // A reading from a driver that times its readings itself (the Rep Coach VL53L1X driver): distance
  // in mm (NaN: none), protocol status, device millis() at completion, and the readings the driver
  // lost just before this one (they become a seq gap).
  void add_reading(float distance_mm, uint8_t status, uint32_t device_ms, uint32_t missed_before) {
    this->buffer_.add(distance_mm, device_ms, status, missed_before);
  }

  void setup() override;
  void dump_config() override;
  float get_setup_priority() const override { return setup_priority::DATA - 1.0f; }

  const std::string &sensor_id() const { return this->sensor_id_; }
  const SampleBuffer &buffer() const { return this->buffer_; }

 protected:
  void record_(float distance);
  void publish_batch_();
  bool publish_(const std::string &payload);

  std::string sensor_id_;
  std::string topic_;
  sensor::Sensor *distance_sensor_{nullptr};
  sensor::Sensor *range_status_sensor_{nullptr};
  float distance_scale_{1.0f};
  uint32_t batch_interval_ms_{100};
  SampleBuffer buffer_;
  uint32_t reported_refused_{0};
};

}  // namespace rep_coach
}  // namespace esphome
