/**
 * Rep Coach card: a training screen for one Rep Coach bench sensor.
 *
 * Plain ES module, no build step. Served by the integration at /rep_coach/rep-coach-card.js and
 * loaded in every dashboard. Configuration (YAML):
 *
 *   type: custom:rep-coach-card
 *   device_id: 0123456789abcdef0123456789abcdef   # required: the Rep Coach device
 *   title: Hip thrusts                            # optional, defaults to the device name
 *
 * Entities are found through the entity registry (`hass.entities`: platform `rep_coach`, the
 * device, and each entity's translation key), so renamed entity ids keep working.
 */

const VERSION = "0.1.0";
const PLATFORM = "rep_coach";
const SIDES = ["left", "right"];
const TICK_MS = 100;

const WARNING_LABELS = {
  hold_too_short: "Hold too short",
  lowered_too_fast: "Lowered too fast",
  jerky: "Jerky movement",
  partial_range: "Partial range",
  imbalance: "Left/right imbalance",
};
const RECENT_WARNINGS = 3;

const STYLE = `
  :host { display: block; }
  ha-card { display: block; padding: 16px; color: var(--primary-text-color);
    background: var(--ha-card-background, var(--card-background-color, #fff)); }
  .header { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
  .title { font-size: 1.2em; font-weight: 500; }
  .chip { font-size: 0.85em; padding: 2px 10px; border-radius: 12px;
    background: var(--secondary-background-color, #eee); color: var(--primary-text-color); }
  .chip.active { background: var(--primary-color); color: var(--text-primary-color, #fff); }
  .problem { margin-top: 8px; padding: 6px 10px; border-radius: 8px;
    background: var(--error-color, #db4437); color: var(--text-primary-color, #fff); }
  .hero { display: flex; align-items: baseline; justify-content: center; gap: 6px;
    margin: 12px 0 0; }
  .reps { font-size: 4.5em; font-weight: 700; line-height: 1; font-variant-numeric: tabular-nums; }
  .target { font-size: 1.5em; color: var(--secondary-text-color); }
  .where { text-align: center; color: var(--secondary-text-color); margin-bottom: 12px; }
  .grid { display: grid; grid-template-columns: auto 1fr auto; gap: 6px 10px;
    align-items: center; margin-bottom: 12px; }
  .grid .side { text-transform: capitalize; }
  .grid .side.current { font-weight: 700; color: var(--primary-color); }
  .cells { display: flex; gap: 4px; }
  .cell { flex: 1; height: 14px; border-radius: 4px; border: 1px solid var(--divider-color, #ccc); }
  .cell.done { background: var(--success-color, #43a047); border-color: transparent; }
  .cell.current { border: 2px solid var(--primary-color); }
  .count { font-variant-numeric: tabular-nums; color: var(--secondary-text-color); }
  .row { margin: 10px 0; }
  .label { display: flex; justify-content: space-between; font-size: 0.95em; }
  .value { font-variant-numeric: tabular-nums; }
  .bar { height: 10px; margin-top: 4px; border-radius: 5px; overflow: hidden;
    background: var(--secondary-background-color, #eee); }
  .fill { height: 100%; width: 0%; background: var(--primary-color);
    transition: width 0.1s linear; }
  .fill.reached { background: var(--success-color, #43a047); }
  .ok { color: var(--success-color, #43a047); }
  .bad { color: var(--warning-color, #ffa600); }
  .rest .value { font-size: 1.6em; font-weight: 600; }
  .warnings { list-style: none; margin: 4px 0 0; padding: 0; }
  .warnings li { padding: 2px 0; color: var(--warning-color, #ffa600); }
  .warnings li.none { color: var(--secondary-text-color); }
  .missing { color: var(--error-color, #db4437); }
  [hidden] { display: none !important; }
`;

const TEMPLATE = `
  <ha-card>
    <div class="header">
      <span class="title" data-el="title"></span>
      <span class="chip" data-el="phase"></span>
    </div>
    <div class="problem" data-el="problem" hidden>Sensor problem: check the bench sensor</div>
    <div class="missing" data-el="missing" hidden></div>
    <div data-el="body">
      <div class="hero">
        <span class="reps" data-el="reps">0</span>
        <span class="target" data-el="target-reps"></span>
      </div>
      <div class="where" data-el="where"></div>
      <div class="grid" data-el="sets"></div>
      <div class="row hold">
        <div class="label"><span data-el="hold-label">Hold</span>
          <span class="value" data-el="hold-value"></span></div>
        <div class="bar"><div class="fill" data-el="hold-fill"></div></div>
      </div>
      <div class="row lowering">
        <div class="label"><span>Lowering</span>
          <span class="value" data-el="lowering-value"></span></div>
      </div>
      <div class="row rest" data-el="rest" hidden>
        <div class="label"><span>Rest</span>
          <span class="value" data-el="rest-value"></span></div>
        <div class="bar"><div class="fill" data-el="rest-fill"></div></div>
      </div>
      <div class="row">
        <div class="label"><span>Form</span></div>
        <ul class="warnings" data-el="warnings"></ul>
      </div>
    </div>
  </ha-card>
`;

