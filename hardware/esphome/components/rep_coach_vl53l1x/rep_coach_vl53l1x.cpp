// VL53L1X driver for Rep Coach, written for this project from the sensor's register map
// (ST UM2510/UM2356: the default configuration block, distance-mode and timing-budget values).
#include "rep_coach_vl53l1x.h"

#include <cmath>

#include "esphome/core/log.h"

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
static const uint16_t REG_RANGE_STATUS = 0x0089;
static const uint16_t REG_RANGE_MM = 0x0096;
static const uint16_t REG_OSC_CALIBRATE = 0x00DE;
static const uint16_t REG_FIRMWARE_STATUS = 0x00E5;
static const uint16_t REG_MODEL_ID = 0x010F;

static const uint16_t MODEL_ID = 0xEACC;
static const uint8_t MODE_START_CONTINUOUS = 0x40;
static const uint8_t MODE_STOP = 0x00;
static const uint32_t BOOT_TIMEOUT_MS = 100;
static const uint32_t ERRORS_BEFORE_WARNING = 10;

// Default configuration block, written from register 0x002D to 0x0087.
static const uint16_t DEFAULT_CONFIG_FIRST_REG = 0x002D;
static const uint8_t DEFAULT_CONFIG[] = {
    0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x02, 0x08, 0x00, 0x08, 0x10, 0x01, 0x01, 0x00, 0x00, 0x00,
    0x00, 0xff, 0x00, 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x0b, 0x00, 0x00, 0x02, 0x0a, 0x21,
    0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0xc8, 0x00, 0x00, 0x38, 0xff, 0x01, 0x00, 0x08, 0x00,
    0x00, 0x01, 0xcc, 0x0f, 0x01, 0xf1, 0x0d, 0x01, 0x68, 0x00, 0x80, 0x08, 0xb8, 0x00, 0x00, 0x00,
    0x00, 0x0f, 0x89, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x0f, 0x0d, 0x0e, 0x0e, 0x00,
    0x00, 0x02, 0xc7, 0xff, 0x9B, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
};

// The device's raw status codes (low 5 bits of RANGE_STATUS) mapped to the documented status.
static const uint8_t RAW_STATUS_MAP[24] = {255, 255, 255, 5,   2,  4,  1,   7,   3,  0,   255, 255,
                                           9,   13,  255, 255, 255, 255, 10, 6, 255, 255, 11, 12};

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

void RepCoachVL53L1X::setup() {
  if (this->enable_pin_ != nullptr) {
    this->enable_pin_->setup();
    this->enable_pin_->digital_write(true);
    delay(2);
  }
  if (!this->boot_() || !this->load_default_configuration_() || !this->apply_distance_mode_() ||
      !this->apply_timing_()) {
    this->mark_failed();
    return;
  }
  this->write_u8_(REG_MODE_START, MODE_START_CONTINUOUS);
}

bool RepCoachVL53L1X::boot_() {
  uint16_t model = 0;
  if (!this->read_u16_(REG_MODEL_ID, &model) || model != MODEL_ID) {
    ESP_LOGE(TAG, "No VL53L1X at 0x%02X (model id 0x%04X, expected 0x%04X)", this->address_, model,
             MODEL_ID);
    return false;
  }
  this->write_u8_(REG_SOFT_RESET, 0x00);
  delayMicroseconds(100);
  this->write_u8_(REG_SOFT_RESET, 0x01);
  const uint32_t start = millis();
  uint8_t booted = 0;
  while (!(this->read_u8_(REG_FIRMWARE_STATUS, &booted) && (booted & 0x01))) {
    if (millis() - start > BOOT_TIMEOUT_MS) {
      ESP_LOGE(TAG, "VL53L1X did not boot within %u ms", (unsigned) BOOT_TIMEOUT_MS);
      return false;
    }
    delay(1);
  }
  return true;
}

