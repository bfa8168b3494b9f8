// Host simulation of the Rep Coach VL53L1X firmware's timing: the real RangingCore and SampleBuffer
// (hardware/esphome/components) against a simulated sensor and ESPHome main loop.
//
// The sensor ranges on its own clock (period and phase independent of the ESP32), raises data-ready
// at each completion and keeps it until cleared, and overwrites an unread result with the next one
// (its stream count tells). The loop follows ESPHome's scheduler: a 1 ms interval fires at the next
// millisecond after it last ran, late by 10-80 us of wake-up latency, by the other components' loop
// phase (0.2-1 ms every 16 ms), and by busy spells: 2 % of wakes 1-4 ms, 0.2 % 4-12 ms (busy_p,
// long_busy_p, long_busy_max_ms), plus optional long blocks (block_every_s, block_ms). Every I2C
// transfer takes time. The samples batches go through SampleBuffer to a model of ESPHome's MQTT
// client (a 29-message queue; stall_at_s, stall_for_s; sync=1: publishing in the loop).
// poller=naive replaces the core by the old driver's single data-ready read per 20 ms update().
//
// Usage: ranging_sim key=value ... ; prints JSON lines (start, completion, reading, event, power,
// sensor_reset, read_failed, batch, summary) for tests/hardware/test_ranging_core.py.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "ranging_core.h"
#include "sample_buffer.h"

using esphome::rep_coach::SampleBuffer;
using namespace esphome::rep_coach_vl53l1x;

static std::map<std::string, std::string> g_args;

static double arg(const char *key, double fallback) {
  auto it = g_args.find(key);
  return it == g_args.end() ? fallback : std::atof(it->second.c_str());
}
static std::string arg_s(const char *key, const char *fallback) {
  auto it = g_args.find(key);
  return it == g_args.end() ? fallback : it->second;
}

static uint64_t g_now = 0;  // simulated time, µs
static const uint64_t NEVER = UINT64_MAX;

static const char *event_name(Event event) {
  switch (event) {
    case Event::STARTED:
      return "started";
    case Event::FAILED:
      return "failed";
    case Event::STALLED:
      return "stalled";
  }
  return "?";
}

static const char *cause_name(Cause cause) {
  switch (cause) {
    case Cause::NONE:
      return "none";
    case Cause::NO_SENSOR:
      return "no_sensor";
    case Cause::BOOT_TIMEOUT:
      return "boot_timeout";
    case Cause::WARM_UP_I2C_ERROR:
      return "warm_up_i2c_error";
    case Cause::WARM_UP_TIMEOUT:
      return "warm_up_timeout";
    case Cause::START_FAILED:
      return "start_failed";
    case Cause::STALLED:
      return "stalled";
    case Cause::I2C_FAILING:
      return "i2c_failing";
  }
  return "?";
}

class SimSensor : public SensorPort {
 public:
  enum class Mode { OFF, BOOTING, STANDBY, WARM_UP, RANGING };

  explicit SimSensor(std::mt19937_64 *rng) : rng_(rng) {
    this->period_us_ = arg("period_ms", 20.0) * 1000.0 * (1.0 + arg("drift", 0.0));
    this->jitter_us_ = arg("sensor_jitter_us", 100.0);
    this->budget_us_ = arg("budget_ms", 15.0) * 1000.0;
    this->boot_us_ = arg("boot_us", 1200.0);
    this->warm_up_us_ = arg("warm_up_ms", 105.0) * 1000.0;
    this->wired_ = arg("xshut", 1.0) != 0.0;
    this->present_ = arg("present", 1.0) != 0.0;
    this->start_at_ = g_now;
    const double reset_at = arg("reset_at_s", -1.0);
    this->reset_at_ = reset_at < 0 ? NEVER : g_now + static_cast<uint64_t>(reset_at * 1e6);
    const double i2c_down = arg("i2c_down_s", -1.0);
    this->i2c_down_from_ = i2c_down < 0 ? NEVER : g_now + static_cast<uint64_t>(i2c_down * 1e6);
    this->i2c_down_to_ = this->i2c_down_from_ == NEVER
                             ? NEVER
                             : this->i2c_down_from_ + static_cast<uint64_t>(arg("i2c_down_for_s", 1.0) * 1e6);
    this->i2c_down_phase_ = arg_s("i2c_down_in", "any");
    // Powered since before the ESP32 started (XSHUT is pulled up on the breakouts); after an ESP32
    // reset it may still be ranging from before.
    if (arg_s("initial", "standby") == "ranging") {
      this->start_ranging();
      this->start_at_ = g_now;
    } else {
      this->mode_ = Mode::STANDBY;
    }
  }

