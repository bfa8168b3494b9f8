#pragma once
// The VL53L1X driver's timing and recovery logic in plain C++: no ESPHome, no I2C, no clock of its
// own. The ESPHome component feeds it the time and implements SensorPort over I2C; the host tests
// (tests/hardware/test_ranging_core.py) drive it with a simulated sensor and a jittery loop.
//
// What it does:
// - start-up as a non-blocking state machine: reset (XSHUT when wired), boot, a warm-up measurement
//   on the sensor's default table (up to WARM_UP_TIMEOUT_US), then continuous ranging at the
//   programmed inter-measurement period; a failed attempt names its cause and is retried with
//   back-off;
// - polling: the caller calls poll() often (every ~1 ms); the core reads the data-ready flag only
//   from shortly before the next measurement is due, so each result is read well within one
//   measurement period and none is overwritten unread;
// - time-stamping: each result is placed at its estimated completion time. The sensor ranges on its
//   own clock (a few % off the programmed period), so the core tracks its period and phase from the
//   polls that bracket each completion (a phase-locked loop) and clamps every estimate into that
//   bracket: a late poll does not make a late timestamp;
// - losses: the sensor's stream count tells how many results were overwritten before the one read,
//   reported as `missed_before` (the batcher turns it into a seq gap);
// - stalls: no new result for STALL_PERIODS periods (or I2C failing as long) publishes a failure
//   reading and re-initialises the sensor; re-inits are counted.

#include <cmath>
#include <cstdint>
#include <functional>

namespace esphome {
namespace rep_coach_vl53l1x {

// Statuses of the Rep Coach protocol (hardware/PROTOCOL.md) the core emits besides the sensor's own.
static constexpr uint8_t STATUS_VALID = 0;
static constexpr uint8_t STATUS_FAILURE_MIN = 4;
// The sensor answers but delivers no measurement (boot or warm-up timeout, ranging stopped).
static constexpr uint8_t STATUS_SENSOR_STALLED = 254;
// The ESP32 cannot talk to the sensor (I2C errors, no VL53L1X at the address).
static constexpr uint8_t STATUS_I2C_FAILURE = 255;

// ST's Ultra Lite Driver range status for the device's raw status (low 5 bits of RESULT__RANGE_STATUS).
uint8_t uld_range_status(uint8_t raw_status);
// The status the protocol sends for a ULD status: ULD 6 (range valid, wrap-around check not done
// yet: usually the first result after starting) is a valid reading, sent as 0.
uint8_t protocol_status(uint8_t uld_status);
// Measurements between two results from their stream counts (0 first, then counting up, 255 wraps to
// 128): 1 for consecutive results, 0 for the same result, -1 when the count restarted.
int stream_steps(uint8_t previous, uint8_t current);

// One result as read from the sensor (RESULT__RANGE_STATUS .. RESULT__FINAL_..._RANGE_MM_SD0).
struct RawResult {
  uint8_t raw_status;
  uint8_t stream_count;
  uint16_t distance_mm;
};

// What the core needs from the sensor. Every call returns false when the I2C transfer failed.
class SensorPort {
 public:
  virtual ~SensorPort() = default;
  // XSHUT: whether the sensor's shutdown pin is wired, and driving it (true = powered).
  virtual bool has_power_control() const = 0;
  virtual void set_power(bool on) = 0;
  // Checks the model id (false also when another device answers) and starts a software reset.
  virtual bool begin_boot() = 0;
  virtual bool read_booted(bool *booted) = 0;
  // Loads the default configuration and starts the first (warm-up) measurement.
  virtual bool start_warm_up() = 0;
  virtual bool read_data_ready(bool *ready) = 0;
  // Ends the warm-up, applies distance mode, timing budget and inter-measurement period, and starts
  // continuous ranging.
  virtual bool start_ranging() = 0;
  virtual bool read_result(RawResult *result) = 0;
  virtual bool clear_interrupt() = 0;
};

enum class State : uint8_t {
  RESETTING,  // XSHUT held low
  POWERING,   // XSHUT released, waiting for the sensor to come up
  BOOTING,    // software reset, waiting for the firmware to boot
  WARMING_UP,
  RANGING,
  BACKING_OFF,  // an attempt failed; the next one starts after a delay
};

enum class Cause : uint8_t {
  NONE,
  NO_SENSOR,          // no VL53L1X answers at the address (wiring, power, wrong chip)
  BOOT_TIMEOUT,       // the firmware did not report booted
  WARM_UP_I2C_ERROR,  // I2C failed while waiting for the first measurement
  WARM_UP_TIMEOUT,    // the first measurement did not complete
  START_FAILED,       // I2C failed while configuring or starting ranging
  STALLED,            // ranging, but no new measurement for STALL_PERIODS periods
  I2C_FAILING,        // ranging, but every I2C transfer failed for STALL_PERIODS periods
};

const char *cause_text(Cause cause);
const char *state_text(State state);

// The status a failure reading carries for a cause.
uint8_t failure_status(Cause cause);

struct Reading {
  float distance_mm;        // NaN: no distance (a failure status)
  uint8_t status;           // protocol status
  uint64_t completed_us;    // estimated completion, on the caller's clock
  uint32_t missed_before;   // results the sensor completed and overwrote before this one
};

enum class Event : uint8_t {
  STARTED,  // continuous ranging started
  FAILED,   // an attempt failed (cause()); the next one starts after retry_delay_us()
  STALLED,  // ranging stopped delivering (cause()); re-initialising now
};

struct RangingConfig {
  uint32_t period_us{20000};  // programmed inter-measurement period
  uint32_t reset_hold_us{2000};
  uint32_t power_up_us{2000};  // XSHUT high to first I2C access (the datasheet's boot time is 1.2 ms)
  uint32_t boot_timeout_us{100000};
  // The warm-up measurement runs on the default table (long mode, ~100 ms budget and period);
  // ST's driver waits without limit, SparkFun's for ~150 polls.
  uint32_t warm_up_timeout_us{500000};
  uint32_t stall_periods{5};
  uint32_t retry_min_us{1000000};
  uint32_t retry_max_us{30000000};
};

class RangingCore {
 public:
  // Poll from this fraction of a period before the next measurement is due.
  static constexpr double POLL_LEAD = 0.2;
  // A bracket narrower than this (poll before and poll after a completion) trains the tracker.
  static constexpr uint64_t NARROW_BRACKET_US = 2500;
  // A result read is the sensor's newest: it completed within this many (tracked) periods.
  static constexpr double NEWEST_WITHIN_PERIODS = 1.25;
  // Narrow brackets that first measure the period (start-up, then after each power-up the period
  // is kept: it is the sensor's oscillator).
  static constexpr uint32_t ACQUIRE_BRACKETS = 16;
  static constexpr double PHASE_GAIN = 0.15;
  static constexpr double PERIOD_GAIN = 0.01;

