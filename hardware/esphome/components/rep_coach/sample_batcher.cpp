#include "sample_batcher.h"

#include <cmath>

#include "esphome/core/hal.h"
#include "esphome/core/log.h"

namespace esphome {
namespace rep_coach {

static const char *const TAG = "rep_coach";
// Status sent with a reading when the driver does not report one: 0 when valid, 4 (failure) for
// no reading, so the subscriber never mistakes a missing reading for a valid one.
static const uint8_t STATUS_VALID = 0;
static const uint8_t STATUS_NO_READING = 4;

void SampleBatcher::setup() {
  // Raw state: before any filter, so a median or throttle filter can never decimate the stream.
  this->distance_sensor_->add_on_raw_state_callback([this](float value) { this->record_(value); });
}

void SampleBatcher::record_(float distance) {
  Sample sample;
  sample.distance_mm = std::isfinite(distance) ? distance * this->distance_scale_ : NAN;
  sample.device_ms = millis();
  sample.seq = this->next_seq_++;
  if (this->range_status_sensor_ != nullptr && this->range_status_sensor_->has_state() &&
      std::isfinite(this->range_status_sensor_->state)) {
    sample.status = (uint8_t) this->range_status_sensor_->state;
  } else {
    sample.status = std::isfinite(sample.distance_mm) ? STATUS_VALID : STATUS_NO_READING;
  }
  if (this->samples_.size() >= this->max_batch_) {
    // MQTT is not keeping up (or disconnected): keep the newest readings, the seq gap shows the loss.
    this->samples_.pop_front();
    this->dropped_++;
  }
  this->samples_.push_back(sample);
}

std::string SampleBatcher::take_batch_json() {
  std::string out = format_batch(this->samples_);
  this->samples_.clear();
  return out;
}

void SampleBatcher::dump_config() {
  ESP_LOGCONFIG(TAG, "Rep Coach sample batcher:");
  ESP_LOGCONFIG(TAG, "  Sensor id: %s", this->sensor_id_.c_str());
  ESP_LOGCONFIG(TAG, "  Samples topic: rep_coach/%s/samples", this->sensor_id_.c_str());
  ESP_LOGCONFIG(TAG, "  Max batch: %u", (unsigned) this->max_batch_);
}

}  // namespace rep_coach
}  // namespace esphome
