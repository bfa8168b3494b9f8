// Timing and recovery logic of the Rep Coach VL53L1X driver (see ranging_core.h).
#include "ranging_core.h"

#include <algorithm>
#include <cmath>

namespace esphome {
namespace rep_coach_vl53l1x {

// The device's raw status codes (low 5 bits of RESULT__RANGE_STATUS) mapped to ST's ULD status.
static const uint8_t RAW_STATUS_MAP[24] = {255, 255, 255, 5,   2,  4,  1,   7,   3,  0,   255, 255,
                                           9,   13,  255, 255, 255, 255, 10, 6, 255, 255, 11, 12};
static const uint8_t ULD_VALID_NO_WRAP_CHECK = 6;
// A stream count wraps from 255 to 128, so 0..127 only follow a (re)start.
static const uint8_t STREAM_WRAP_TO = 128;
// I2C failures in a row that end a warm-up, or (with the time limit) count as failing while ranging.
static const uint32_t ERRORS_BEFORE_STALL = 3;

uint8_t uld_range_status(uint8_t raw_status) {
  raw_status &= 0x1F;
  return raw_status < sizeof(RAW_STATUS_MAP) ? RAW_STATUS_MAP[raw_status] : STATUS_I2C_FAILURE;
}

uint8_t protocol_status(uint8_t uld_status) {
  return uld_status == ULD_VALID_NO_WRAP_CHECK ? STATUS_VALID : uld_status;
}

int stream_steps(uint8_t previous, uint8_t current) {
  if (current == previous)
    return 0;
  if (current > previous)
    return current - previous;
  if (current >= STREAM_WRAP_TO)
    return (256 - previous) + (current - STREAM_WRAP_TO);
  return -1;
}

const char *cause_text(Cause cause) {
  switch (cause) {
    case Cause::NONE:
      return "none";
    case Cause::NO_SENSOR:
      return "no VL53L1X answers (check wiring, power and the address)";
    case Cause::BOOT_TIMEOUT:
      return "the sensor did not finish booting";
    case Cause::WARM_UP_I2C_ERROR:
      return "I2C error during the first measurement";
    case Cause::WARM_UP_TIMEOUT:
      return "the first measurement did not complete";
    case Cause::START_FAILED:
      return "I2C error while configuring or starting ranging";
    case Cause::STALLED:
      return "no new measurement: the sensor stopped ranging (reset or brown-out?)";
    case Cause::I2C_FAILING:
      return "I2C reads keep failing (check wiring, pull-ups and bus speed)";
  }
  return "unknown";
}

const char *state_text(State state) {
  switch (state) {
    case State::RESETTING:
      return "resetting";
    case State::POWERING:
      return "powering up";
    case State::BOOTING:
      return "booting";
    case State::WARMING_UP:
      return "warming up";
    case State::RANGING:
      return "ranging";
    case State::BACKING_OFF:
      return "waiting to retry";
  }
  return "unknown";
}

uint8_t failure_status(Cause cause) {
  switch (cause) {
    case Cause::BOOT_TIMEOUT:
    case Cause::WARM_UP_TIMEOUT:
    case Cause::STALLED:
      return STATUS_SENSOR_STALLED;
    default:
      return STATUS_I2C_FAILURE;
  }
}

RangingCore::RangingCore(SensorPort *port, const RangingConfig &config)
    : port_(port), config_(config), period_us_(static_cast<double>(config.period_us)) {}

void RangingCore::event_(Event event) {
  if (this->on_event_)
    this->on_event_(event);
}

void RangingCore::emit_(float distance_mm, uint8_t status, uint64_t completed_us, uint32_t missed_before) {
  this->missed_ += missed_before;
  if (this->on_reading_)
    this->on_reading_(Reading{distance_mm, status, completed_us, missed_before});
}

void RangingCore::begin_attempt_(uint64_t now) {
  this->attempts_++;
  this->state_since_ = now;
  if (this->port_->has_power_control()) {
    // XSHUT low resets the sensor whatever state it is in (it keeps ranging across an ESP32 reset).
    this->port_->set_power(false);
    this->state_ = State::RESETTING;
  } else {
    this->state_ = State::POWERING;
  }
}

void RangingCore::fail_(uint64_t now, Cause cause) {
  this->cause_ = cause;
  this->retry_delay_us_ = this->retry_delay_us_ == 0
                              ? this->config_.retry_min_us
                              : std::min(this->retry_delay_us_ * 2, this->config_.retry_max_us);
  this->retry_at_ = now + this->retry_delay_us_;
  this->state_ = State::BACKING_OFF;
  this->state_since_ = now;
  this->emit_(NAN, failure_status(cause), now, 0);
  this->event_(Event::FAILED);
}

void RangingCore::stall_(uint64_t now, Cause cause) {
  this->cause_ = cause;
  this->emit_(NAN, failure_status(cause), now, 0);
  this->event_(Event::STALLED);
  this->begin_attempt_(now);
}

void RangingCore::poll(uint64_t now) {
  if (!this->started_) {
    this->started_ = true;
    this->begin_attempt_(now);
  }
  const uint64_t elapsed = now - this->state_since_;
  switch (this->state_) {
    case State::RESETTING:
      if (elapsed >= this->config_.reset_hold_us) {
        this->port_->set_power(true);
        this->state_ = State::POWERING;
        this->state_since_ = now;
      }
      break;
    case State::POWERING:
      if (this->port_->has_power_control() && elapsed < this->config_.power_up_us)
        break;
      if (this->port_->begin_boot()) {
        this->state_ = State::BOOTING;
        this->state_since_ = now;
      } else if (elapsed > this->config_.boot_timeout_us) {
        this->fail_(now, Cause::NO_SENSOR);
      }
      break;
    case State::BOOTING: {
      // The sensor does not answer while it boots: read errors only count against the time limit.
      bool booted = false;
      if (this->port_->read_booted(&booted) && booted) {
        if (this->port_->start_warm_up()) {
          this->state_ = State::WARMING_UP;
          this->state_since_ = now;
          this->consecutive_errors_ = 0;
        } else {
          this->fail_(now, Cause::WARM_UP_I2C_ERROR);
        }
      } else if (elapsed > this->config_.boot_timeout_us) {
        this->fail_(now, Cause::BOOT_TIMEOUT);
      }
      break;
    }
    case State::WARMING_UP: {
      // A transfer can fail now and then; failing in a row, or at the deadline, is the cause.
      bool ready = false;
      if (!this->port_->read_data_ready(&ready)) {
        if (++this->consecutive_errors_ >= ERRORS_BEFORE_STALL || elapsed > this->config_.warm_up_timeout_us)
          this->fail_(now, Cause::WARM_UP_I2C_ERROR);
        break;
      }
      this->consecutive_errors_ = 0;
      if (ready) {
        if (!this->port_->start_ranging()) {
          this->fail_(now, Cause::START_FAILED);
          break;
        }
        this->state_ = State::RANGING;
        this->state_since_ = now;
        this->cause_ = Cause::NONE;
        this->last_result_poll_ = now;
        this->have_empty_poll_ = false;
        this->have_anchor_ = false;
        this->have_stream_ = false;
        this->clear_pending_ = false;
        this->consecutive_errors_ = 0;
        this->event_(Event::STARTED);
      } else if (elapsed > this->config_.warm_up_timeout_us) {
        this->fail_(now, Cause::WARM_UP_TIMEOUT);
      }
      break;
    }
    case State::RANGING:
      this->poll_ranging_(now);
      break;
    case State::BACKING_OFF:
      if (now >= this->retry_at_)
        this->begin_attempt_(now);
      break;
  }
}

void RangingCore::poll_ranging_(uint64_t now) {
  if (this->have_anchor_ && !this->clear_pending_) {
    // Nothing can be ready long before the next measurement is due: spare the bus.
    const double due = this->anchor_us_ + this->period_us_ * (1.0 - POLL_LEAD);
    if (static_cast<double>(now) < due)
      return;
  }
  const uint64_t stall_us = static_cast<uint64_t>(this->config_.stall_periods) * this->config_.period_us;
  const uint64_t silent = now - this->last_result_poll_;
  bool ready = false;
  if (!this->port_->read_data_ready(&ready)) {
    this->consecutive_errors_++;
    if (silent > stall_us && this->consecutive_errors_ >= ERRORS_BEFORE_STALL)
      this->stall_(now, Cause::I2C_FAILING);
    return;
  }
  this->consecutive_errors_ = 0;
  if (!ready) {
    // A healthy sensor raises data-ready every period and keeps it up until cleared, so a poll that
    // finds nothing this long after the last result means it stopped (a late loop cannot cause it).
    this->last_empty_poll_ = now;
    this->have_empty_poll_ = true;
    if (silent > stall_us)
      this->stall_(now, Cause::STALLED);
    return;
  }
  this->take_result_(now);
}

void RangingCore::take_result_(uint64_t now) {
  // The result completed after the last poll that found nothing, and before this one; and it is the
  // sensor's newest (it overwrites unread results), so it completed within the last period.
  uint64_t lo = this->have_empty_poll_ ? this->last_empty_poll_ : this->last_result_poll_;
  const uint64_t hi = now;
  const uint64_t newest_within = static_cast<uint64_t>(NEWEST_WITHIN_PERIODS * this->period_us_);
  if (hi > newest_within && hi - newest_within > lo)
    lo = hi - newest_within;
  RawResult result{};
  if (!this->port_->read_result(&result)) {
    // Lost on the bus: say so at its place in the stream rather than skipping it silently.
    const uint64_t at = this->place_(lo, hi, this->steps_(0, lo, hi, false));
    this->have_stream_ = false;
    this->clear_pending_ = !this->port_->clear_interrupt();
    this->last_result_poll_ = now;
    this->have_empty_poll_ = false;
    this->emit_(NAN, STATUS_I2C_FAILURE, at, 0);
    return;
  }
  if (this->clear_pending_ && this->have_stream_ && result.stream_count == this->stream_count_) {
    // Already reported: only its interrupt clear had failed.
    this->clear_pending_ = !this->port_->clear_interrupt();
    this->last_empty_poll_ = now;
    this->have_empty_poll_ = true;
    return;
  }
  const int steps = this->steps_(result.stream_count, lo, hi, this->have_stream_);
  const uint64_t at = this->place_(lo, hi, steps);
  this->clear_pending_ = !this->port_->clear_interrupt();
  this->have_stream_ = true;
  this->stream_count_ = result.stream_count;
  this->last_result_poll_ = now;
  this->have_empty_poll_ = false;
  this->retry_delay_us_ = 0;
  this->readings_++;
  const uint8_t status = protocol_status(uld_range_status(result.raw_status));
  const float distance = status >= STATUS_FAILURE_MIN ? NAN : static_cast<float>(result.distance_mm);
  this->emit_(distance, status, at, static_cast<uint32_t>(steps - 1));
}

int RangingCore::steps_(uint8_t stream_count, uint64_t lo, uint64_t hi, bool use_stream) const {
  const int counted = use_stream ? stream_steps(this->stream_count_, stream_count) : -1;
  if (!this->have_anchor_)
    return counted >= 1 ? counted : 1;
  // The completion lies in (lo, hi]: the count must put it there, give or take the tracker's error.
  const double period = this->period_us_;
  const double tolerance = 0.25 * period;
  const double fewest = (static_cast<double>(lo) - this->anchor_us_ - tolerance) / period;
  const double most = (static_cast<double>(hi) - this->anchor_us_ + tolerance) / period;
  if (counted >= 1) {
    // Counts from 128 up repeat every 128 measurements: a long gap can hide whole cycles.
    int64_t steps = counted;
    if (this->stream_count_ >= STREAM_WRAP_TO && stream_count >= STREAM_WRAP_TO) {
      while (steps < fewest)
        steps += 256 - STREAM_WRAP_TO;
    }
    if (steps >= fewest && steps <= most)
      return static_cast<int>(steps);
  }
  // No count, or one the clock contradicts: go by the clock.
  const double middle = (static_cast<double>(lo) + static_cast<double>(hi)) / 2.0;
  return std::max(1, static_cast<int>(std::lround((middle - this->anchor_us_) / period)));
}

uint64_t RangingCore::place_(uint64_t lo, uint64_t hi, int steps) {
  const double lo_d = static_cast<double>(lo);
  const double hi_d = static_cast<double>(hi);
  const bool narrow = hi - lo <= NARROW_BRACKET_US;
  const double middle = (lo_d + hi_d) / 2.0;
  if (!this->have_anchor_) {
    this->anchor_us_ = narrow ? middle : hi_d;
    this->have_anchor_ = true;
    if (this->acquired_ < ACQUIRE_BRACKETS) {
      this->acquire_from_set_ = narrow;
      this->acquire_from_us_ = middle;
      this->acquire_steps_ = 0;
    }
  } else {
    const double predicted = this->anchor_us_ + steps * this->period_us_;
    double placed = predicted;
    if (this->acquired_ < ACQUIRE_BRACKETS) {
      // Acquisition: the period is the span between narrow brackets over the measurements between.
      this->acquire_steps_ += steps;
      if (narrow && !this->acquire_from_set_) {
        this->acquire_from_set_ = true;
        this->acquire_from_us_ = middle;
        this->acquire_steps_ = 0;
        placed = middle;
      } else if (narrow) {
        this->period_us_ = (middle - this->acquire_from_us_) / static_cast<double>(this->acquire_steps_);
        this->acquired_++;
        placed = middle;
      }
    } else if (narrow) {
      // Tracking: a phase-locked loop on the bracket middles averages the poll quantisation out.
      const double error = middle - predicted;
      placed = predicted + PHASE_GAIN * error;
      this->period_us_ += PERIOD_GAIN * error / steps;
    }
    // Whatever the tracker says, the completion is inside the bracket.
    placed = std::min(std::max(placed, lo_d + 1.0), hi_d);
    if (!narrow && placed != predicted)
      this->period_us_ += PERIOD_GAIN * (placed - predicted) / steps;
    this->anchor_us_ = placed;
  }
  const double nominal = static_cast<double>(this->config_.period_us);
  this->period_us_ = std::min(std::max(this->period_us_, 0.7 * nominal), 1.3 * nominal);
  return static_cast<uint64_t>(std::llround(this->anchor_us_));
}

}  // namespace rep_coach_vl53l1x
}  // namespace esphome