  RangingCore(SensorPort *port, const RangingConfig &config);

  void set_on_reading(std::function<void(const Reading &)> callback) { this->on_reading_ = std::move(callback); }
  void set_on_event(std::function<void(Event)> callback) { this->on_event_ = std::move(callback); }

  // Call often (every ~1 ms) with a monotonic microsecond clock.
  void poll(uint64_t now_us);

  State state() const { return this->state_; }
  Cause cause() const { return this->cause_; }
  // Initialisations after the first one (stall recoveries and retries).
  uint32_t reinits() const { return this->attempts_ > 0 ? this->attempts_ - 1 : 0; }
  uint32_t retry_delay_us() const { return this->retry_delay_us_; }
  uint64_t readings() const { return this->readings_; }
  uint64_t missed() const { return this->missed_; }
  // The sensor's measured period (tracked from the completions), µs.
  double period_us() const { return this->period_us_; }

  // Milliseconds on the caller's clock (t of the protocol) for a completion time.
  static uint32_t to_device_ms(uint64_t us) { return static_cast<uint32_t>(us / 1000U); }

 protected:
  void begin_attempt_(uint64_t now);
  void fail_(uint64_t now, Cause cause);
  void stall_(uint64_t now, Cause cause);
  void poll_ranging_(uint64_t now);
  void take_result_(uint64_t now);
  uint64_t place_(uint64_t lo, uint64_t hi, int steps);
  int steps_(uint8_t stream_count, uint64_t lo, uint64_t hi, bool use_stream) const;
  void emit_(float distance_mm, uint8_t status, uint64_t completed_us, uint32_t missed_before);
  void event_(Event event);

  SensorPort *port_;
  RangingConfig config_;
  std::function<void(const Reading &)> on_reading_;
  std::function<void(Event)> on_event_;

  State state_{State::BACKING_OFF};
  Cause cause_{Cause::NONE};
  bool started_{false};
  uint64_t state_since_{0};
  uint64_t retry_at_{0};
  uint32_t retry_delay_us_{0};
  uint32_t attempts_{0};
  bool boot_answered_{false};

  // Ranging.
  uint64_t last_result_poll_{0};  // poll that read the latest result (or ranging start)
  uint64_t last_empty_poll_{0};   // latest poll that found no new result since then
  bool have_empty_poll_{false};
  uint32_t consecutive_errors_{0};
  bool clear_pending_{false};      // the last interrupt clear failed: a repeat result is expected
  bool have_stream_{false};
  uint8_t stream_count_{0};

  // Tracker of the sensor's own clock.
  double period_us_;
  bool have_anchor_{false};
  double anchor_us_{0};  // estimated completion of the latest result
  uint32_t acquired_{0};
  bool acquire_from_set_{false};
  double acquire_from_us_{0};
  int64_t acquire_steps_{0};

  uint64_t readings_{0};
  uint64_t missed_{0};
};

}  // namespace rep_coach_vl53l1x
}  // namespace esphome