  bool has_power_control() const override { return this->wired_; }

  void set_power(bool on) override {
    this->advance_();
    std::printf("{\"type\":\"power\",\"on\":%s,\"at_us\":%llu}\n", on ? "true" : "false",
                (unsigned long long) (g_now - this->start_at_));
    if (!on) {
      this->mode_ = Mode::OFF;
    } else if (this->mode_ == Mode::OFF) {
      this->boot_(g_now);
    }
  }

  bool begin_boot() override {
    if (!this->transfer_(120))
      return false;
    if (this->mode_ == Mode::OFF || (this->mode_ == Mode::BOOTING && g_now < this->booted_at_))
      return false;  // NACK while unpowered or booting
    this->boot_(g_now);  // software reset
    return true;
  }

  bool read_booted(bool *booted) override {
    if (!this->transfer_(100) || this->mode_ == Mode::OFF || g_now < this->booted_at_)
      return false;
    *booted = true;
    return true;
  }

  bool start_warm_up() override {
    if (!this->transfer_(3000))
      return false;
    this->mode_ = Mode::WARM_UP;
    this->ready_ = false;
    this->next_completion_ = this->warm_up_us_ < 0 ? NEVER : g_now + static_cast<uint64_t>(this->warm_up_us_);
    return true;
  }

  bool read_data_ready(bool *ready) override {
    this->ready_reads_++;
    if (!this->transfer_(100) || this->glitch_("ready_fail_p"))
      return false;
    *ready = this->ready_;
    return true;
  }

  bool start_ranging() override {
    if (!this->transfer_(1500))
      return false;
    this->mode_ = Mode::RANGING;
    this->ready_ = false;
    this->stream_ = 0;
    this->first_ = true;
    this->grid_ = static_cast<double>(g_now) + this->budget_us_ + 500.0;
    this->next_completion_ = this->jittered_(this->grid_);
    return true;
  }

  bool read_result(RawResult *result) override {
    if (!this->transfer_(400))
      return false;
    if (this->glitch_("read_fail_p")) {
      std::printf("{\"type\":\"read_failed\",\"k\":%llu}\n", (unsigned long long) this->result_k_);
      return false;
    }
    result->raw_status = this->result_first_ ? 19 : 9;  // 19: valid, wrap check not done yet
    result->stream_count = this->result_stream_;
    result->distance_mm = static_cast<uint16_t>(100 + this->result_k_ % 3000);
    this->last_read_k_ = this->result_k_;
    return true;
  }

  bool clear_interrupt() override {
    if (!this->transfer_(100) || this->glitch_("clear_fail_p"))
      return false;
    this->ready_ = false;
    return true;
  }

  // Completions of every measurement up to now (data-ready, result overwrite, stream count).
  void advance_() {
    while (this->next_completion_ != NEVER && this->next_completion_ <= g_now) {
      const uint64_t at = this->next_completion_;
      if (this->reset_at_ != NEVER && at >= this->reset_at_) {
        this->reset_at_ = NEVER;  // a brown-out: back to standby, ranging stopped, config lost
        this->mode_ = Mode::STANDBY;
        this->next_completion_ = NEVER;
        this->ready_ = false;
        std::printf("{\"type\":\"sensor_reset\",\"at_us\":%llu}\n", (unsigned long long) (at - this->start_at_));
        break;
      }
      this->ready_ = true;
      if (this->mode_ == Mode::WARM_UP) {
        this->next_completion_ = NEVER;
        break;
      }
      if (!this->first_)
        this->stream_ = this->stream_ == 255 ? 128 : this->stream_ + 1;
      this->result_first_ = this->first_;
      this->first_ = false;
      this->result_stream_ = this->stream_;
      this->result_k_ = this->k_++;
      std::printf("{\"type\":\"completion\",\"k\":%llu,\"us\":%llu}\n", (unsigned long long) this->result_k_,
                  (unsigned long long) (at - this->start_at_));
      this->grid_ += this->period_us_;
      this->next_completion_ = this->jittered_(this->grid_);
    }
  }

  uint64_t last_read_k() const { return this->last_read_k_; }
  uint64_t ready_reads() const { return this->ready_reads_; }
  uint64_t start_at() const { return this->start_at_; }

 protected:
  void boot_(uint64_t now) {
    this->mode_ = Mode::BOOTING;
    this->booted_at_ = now + static_cast<uint64_t>(this->boot_us_);
    this->next_completion_ = NEVER;
    this->ready_ = false;
  }

  uint64_t jittered_(double at) {
    std::normal_distribution<double> noise(0.0, this->jitter_us_);
    return static_cast<uint64_t>(std::llround(at + (this->jitter_us_ > 0 ? noise(*this->rng_) : 0.0)));
  }

