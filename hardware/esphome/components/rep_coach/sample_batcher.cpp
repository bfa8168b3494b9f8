#include "sample_batcher.h"

#include <cmath>

#include "esphome/core/hal.h"
#include "esphome/core/log.h"

#ifdef USE_MQTT
#include "esphome/components/mqtt/mqtt_client.h"
#endif

namespace esphome {
namespace rep_coach {

static const char *const TAG = "rep_coach";
// Status sent with a plain sensor's reading, which has none: 0 when valid, 4 (failure) for no
// reading, so the subscriber never mistakes a missing reading for a valid one.
static const uint8_t STATUS_VALID = 0;
static const uint8_t STATUS_NO_READING = 4;
// Refused batches between two log lines while MQTT is not taking them.
static const uint32_t REFUSED_LOG_EVERY = 50;

void SampleBatcher::setup() {
  if (this->distance_sensor_ != nullptr) {
    // Raw state: before any filter, so a median or throttle filter can never decimate the stream.
    this->distance_sensor_->add_on_raw_state_callback([this](float value) { this->record_(value); });
  }
  this->set_interval("publish", this->batch_interval_ms_, [this]() { this->publish_batch_(); });
}

void SampleBatcher::record_(float distance) {
  const float distance_mm = std::isfinite(distance) ? distance * this->distance_scale_ : NAN;
  uint8_t status = std::isfinite(distance_mm) ? STATUS_VALID : STATUS_NO_READING;
  if (this->range_status_sensor_ != nullptr && this->range_status_sensor_->has_state() &&
      std::isfinite(this->range_status_sensor_->state)) {
    status = (uint8_t) this->range_status_sensor_->state;
  }
  this->buffer_.add(distance_mm, millis(), status);
}

void SampleBatcher::publish_batch_() {
  this->buffer_.flush([this](const std::string &payload) { return this->publish_(payload); });
  const uint32_t refused = this->buffer_.refused();
  if (refused >= this->reported_refused_ + REFUSED_LOG_EVERY) {
    // The buffer keeps the newest readings meanwhile; older ones become a seq gap.
    ESP_LOGW(TAG, "MQTT is not taking batches (%u refused, %u readings dropped so far)", (unsigned) refused,
             (unsigned) this->buffer_.dropped());
    this->reported_refused_ = refused;
  }
}

bool SampleBatcher::publish_(const std::string &payload) {
#ifdef USE_MQTT
  // With idf_send_async (common/base.yaml) this only queues the message for the MQTT task: it never
  // blocks the loop. False when not connected or the queue is full; the batch then stays buffered.
  mqtt::MQTTClientComponent *client = mqtt::global_mqtt_client;
  return client != nullptr && client->is_connected() &&
         client->publish(this->topic_, payload, SAMPLES_QOS, SAMPLES_RETAIN);
#else
  (void) payload;
  return false;
#endif
}

void SampleBatcher::dump_config() {
  ESP_LOGCONFIG(TAG, "Rep Coach sample batcher:");
  ESP_LOGCONFIG(TAG, "  Sensor id: %s", this->sensor_id_.c_str());
  ESP_LOGCONFIG(TAG, "  Samples topic: %s", this->topic_.c_str());
  ESP_LOGCONFIG(TAG, "  Batch interval: %u ms, at most %u readings", (unsigned) this->batch_interval_ms_,
                (unsigned) this->buffer_.capacity());
  ESP_LOGCONFIG(TAG, "  Readings timed by: %s",
                this->distance_sensor_ != nullptr ? "arrival (plain sensor)" : "the driver (completion)");
}

}  // namespace rep_coach
}  // namespace esphome
