#pragma once
// The samples payload of the Rep Coach protocol, without any ESPHome dependency so the host
// test suite compiles and checks it (tests/hardware/test_firmware_cpp.py).

#include <cinttypes>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace esphome {
namespace rep_coach {

// The protocol's samples topic and its delivery: at most 20 readings a message, QoS 0, never retained
// (an old reading replayed on subscribe must never start a rep).
static constexpr size_t PROTOCOL_MAX_BATCH = 20;
static constexpr uint8_t SAMPLES_QOS = 0;
static constexpr bool SAMPLES_RETAIN = false;

inline std::string samples_topic(const std::string &sensor_id) { return "rep_coach/" + sensor_id + "/samples"; }

struct Sample {
  float distance_mm;  // NaN: no reading (sent as null)
  uint32_t device_ms;
  uint32_t seq;
  uint8_t status;
};

// One reading as JSON: {"d":412.0,"t":1234567,"seq":1001,"status":0}, d with 0.1 mm resolution.
inline void append_sample_json(std::string &out, const Sample &sample) {
  char item[96];
  if (std::isfinite(sample.distance_mm)) {
    snprintf(item, sizeof(item), "{\"d\":%.1f,\"t\":%" PRIu32 ",\"seq\":%" PRIu32 ",\"status\":%u}",
             sample.distance_mm, sample.device_ms, sample.seq, (unsigned) sample.status);
  } else {
    snprintf(item, sizeof(item), "{\"d\":null,\"t\":%" PRIu32 ",\"seq\":%" PRIu32 ",\"status\":%u}",
             sample.device_ms, sample.seq, (unsigned) sample.status);
  }
  out += item;
}

// A batch: a JSON array of readings, oldest first.
template<typename Container> std::string format_batch(const Container &samples) {
  std::string out = "[";
  bool first = true;
  for (const Sample &sample : samples) {
    if (!first)
      out += ",";
    append_sample_json(out, sample);
    first = false;
  }
  out += "]";
  return out;
}

}  // namespace rep_coach
}  // namespace esphome