  // A transient I2C error on this transfer, with the probability given by `key`.
  bool glitch_(const char *key) {
    const double p = arg(key, 0.0);
    return p > 0 && std::uniform_real_distribution<double>(0.0, 1.0)(*this->rng_) < p;
  }

  bool i2c_down_() const {
    if (g_now < this->i2c_down_from_ || g_now >= this->i2c_down_to_)
      return false;
    if (this->i2c_down_phase_ == "warm_up")
      return this->mode_ == Mode::WARM_UP;
    return true;
  }

  // One I2C transfer of `cost_us`; false when nobody answers.
  bool transfer_(uint64_t cost_us) {
    this->advance_();
    g_now += cost_us;
    this->advance_();
    return this->present_ && !this->i2c_down_();
  }

  std::mt19937_64 *rng_;
  double period_us_, jitter_us_, budget_us_, boot_us_, warm_up_us_;
  bool wired_, present_;
  uint64_t reset_at_, i2c_down_from_, i2c_down_to_;
  std::string i2c_down_phase_;
  uint64_t start_at_;

  Mode mode_{Mode::OFF};
  uint64_t booted_at_{0};
  uint64_t next_completion_{NEVER};
  double grid_{0};
  bool ready_{false};
  bool first_{true};
  uint8_t stream_{0};
  uint64_t k_{0};
  bool result_first_{false};
  uint8_t result_stream_{0};
  uint64_t result_k_{0};
  uint64_t last_read_k_{0};
  uint64_t ready_reads_{0};
};

// ESPHome's MQTT client with idf_send_async: publish() only queues (29 messages) for the MQTT task,
// which sends them unless the network is stalled. With sync=1 publish() itself sends, blocking the
// loop while the network is stalled.
class SimMqtt {
 public:
  static const size_t QUEUE = 29;

  SimMqtt() {
    const double stall = arg("stall_at_s", -1.0);
    this->stall_from_ = stall < 0 ? NEVER : g_now + static_cast<uint64_t>(stall * 1e6);
    this->stall_to_ = stall < 0 ? NEVER : this->stall_from_ + static_cast<uint64_t>(arg("stall_for_s", 3.0) * 1e6);
    this->sync_ = arg("sync", 0.0) != 0.0;
  }

  bool stalled(uint64_t at) const { return at >= this->stall_from_ && at < this->stall_to_; }

  bool publish(const std::string &payload, uint64_t origin) {
    if (this->sync_) {
      if (this->stalled(g_now))
        g_now = this->stall_to_;  // esp_mqtt_client_publish blocks until the network moves again
      this->deliver_(payload, origin);
      return true;
    }
    this->drain(origin);
    if (this->queue_.size() >= QUEUE)
      return false;
    this->queue_.push_back(payload);
    this->drain(origin);
    return true;
  }

  void drain(uint64_t origin) {
    while (!this->queue_.empty() && !this->stalled(g_now)) {
      this->deliver_(this->queue_.front(), origin);
      this->queue_.pop_front();
    }
  }

 protected:
  void deliver_(const std::string &payload, uint64_t origin) {
    std::printf("{\"type\":\"batch\",\"at_us\":%llu,\"payload\":%s}\n", (unsigned long long) (g_now - origin),
                payload.c_str());
  }

