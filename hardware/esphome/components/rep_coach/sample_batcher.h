#pragma once
// Buffers distance readings as {d, t, seq, status} and serialises them as one JSON batch.

#include <cstdint>
#include <deque>
#include <string>

#include "esphome/components/sensor/sensor.h"
#include "esphome/core/component.h"
#include "sample_format.h"

namespace esphome {
namespace rep_coach {

class SampleBatcher : public Component {
 public:
  void set_sensor_id(const std::string &sensor_id) { this->sensor_id_ = sensor_id; }
  void set_distance_sensor(sensor::Sensor *sensor) { this->distance_sensor_ = sensor; }
  void set_range_status_sensor(sensor::Sensor *sensor) { this->range_status_sensor_ = sensor; }
  void set_distance_scale(float scale) { this->distance_scale_ = scale; }
  void set_max_batch(size_t max_batch) { this->max_batch_ = max_batch; }

  void setup() override;
  void dump_config() override;
  float get_setup_priority() const override { return setup_priority::DATA - 1.0f; }

  const std::string &sensor_id() const { return this->sensor_id_; }
  bool has_samples() const { return !this->samples_.empty(); }
  // The buffered readings as a JSON array (oldest first), emptying the buffer.
  std::string take_batch_json();
  uint32_t dropped() const { return this->dropped_; }

 protected:
  void record_(float distance);

  std::string sensor_id_;
  sensor::Sensor *distance_sensor_{nullptr};
  sensor::Sensor *range_status_sensor_{nullptr};
  float distance_scale_{1.0f};
  size_t max_batch_{20};
  std::deque<Sample> samples_;
  uint32_t next_seq_{0};
  uint32_t dropped_{0};
};

}  // namespace rep_coach
}  // namespace esphome
