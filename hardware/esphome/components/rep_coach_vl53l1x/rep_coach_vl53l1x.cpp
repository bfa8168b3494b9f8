// VL53L1X driver for Rep Coach, written for this project from the sensor's register map
// (ST UM2510/UM2356: the default configuration block, distance-mode and timing-budget values).
#include "rep_coach_vl53l1x.h"

#include <cmath>

#include "esphome/core/log.h"

#ifdef USE_ESP32
#include <esp_timer.h>
#endif

namespace esphome {
namespace rep_coach_vl53l1x {

static const char *const TAG = "rep_coach_vl53l1x";

// Registers (16-bit addresses).
static const uint16_t REG_SOFT_RESET = 0x0000;
static const uint16_t REG_VHV_TIMEOUT_LOOP_BOUND = 0x0008;
static const uint16_t REG_VHV_INIT = 0x000B;
static const uint16_t REG_GPIO_HV_MUX_CTRL = 0x0030;
static const uint16_t REG_GPIO_TIO_HV_STATUS = 0x0031;
static const uint16_t REG_PHASECAL_TIMEOUT = 0x004B;
static const uint16_t REG_RANGE_TIMEOUT_A = 0x005E;
static const uint16_t REG_VCSEL_PERIOD_A = 0x0060;
static const uint16_t REG_RANGE_TIMEOUT_B = 0x0061;
static const uint16_t REG_VCSEL_PERIOD_B = 0x0063;
static const uint16_t REG_VALID_PHASE_HIGH = 0x0069;
static const uint16_t REG_INTERMEASUREMENT_PERIOD = 0x006C;
static const uint16_t REG_SD_WOI = 0x0078;
static const uint16_t REG_SD_INITIAL_PHASE = 0x007A;
static const uint16_t REG_INTERRUPT_CLEAR = 0x0086;
static const uint16_t REG_MODE_START = 0x0087;
// RESULT__RANGE_STATUS: the result block read in one transfer runs from here to the range.
static const uint16_t REG_RESULT_FIRST = 0x0089;
static const size_t RESULT_STREAM_COUNT = 0x008B - REG_RESULT_FIRST;
static const size_t RESULT_RANGE_MM = 0x0096 - REG_RESULT_FIRST;
static const size_t RESULT_LENGTH = RESULT_RANGE_MM + 2;
static const uint16_t REG_OSC_CALIBRATE = 0x00DE;
static const uint16_t REG_FIRMWARE_STATUS = 0x00E5;
static const uint16_t REG_MODEL_ID = 0x010F;

static const uint16_t MODEL_ID = 0xEACC;
static const uint8_t MODE_START_CONTINUOUS = 0x40;
static const uint8_t MODE_STOP = 0x00;
// The default configuration goes out in transfers of this many bytes (auto-incremented registers).
static const size_t CONFIG_CHUNK = 16;

// Default configuration block, written from register 0x002D to 0x0087 (ST's ULD table), except
// 0x2E and 0x2F: 0x01 puts the I2C and GPIO pads in 2.8 V mode, as the breakout makers do (SparkFun's
// table; Pololu sets the same bit): their boards pull the lines up to 2.8 V or more, not 1.8 V.
static const uint16_t DEFAULT_CONFIG_FIRST_REG = 0x002D;
static const uint8_t DEFAULT_CONFIG[] = {
    0x00, 0x01, 0x01, 0x01, 0x02, 0x00, 0x02, 0x08, 0x00, 0x08, 0x10, 0x01, 0x01, 0x00, 0x00, 0x00,
    0x00, 0xff, 0x00, 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x0b, 0x00, 0x00, 0x02, 0x0a, 0x21,
    0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0xc8, 0x00, 0x00, 0x38, 0xff, 0x01, 0x00, 0x08, 0x00,
    0x00, 0x01, 0xcc, 0x0f, 0x01, 0xf1, 0x0d, 0x01, 0x68, 0x00, 0x80, 0x08, 0xb8, 0x00, 0x00, 0x00,
    0x00, 0x0f, 0x89, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x0f, 0x0d, 0x0e, 0x0e, 0x00,
    0x00, 0x02, 0xc7, 0xff, 0x9B, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
};

struct TimingEntry {
  uint32_t budget_ms;
  uint16_t timeout_a;
  uint16_t timeout_b;
};

static const TimingEntry SHORT_TIMING[] = {
    {15, 0x001D, 0x0027}, {20, 0x0051, 0x006E},  {33, 0x00D6, 0x006E},  {50, 0x01AE, 0x01E8},
    {100, 0x02E1, 0x0388}, {200, 0x03E1, 0x0496}, {500, 0x0591, 0x05C1},
};
static const TimingEntry LONG_TIMING[] = {
    {20, 0x001E, 0x0022},  {33, 0x0060, 0x006E},  {50, 0x00AD, 0x00C6},
    {100, 0x01CC, 0x01EA}, {200, 0x02D9, 0x02F8}, {500, 0x048F, 0x04A4},
};

// Readings after which the measured rate is logged once (the sensor's clock is a few % off).
static const uint64_t RATE_REPORT_AFTER = 500;

// Microseconds on the clock millis() counts, so completion times convert to the protocol's t.
static uint64_t clock_us() {
#ifdef USE_ESP32
  return static_cast<uint64_t>(esp_timer_get_time());
#else
  return millis_64() * 1000ULL;
#endif
}

void RepCoachVL53L1X::setup() {
  if (this->enable_pin_ != nullptr) {
    this->enable_pin_->setup();
    this->enable_pin_->digital_write(false);
  }
  RangingConfig config;
  config.period_us = this->measurement_period_ms_ * 1000U;
  this->core_ = std::make_unique<RangingCore>(this, config);
  this->core_->set_on_reading([this](const Reading &reading) { this->on_reading_(reading); });
  this->core_->set_on_event([this](Event event) { this->on_event_(event); });
  this->core_->poll(clock_us());
  this->set_interval("poll", POLL_INTERVAL_MS, [this]() { this->core_->poll(clock_us()); });
}

void RepCoachVL53L1X::on_reading_(const Reading &reading) {
  const uint32_t device_ms = RangingCore::to_device_ms(reading.completed_us);
  this->reading_callbacks_.call(reading.distance_mm, reading.status, device_ms, reading.missed_before);
  if (this->range_status_sensor_ != nullptr)
    this->range_status_sensor_->publish_state(reading.status);
  this->publish_state(reading.distance_mm);
  if (!this->rate_reported_ && this->core_->readings() >= RATE_REPORT_AFTER) {
    this->rate_reported_ = true;
    const double period_ms = this->core_->period_us() / 1000.0;
    ESP_LOGI(TAG, "Measured period %.2f ms: %.1f readings/s (programmed %u ms)", period_ms, 1000.0 / period_ms,
             (unsigned) this->measurement_period_ms_);
  }
}

void RepCoachVL53L1X::on_event_(Event event) {
  const Cause cause = this->core_->cause();
  switch (event) {
    case Event::STARTED:
      ESP_LOGI(TAG, "Ranging every %u ms (%s mode, %u ms budget), re-inits so far: %u",
               (unsigned) this->measurement_period_ms_,
               this->distance_mode_ == DistanceMode::SHORT ? "short" : "long", (unsigned) this->timing_budget_ms_,
               (unsigned) this->core_->reinits());
      this->status_clear_warning();
      break;
    case Event::FAILED:
      ESP_LOGE(TAG, "Start-up failed: %s; retrying in %u s", cause_text(cause),
               (unsigned) (this->core_->retry_delay_us() / 1000000U));
      this->status_set_warning();
      break;
    case Event::STALLED:
      ESP_LOGW(TAG, "%s; re-initialising %s", cause_text(cause),
               this->enable_pin_ != nullptr ? "(XSHUT reset)" : "(software reset)");
      this->status_set_warning();
      break;
  }
  if (this->reinits_sensor_ != nullptr)
    this->reinits_sensor_->publish_state(this->core_->reinits());
}

void RepCoachVL53L1X::set_power(bool on) {
  if (this->enable_pin_ != nullptr)
    this->enable_pin_->digital_write(on);
}

bool RepCoachVL53L1X::begin_boot() {
  uint16_t model = 0;
  if (!this->read_u16_(REG_MODEL_ID, &model) || model != MODEL_ID) {
    ESP_LOGV(TAG, "No VL53L1X at 0x%02X (model id 0x%04X, expected 0x%04X)", this->address_, model, MODEL_ID);
    return false;
  }
  if (!this->write_u8_(REG_SOFT_RESET, 0x00))
    return false;
  delayMicroseconds(100);
  return this->write_u8_(REG_SOFT_RESET, 0x01);
}

bool RepCoachVL53L1X::read_booted(bool *booted) {
  uint8_t status = 0;
  if (!this->read_u8_(REG_FIRMWARE_STATUS, &status))
    return false;
  *booted = (status & 0x01) != 0;
  return true;
}

bool RepCoachVL53L1X::start_warm_up() {
  for (size_t offset = 0; offset < sizeof(DEFAULT_CONFIG); offset += CONFIG_CHUNK) {
    const size_t length = std::min(CONFIG_CHUNK, sizeof(DEFAULT_CONFIG) - offset);
    if (this->write_register16(DEFAULT_CONFIG_FIRST_REG + offset, DEFAULT_CONFIG + offset, length) != i2c::ERROR_OK)
      return false;
  }
  uint8_t mux = 0;
  if (!this->read_u8_(REG_GPIO_HV_MUX_CTRL, &mux))
    return false;
  // Data ready is signalled by the interrupt line level, which depends on its polarity.
  this->interrupt_polarity_ = (mux & 0x10) ? 0 : 1;
  // One throw-away measurement on the default table completes the sensor's internal VHV calibration.
  return this->write_u8_(REG_INTERRUPT_CLEAR, 0x01) && this->write_u8_(REG_MODE_START, MODE_START_CONTINUOUS);
}

bool RepCoachVL53L1X::read_data_ready(bool *ready) {
  uint8_t status = 0;
  if (!this->read_u8_(REG_GPIO_TIO_HV_STATUS, &status))
    return false;
  *ready = (status & 0x01) == this->interrupt_polarity_;
  return true;
}

bool RepCoachVL53L1X::start_ranging() {
  return this->write_u8_(REG_INTERRUPT_CLEAR, 0x01) && this->write_u8_(REG_MODE_START, MODE_STOP) &&
         this->write_u8_(REG_VHV_TIMEOUT_LOOP_BOUND, 0x09) && this->write_u8_(REG_VHV_INIT, 0x00) &&
         this->apply_distance_mode_() && this->apply_timing_() && this->write_u8_(REG_INTERRUPT_CLEAR, 0x01) &&
         this->write_u8_(REG_MODE_START, MODE_START_CONTINUOUS);
}

bool RepCoachVL53L1X::read_result(RawResult *result) {
  uint8_t data[RESULT_LENGTH];
  if (this->read_register16(REG_RESULT_FIRST, data, sizeof(data)) != i2c::ERROR_OK)
    return false;
  result->raw_status = data[0];
  result->stream_count = data[RESULT_STREAM_COUNT];
  result->distance_mm = (uint16_t) ((data[RESULT_RANGE_MM] << 8) | data[RESULT_RANGE_MM + 1]);
  return true;
}

bool RepCoachVL53L1X::clear_interrupt() { return this->write_u8_(REG_INTERRUPT_CLEAR, 0x01); }

bool RepCoachVL53L1X::apply_distance_mode_() {
  const bool short_mode = this->distance_mode_ == DistanceMode::SHORT;
  return this->write_u8_(REG_PHASECAL_TIMEOUT, short_mode ? 0x14 : 0x0A) &&
         this->write_u8_(REG_VCSEL_PERIOD_A, short_mode ? 0x07 : 0x0F) &&
         this->write_u8_(REG_VCSEL_PERIOD_B, short_mode ? 0x05 : 0x0D) &&
         this->write_u8_(REG_VALID_PHASE_HIGH, short_mode ? 0x38 : 0xB8) &&
         this->write_u16_(REG_SD_WOI, short_mode ? 0x0705 : 0x0F0D) &&
         this->write_u16_(REG_SD_INITIAL_PHASE, short_mode ? 0x0606 : 0x0E0E);
}

bool RepCoachVL53L1X::apply_timing_() {
  const bool short_mode = this->distance_mode_ == DistanceMode::SHORT;
  const TimingEntry *table = short_mode ? SHORT_TIMING : LONG_TIMING;
  const size_t count = short_mode ? sizeof(SHORT_TIMING) / sizeof(TimingEntry)
                                  : sizeof(LONG_TIMING) / sizeof(TimingEntry);
  const TimingEntry *entry = nullptr;
  for (size_t i = 0; i < count; i++) {
    if (table[i].budget_ms == this->timing_budget_ms_)
      entry = &table[i];
  }
  if (entry == nullptr) {
    ESP_LOGE(TAG, "Unsupported timing budget %u ms", (unsigned) this->timing_budget_ms_);
    return false;
  }
  if (!this->write_u16_(REG_RANGE_TIMEOUT_A, entry->timeout_a) ||
      !this->write_u16_(REG_RANGE_TIMEOUT_B, entry->timeout_b))
    return false;
  // The inter-measurement period is counted in oscillator ticks; 1.075 is ST's factor for setting
  // it (its getter uses 1.065): the real period is only known to a few %, which the core measures.
  uint16_t osc = 0;
  if (!this->read_u16_(REG_OSC_CALIBRATE, &osc))
    return false;
  const uint32_t period_ticks = (uint32_t) ((osc & 0x03FF) * this->measurement_period_ms_ * 1.075f);
  return this->write_u32_(REG_INTERMEASUREMENT_PERIOD, period_ticks);
}

void RepCoachVL53L1X::dump_config() {
  LOG_SENSOR("", "VL53L1X (Rep Coach)", this);
  LOG_I2C_DEVICE(this);
  ESP_LOGCONFIG(TAG, "  Distance mode: %s", this->distance_mode_ == DistanceMode::SHORT ? "short" : "long");
  ESP_LOGCONFIG(TAG, "  Timing budget: %u ms", (unsigned) this->timing_budget_ms_);
  ESP_LOGCONFIG(TAG, "  Measurement period: %u ms (programmed; measured %.2f ms)", (unsigned) this->measurement_period_ms_,
                this->core_ != nullptr ? this->core_->period_us() / 1000.0 : 0.0);
  LOG_PIN("  XSHUT pin: ", this->enable_pin_);
  LOG_SENSOR("  ", "Range status", this->range_status_sensor_);
  LOG_SENSOR("  ", "Re-inits", this->reinits_sensor_);
  if (this->core_ != nullptr) {
    ESP_LOGCONFIG(TAG, "  State: %s, re-inits: %u, readings: %llu, lost by the sensor: %llu",
                  state_text(this->core_->state()), (unsigned) this->core_->reinits(),
                  (unsigned long long) this->core_->readings(), (unsigned long long) this->core_->missed());
    if (this->core_->cause() != Cause::NONE)
      ESP_LOGCONFIG(TAG, "  Last failure: %s", cause_text(this->core_->cause()));
  }
}

bool RepCoachVL53L1X::write_u8_(uint16_t reg, uint8_t value) {
  return this->write_register16(reg, &value, 1) == i2c::ERROR_OK;
}

bool RepCoachVL53L1X::write_u16_(uint16_t reg, uint16_t value) {
  const uint8_t data[2] = {(uint8_t) (value >> 8), (uint8_t) value};
  return this->write_register16(reg, data, sizeof(data)) == i2c::ERROR_OK;
}

bool RepCoachVL53L1X::write_u32_(uint16_t reg, uint32_t value) {
  const uint8_t data[4] = {(uint8_t) (value >> 24), (uint8_t) (value >> 16), (uint8_t) (value >> 8),
                           (uint8_t) value};
  return this->write_register16(reg, data, sizeof(data)) == i2c::ERROR_OK;
}

bool RepCoachVL53L1X::read_u8_(uint16_t reg, uint8_t *value) {
  return this->read_register16(reg, value, 1) == i2c::ERROR_OK;
}

bool RepCoachVL53L1X::read_u16_(uint16_t reg, uint16_t *value) {
  uint8_t data[2];
  if (this->read_register16(reg, data, sizeof(data)) != i2c::ERROR_OK)
    return false;
  *value = (uint16_t) ((data[0] << 8) | data[1]);
  return true;
}

}  // namespace rep_coach_vl53l1x
}  // namespace esphome