bool RepCoachVL53L1X::load_default_configuration_() {
  for (size_t i = 0; i < sizeof(DEFAULT_CONFIG); i++) {
    if (!this->write_u8_(DEFAULT_CONFIG_FIRST_REG + i, DEFAULT_CONFIG[i]))
      return false;
  }
  uint8_t mux = 0;
  if (!this->read_u8_(REG_GPIO_HV_MUX_CTRL, &mux))
    return false;
  // Data ready is signalled by the interrupt line level, which depends on its polarity.
  this->interrupt_polarity_ = (mux & 0x10) ? 0 : 1;
  // One throw-away measurement completes the sensor's internal VHV calibration.
  this->write_u8_(REG_MODE_START, MODE_START_CONTINUOUS);
  const uint32_t start = millis();
  bool ready = false;
  while (this->data_ready_(&ready) && !ready) {
    if (millis() - start > BOOT_TIMEOUT_MS + this->timing_budget_ms_) {
      ESP_LOGE(TAG, "First measurement timed out");
      return false;
    }
    delay(1);
  }
  this->write_u8_(REG_INTERRUPT_CLEAR, 0x01);
  this->write_u8_(REG_MODE_START, MODE_STOP);
  this->write_u8_(REG_VHV_TIMEOUT_LOOP_BOUND, 0x09);
  return this->write_u8_(REG_VHV_INIT, 0x00);
}

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
  // The inter-measurement period is counted in oscillator ticks; 1.075 is the documented
  // correction between the calibrated oscillator and the ranging clock.
  uint16_t osc = 0;
  if (!this->read_u16_(REG_OSC_CALIBRATE, &osc))
    return false;
  const uint32_t period_ms = this->get_update_interval();
  const uint32_t period_ticks = (uint32_t) ((osc & 0x03FF) * period_ms * 1.075f);
  return this->write_u32_(REG_INTERMEASUREMENT_PERIOD, period_ticks);
}

bool RepCoachVL53L1X::data_ready_(bool *ready) {
  uint8_t status = 0;
  if (!this->read_u8_(REG_GPIO_TIO_HV_STATUS, &status))
    return false;
  *ready = (status & 0x01) == this->interrupt_polarity_;
  return true;
}

void RepCoachVL53L1X::update() {
  bool ready = false;
  if (!this->data_ready_(&ready)) {
    // An I2C stall: report no reading rather than repeating the previous distance.
    if (++this->consecutive_errors_ == ERRORS_BEFORE_WARNING)
      ESP_LOGW(TAG, "I2C reads keep failing: check wiring, pull-ups and bus speed");
    this->status_set_warning();
    this->publish_reading_(STATUS_NO_DATA, NAN);
    return;
  }
  if (!ready)
    return;  // the measurement is not finished yet; the next poll gets it
  uint8_t raw_status = 0;
  uint16_t distance = 0;
  const bool ok = this->read_u8_(REG_RANGE_STATUS, &raw_status) && this->read_u16_(REG_RANGE_MM, &distance);
  this->write_u8_(REG_INTERRUPT_CLEAR, 0x01);
  if (!ok) {
    this->publish_reading_(STATUS_NO_DATA, NAN);
    return;
  }
  this->consecutive_errors_ = 0;
  this->status_clear_warning();
  raw_status &= 0x1F;
  const uint8_t status = raw_status < sizeof(RAW_STATUS_MAP) ? RAW_STATUS_MAP[raw_status] : STATUS_NO_DATA;
  this->publish_reading_(status, status >= STATUS_FAILURE_MIN ? NAN : (float) distance);
}

void RepCoachVL53L1X::publish_reading_(uint8_t status, float distance_mm) {
  if (this->range_status_sensor_ != nullptr)
    this->range_status_sensor_->publish_state(status);
  this->publish_state(distance_mm);
}

void RepCoachVL53L1X::dump_config() {
  LOG_SENSOR("", "VL53L1X (Rep Coach)", this);
  LOG_I2C_DEVICE(this);
  ESP_LOGCONFIG(TAG, "  Distance mode: %s", this->distance_mode_ == DistanceMode::SHORT ? "short" : "long");
  ESP_LOGCONFIG(TAG, "  Timing budget: %u ms", (unsigned) this->timing_budget_ms_);
  LOG_UPDATE_INTERVAL(this);
  LOG_SENSOR("  ", "Range status", this->range_status_sensor_);
  if (this->is_failed())
    ESP_LOGE(TAG, "Communication with the VL53L1X failed");
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
