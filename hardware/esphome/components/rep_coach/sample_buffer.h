#pragma once
// The batcher's keeping policy in plain C++ (no ESPHome), so the host tests drive it directly
// (tests/hardware/test_ranging_core.py): readings wait here between publishes; a batch that the MQTT
// client refuses (not connected, its send queue full) stays, and when the buffer is full the oldest
// reading makes room for the newest. Every reading gets the next seq; readings the source lost before
// it (missed_before) advance seq too, so every loss shows as a seq gap downstream.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "sample_format.h"

namespace esphome {
namespace rep_coach {

class SampleBuffer {
 public:
  void set_capacity(size_t capacity) { this->capacity_ = capacity == 0 ? 1 : capacity; }
  size_t capacity() const { return this->capacity_; }

  void add(float distance_mm, uint32_t device_ms, uint8_t status, uint32_t missed_before = 0) {
    this->next_seq_ += missed_before;
    if (this->samples_.size() >= this->capacity_) {
      this->samples_.pop_front();
      this->dropped_++;
    }
    this->samples_.push_back(Sample{distance_mm, device_ms, this->next_seq_++, status});
  }

  bool empty() const { return this->samples_.empty(); }
  size_t size() const { return this->samples_.size(); }
  const std::deque<Sample> &samples() const { return this->samples_; }

  // Offers the buffered readings, oldest first, as one JSON batch: `publish(payload)` returns
  // whether the client took it. Taken: the buffer empties. Refused: the readings stay for the next
  // attempt. Returns whether a batch was taken.
  template<typename Publish> bool flush(Publish &&publish) {
    if (this->samples_.empty())
      return false;
    if (!publish(format_batch(this->samples_))) {
      this->refused_++;
      return false;
    }
    this->samples_.clear();
    this->batches_++;
    return true;
  }

  // Readings pushed out of the full buffer before they could be sent.
  uint32_t dropped() const { return this->dropped_; }
  // Batches the client refused (each retried at the next publish).
  uint32_t refused() const { return this->refused_; }
  uint32_t batches() const { return this->batches_; }

 protected:
  std::deque<Sample> samples_;
  size_t capacity_{PROTOCOL_MAX_BATCH};
  uint32_t next_seq_{0};
  uint32_t dropped_{0};
  uint32_t refused_{0};
  uint32_t batches_{0};
};

}  // namespace rep_coach
}  // namespace esphome