/** Seconds as "1.6 s", or an em dash when unknown. */
function formatSeconds(value) {
  return Number.isFinite(value) ? `${value.toFixed(1)} s` : "—";
}

/** A countdown as "m:ss". */
function formatClock(seconds) {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

function capitalize(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

class RepCoachCard extends HTMLElement {
  constructor() {
    super();
    this._config = undefined;
    this._hass = undefined;
    this._timer = undefined;
    this._recentWarnings = [];
    this.attachShadow({ mode: "open" });
    this.shadowRoot.innerHTML = `<style>${STYLE}</style>${TEMPLATE}`;
    this._el = {};
    for (const node of this.shadowRoot.querySelectorAll("[data-el]")) {
      this._el[node.dataset.el] = node;
    }
  }

  setConfig(config) {
    if (!config || typeof config.device_id !== "string" || !config.device_id) {
      throw new Error("rep-coach-card: set device_id to your Rep Coach device");
    }
    this._config = { ...config };
    this._recentWarnings = [];
    this._render();
  }

  set hass(hass) {
    this._hass = hass;
    this._render();
  }

  get hass() {
    return this._hass;
  }

  getCardSize() {
    return 8;
  }

  getGridOptions() {
    return { columns: 12, min_columns: 6, rows: "auto" };
  }

  connectedCallback() {
    this._render();
  }

  disconnectedCallback() {
    this._stopTimer();
  }

  /** Entity ids of the configured device, keyed by translation key. */
  _entities() {
    const found = {};
    for (const entry of Object.values(this._hass.entities || {})) {
      if (
        entry.platform === PLATFORM &&
        entry.device_id === this._config.device_id &&
        entry.translation_key
      ) {
        found[entry.translation_key] = entry.entity_id;
      }
    }
    return found;
  }

  _stateObj(key) {
    const entityId = this._ids[key];
    return entityId ? this._hass.states[entityId] : undefined;
  }

  _state(key) {
    const stateObj = this._stateObj(key);
    if (!stateObj || stateObj.state === "unavailable" || stateObj.state === "unknown") {
      return undefined;
    }
    return stateObj.state;
  }

  _number(key) {
    const value = Number.parseFloat(this._state(key));
    return Number.isFinite(value) ? value : undefined;
  }

  _isOn(key) {
    return this._state(key) === "on";
  }

  /** The state as Home Assistant would display it (translated), with a plain fallback. */
  _display(key, fallback) {
    const stateObj = this._stateObj(key);
    if (stateObj && typeof this._hass.formatEntityState === "function") {
      return this._hass.formatEntityState(stateObj);
    }
    return fallback;
  }

  _render() {
    if (!this._config || !this._hass) {
      return;
    }
    this._ids = this._entities();
    const device = (this._hass.devices || {})[this._config.device_id];
    const name = this._config.title || device?.name_by_user || device?.name || "Rep Coach";
    this._el.title.textContent = name;
    const missing = this._ids.reps_this_set === undefined;
    this._el.missing.hidden = !missing;
    this._el.body.hidden = missing;
    if (missing) {
      this._el.missing.textContent = `No Rep Coach entities found for device ${this._config.device_id}`;
      this._el.phase.textContent = "";
      this._stopTimer();
      return;
    }
    this._renderStatus();
    this._renderReps();
    this._renderSets();
    this._renderLowering();
    this._renderWarnings();
    this._renderLive();
    if (this._isOn("holding") || this._restEndsAt() !== undefined) {
      this._startTimer();
    } else {
      this._stopTimer();
    }
  }

  _renderStatus() {
    const phase = this._state("phase");
    this._el.phase.textContent = phase ? this._display("phase", capitalize(phase)) : "—";
    this._el.phase.classList.toggle("active", this._isOn("in_set"));
    this._el.problem.hidden = !this._isOn("sensor_problem");
  }

  _renderReps() {
    const reps = this._number("reps_this_set");
    const target = this._number("target_reps");
    this._el.reps.textContent = reps === undefined ? "—" : String(Math.round(reps));
    this._el["target-reps"].textContent = target ? `/ ${Math.round(target)}` : "";
    const side = this._state("current_side");
    const setNumber = this._number("set_number");
    const sets = this._number("target_sets");
    const parts = [];
    if (side) parts.push(`${capitalize(side)} leg`);
    if (setNumber) parts.push(sets ? `set ${setNumber} of ${sets}` : `set ${setNumber}`);
    this._el.where.textContent = parts.join(" · ");
  }

  _renderSets() {
    const target = Math.round(this._number("target_sets") || 0);
    const side = this._state("current_side");
    const inSet = this._isOn("in_set");
    const setNumber = Math.round(this._number("set_number") || 0);
    const grid = this._el.sets;
    grid.replaceChildren();
    for (const rowSide of SIDES) {
      const done = Math.round(this._number(`${rowSide}_sets`) || 0);
      const columns = Math.max(target, done, 1);
      const label = document.createElement("span");
      label.className = "side";
      label.dataset.side = rowSide;
      label.classList.toggle("current", rowSide === side);
      label.textContent = rowSide;
      const cells = document.createElement("div");
      cells.className = "cells";
      for (let index = 1; index <= columns; index += 1) {
        const cell = document.createElement("span");
        cell.className = "cell";
        cell.classList.toggle("done", index <= done);
        cell.classList.toggle("current", inSet && rowSide === side && index === setNumber);
        cell.title = `${capitalize(rowSide)} set ${index}`;
        cells.append(cell);
      }
      const count = document.createElement("span");
      count.className = "count";
      count.dataset.side = rowSide;
      count.textContent = target ? `${done}/${target}` : String(done);
      grid.append(label, cells, count);
    }
  }

  _renderLowering() {
    const last = this._number("last_lowering_time");
    const target = this._number("lowering_target");
    const element = this._el["lowering-value"];
    element.textContent =
      last === undefined ? "—" : `${formatSeconds(last)} / ${formatSeconds(target)}`;
    const judged = last !== undefined && target !== undefined;
    element.classList.toggle("ok", judged && last >= target);
    element.classList.toggle("bad", judged && last < target);
  }

  _renderWarnings() {
    const stateObj = this._stateObj("last_form_feedback");
    const warning = this._state("last_form_feedback");
    if (warning && warning !== "none") {
      const stamp = stateObj.last_changed;
      const newest = this._recentWarnings[0];
      if (!newest || newest.stamp !== stamp || newest.warning !== warning) {
        const label = this._display("last_form_feedback", WARNING_LABELS[warning] || warning);
        this._recentWarnings.unshift({ warning, stamp, label });
        this._recentWarnings.length = Math.min(this._recentWarnings.length, RECENT_WARNINGS);
      }
    }
    const list = this._el.warnings;
    list.replaceChildren();
    for (const { warning, label } of this._recentWarnings) {
      const item = document.createElement("li");
      item.dataset.warning = warning;
      item.textContent = label;
      list.append(item);
    }
    if (this._recentWarnings.length === 0) {
      const item = document.createElement("li");
      item.className = "none";
      item.textContent = "No warnings";
      list.append(item);
    }
  }

  _restEndsAt() {
    const ends = Date.parse(this._state("rest_ends_at"));
    return Number.isFinite(ends) && ends > Date.now() ? ends : undefined;
  }

  /** The parts that move with the clock: hold progress and the rest countdown. */
  _renderLive() {
    const now = Date.now();
    const target = this._number("hold_target");
    const holding = this._isOn("holding");
    let seconds;
    if (holding) {
      const since = Date.parse(this._stateObj("holding").last_changed);
      seconds = Number.isFinite(since) ? Math.max(0, (now - since) / 1000) : 0;
    } else {
      seconds = this._number("last_hold_time");
    }
    const ratio = seconds !== undefined && target ? Math.min(seconds / target, 1) : 0;
    this._el["hold-label"].textContent = holding ? "Hold" : "Last hold";
    this._el["hold-value"].textContent = `${formatSeconds(seconds)} / ${formatSeconds(target)}`;
    this._el["hold-fill"].style.width = `${(ratio * 100).toFixed(1)}%`;
    this._el["hold-fill"].classList.toggle("reached", ratio >= 1);

    const ends = this._restEndsAt();
    this._el.rest.hidden = ends === undefined;
    if (ends !== undefined) {
      const left = (ends - now) / 1000;
      const duration = this._number("rest_duration");
      this._el["rest-value"].textContent = formatClock(left);
      const share = duration ? Math.min(Math.max(left / duration, 0), 1) : 0;
      this._el["rest-fill"].style.width = `${(share * 100).toFixed(1)}%`;
    }
  }

  _startTimer() {
    if (this._timer === undefined && this.isConnected) {
      this._timer = setInterval(() => this._tick(), TICK_MS);
    }
  }

  _stopTimer() {
    if (this._timer !== undefined) {
      clearInterval(this._timer);
      this._timer = undefined;
    }
  }

  _tick() {
    if (this._restEndsAt() === undefined && !this._isOn("holding")) {
      this._render();
      return;
    }
    this._renderLive();
  }
}

function defineCard() {
  if (customElements.get("rep-coach-card")) return;
  customElements.define("rep-coach-card", RepCoachCard);
  window.customCards = window.customCards || [];
  window.customCards.push({
    type: "rep-coach-card",
    name: "Rep Coach",
    description: "Reps, sets per side, hold, lowering tempo and rest for a Rep Coach bench.",
    documentationURL: "https://github.com/rep-coach/rep-coach#blueprints-and-dashboard",
  });
  console.info(`%c REP-COACH-CARD %c ${VERSION} `, "color: white; background: #03a9f4", "");
}

// Home Assistant's app installs a scoped custom element registry polyfill that replaces
// window.customElements. Loaded as an extra module, this file can run before the app does, and a
// card defined in the browser's own registry is then invisible to dashboards ("Configuration
// error"). So on Home Assistant's page, define the card once the app has defined itself.
if (document.querySelector("home-assistant") && !customElements.get("home-assistant")) {
  customElements.whenDefined("home-assistant").then(defineCard);
} else {
  defineCard();
}