  std::deque<std::string> queue_;
  uint64_t stall_from_, stall_to_;
  bool sync_;
};

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *eq = std::strchr(argv[i], '=');
    if (eq != nullptr)
      g_args[std::string(argv[i], static_cast<size_t>(eq - argv[i]))] = eq + 1;
  }
  std::mt19937_64 rng(static_cast<uint64_t>(arg("seed", 1)));
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  g_now = static_cast<uint64_t>(arg("start_us", 5'000'000'123.0));
  SimSensor sensor(&rng);
  const uint64_t origin = sensor.start_at();
  const uint64_t end = origin + static_cast<uint64_t>(arg("duration_s", 10.0) * 1e6);

  RangingConfig config;
  config.period_us = static_cast<uint32_t>(arg("period_ms", 20.0) * 1000.0);
  RangingCore core(&sensor, config);
  SampleBuffer buffer;
  SimMqtt mqtt;
  const bool naive = arg_s("poller", "core") == "naive";

  std::printf("{\"type\":\"start\",\"origin_us\":%llu}\n", (unsigned long long) origin);
  core.set_on_reading([&](const Reading &reading) {
    buffer.add(reading.distance_mm, RangingCore::to_device_ms(reading.completed_us), reading.status,
               reading.missed_before);
    const bool valid = std::isfinite(reading.distance_mm);
    std::printf(
        "{\"type\":\"reading\",\"k\":%lld,\"status\":%u,\"completed_us\":%llu,\"t_ms\":%u,\"missed\":%u,"
        "\"at_us\":%llu}\n",
        valid ? (long long) sensor.last_read_k() : -1LL, (unsigned) reading.status,
        (unsigned long long) (reading.completed_us - origin), (unsigned) RangingCore::to_device_ms(reading.completed_us),
        (unsigned) reading.missed_before, (unsigned long long) (g_now - origin));
  });
  core.set_on_event([&](Event event) {
    std::printf("{\"type\":\"event\",\"event\":\"%s\",\"cause\":\"%s\",\"at_us\":%llu,\"reinits\":%u}\n",
                event_name(event), cause_name(core.cause()), (unsigned long long) (g_now - origin),
                (unsigned) core.reinits());
  });

  // The loop's disturbances (ms): busy spells on a share of wakes, and a long block now and then.
  const double busy_p = arg("busy_p", 0.02), busy_max = arg("busy_max_ms", 4.0);
  const double stall_p = arg("long_busy_p", 0.002), stall_max = arg("long_busy_max_ms", 12.0);
  const double block_every = arg("block_every_s", -1.0), block_ms = arg("block_ms", 60.0);
  const uint64_t batch_us = static_cast<uint64_t>(arg("batch_ms", 100.0) * 1000.0);
  const uint64_t naive_us = static_cast<uint64_t>(arg("period_ms", 20.0) * 1000.0);
  uint64_t next_batch = g_now + batch_us, next_phase = g_now + 16000, next_block = NEVER;
  if (block_every > 0)
    next_block = g_now + static_cast<uint64_t>(block_every * 1e6);
  uint64_t next_naive = g_now;
  bool naive_started = false;

  while (g_now < end) {
    const uint64_t fired_ms = g_now / 1000;  // the scheduler's millis() when the interval fires
    if (!naive) {
      core.poll(g_now);
    } else if (g_now >= next_naive) {
      // The old driver: update() every period reads data-ready once; the reading's t is the read.
      next_naive = (g_now / 1000 + naive_us / 1000) * 1000;
      if (!naive_started) {
        naive_started = true;
        while (core.state() != State::RANGING && g_now < end) {
          core.poll(g_now);
          g_now += 1000;
        }
      }
      bool ready = false;
      RawResult result{};
      if (sensor.read_data_ready(&ready) && ready && sensor.read_result(&result)) {
        sensor.clear_interrupt();
        std::printf("{\"type\":\"reading\",\"k\":%llu,\"status\":0,\"completed_us\":%llu,\"t_ms\":%u,\"missed\":0,"
                    "\"at_us\":%llu}\n",
                    (unsigned long long) sensor.last_read_k(), (unsigned long long) (g_now - origin),
                    (unsigned) (g_now / 1000), (unsigned long long) (g_now - origin));
      }
    }
    if (g_now >= next_batch) {
      buffer.flush([&](const std::string &payload) { return mqtt.publish(payload, origin); });
      next_batch = (g_now / 1000) * 1000 + batch_us;
    }
    mqtt.drain(origin);
    // Next wake: the interval's next millisecond, plus wake-up latency and whatever else runs.
    g_now = std::max(g_now, (fired_ms + 1) * 1000) + 10 + static_cast<uint64_t>(unit(rng) * 70);
    if (g_now >= next_phase) {
      g_now += 200 + static_cast<uint64_t>(unit(rng) * 800);  // the components' loop() phase
      next_phase = g_now + 16000;
    }
    const double roll = unit(rng);
    if (roll < stall_p)
      g_now += static_cast<uint64_t>((4.0 + unit(rng) * (stall_max - 4.0)) * 1000);
    else if (roll < stall_p + busy_p)
      g_now += static_cast<uint64_t>((1.0 + unit(rng) * (busy_max - 1.0)) * 1000);
    if (g_now >= next_block) {
      g_now += static_cast<uint64_t>(block_ms * 1000);
      next_block = g_now + static_cast<uint64_t>(block_every * 1e6);
    }
    sensor.advance_();
  }
  std::printf(
      "{\"type\":\"summary\",\"end_us\":%llu,\"reinits\":%u,\"state\":\"%s\",\"period_us\":%.1f,\"dropped\":%u,"
      "\"refused\":%u,\"missed\":%llu,\"ready_reads\":%llu}\n",
      (unsigned long long) (g_now - origin), (unsigned) core.reinits(), state_text(core.state()), core.period_us(),
      (unsigned) buffer.dropped(), (unsigned) buffer.refused(), (unsigned long long) core.missed(),
      (unsigned long long) sensor.ready_reads());
  return 0;
}
