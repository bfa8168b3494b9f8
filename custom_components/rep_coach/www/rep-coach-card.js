/**
 * Rep Coach card: a training screen for one Rep Coach bench sensor.
 *
 * Plain ES module, no build step. Served by the integration at /rep_coach/rep-coach-card.js?v=<the
 * integration's version> and loaded in every dashboard. Add it from the card picker (a visual
 * editor picks the bench), or in YAML:
 *
 *   type: custom:rep-coach-card
 *   device_id: 0123456789abcdef0123456789abcdef   # the Rep Coach device (the editor's bench picker)
 *   layout: large                                 # optional: compact (default) or large
 *   title: Hip thrusts                            # optional, defaults to the device name
 *   statistics: false                             # optional: the large layout's 4 weeks
 *
 * Entities are found through the entity registry (`hass.entities`: platform `rep_coach`, the
 * device, and each entity's translation key), so renamed entity ids keep working. Every word
 * the card shows and the thresholds of its colours come from the integration
 * (`rep_coach/card_config`: its translations and the engine's own form thresholds).
 *
 * The large layout ends with the last 4 weeks per side (unless `statistics: false`): Home
 * Assistant's own statistics-graph cards, made with `window.loadCardHelpers()`, of the bench's
 * long-term statistics. A frontend without them shows the card without that section.
 */

const VERSION = new URL(import.meta.url).searchParams.get("v") || "";
const PLATFORM = "rep_coach";
const CARD_TYPE = "rep-coach-card";
const EDITOR_TYPE = "rep-coach-card-editor";
const LAYOUTS = ["compact", "large"];
const SIDES = ["left", "right"];
const TICK_MS = 100;
const STATISTICS_DAYS = 28;
// The large layout's weekly graphs: per-side sensors (translation keys) and what to draw.
const STATISTICS_GRAPHS = [
  { label: "statistics_reps", keys: ["left_reps", "right_reps"], stat: "change", chart: "bar" },
  { label: "statistics_sets", keys: ["left_sets", "right_sets"], stat: "change", chart: "bar" },
  {
    label: "statistics_hold",
    keys: ["left_set_mean_hold", "right_set_mean_hold"],
    stat: "mean",
    chart: "line",
  },
  {
    label: "statistics_lowering",
    keys: ["left_set_mean_lowering", "right_set_mean_lowering"],
    stat: "mean",
    chart: "line",
  },
];

const STYLE = `
  :host { display: block; }
  ha-card { display: block; padding: 16px; color: var(--primary-text-color);
    background: var(--ha-card-background, var(--card-background-color, #fff));
    container-type: inline-size; }
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
  .status { text-align: center; font-weight: 600; color: var(--success-color, #43a047); }
  .where { text-align: center; color: var(--secondary-text-color); margin-bottom: 12px; }
  .grid { display: grid; grid-template-columns: auto 1fr auto; gap: 6px 10px;
    align-items: center; margin-bottom: 12px; }
  .grid .side.current { font-weight: 700; color: var(--primary-color); }
  .cells { display: flex; gap: 4px; }
  .cell { flex: 1; height: 14px; border-radius: 4px; border: 1px solid var(--divider-color, #ccc); }
  .cell.done { background: var(--success-color, #43a047); border-color: transparent; }
  .cell.current { border: 2px solid var(--primary-color); }
  .count { font-variant-numeric: tabular-nums; color: var(--secondary-text-color); }
  .row { margin: 10px 0; }
  .label { display: flex; justify-content: space-between; gap: 8px; font-size: 0.95em; }
  .value { font-variant-numeric: tabular-nums; white-space: nowrap; }
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
  .warnings li.good { color: var(--success-color, #43a047); }
  .warnings li.none { color: var(--secondary-text-color); }
  .missing { color: var(--error-color, #db4437); }
  .statistics { margin-top: 16px; }
  .statistics .label { font-weight: 500; }
  .graphs { display: grid; gap: 8px; margin-top: 8px;
    grid-template-columns: repeat(2, minmax(0, 1fr));
    --ha-card-box-shadow: none; --ha-card-border-width: 0; }
  @container (max-width: 640px) { .graphs { grid-template-columns: minmax(0, 1fr); } }
  [hidden] { display: none !important; }

  /* Large: read from the bench, two metres away. Sizes follow the card's width. */
  ha-card.large .title { font-size: max(1.2em, 4cqi); }
  ha-card.large .chip { font-size: max(1em, 4cqi); padding: 0.2em 0.8em; border-radius: 1em; }
  ha-card.large .hero { margin-top: 0; }
  ha-card.large .reps { font-size: min(36cqi, 14rem); }
  ha-card.large .target { font-size: min(14cqi, 5rem); font-weight: 600; }
  ha-card.large .status { font-size: max(1.2em, 6cqi); }
  ha-card.large .where { font-size: max(1.2em, 7.5cqi); font-weight: 600;
    color: var(--primary-text-color); }
  ha-card.large .rest .label { font-size: max(1em, 5cqi); }
  ha-card.large .rest .value { font-size: min(22cqi, 9rem); line-height: 1; }
  ha-card.large .rest .bar, ha-card.large .hold .bar { height: max(10px, 3cqi);
    border-radius: max(5px, 1.5cqi); }
  ha-card.large .label { font-size: max(0.95em, 4cqi); }
  ha-card.large .warnings li { font-size: max(0.95em, 4cqi); }
`;

const TEMPLATE = `
  <ha-card>
    <div class="header">
      <span class="title" data-el="title"></span>
      <span class="chip" data-el="phase"></span>
    </div>
    <div class="problem" data-el="problem" hidden></div>
    <div class="missing" data-el="missing" hidden></div>
    <div data-el="body" hidden>
      <div class="hero">
        <span class="reps" data-el="reps"></span>
        <span class="target" data-el="target-reps"></span>
      </div>
      <div class="status" data-el="status" hidden></div>
      <div class="where" data-el="where"></div>
      <div class="row rest" data-el="rest" hidden>
        <div class="label"><span data-el="rest-label"></span>
          <span class="value" data-el="rest-value"></span></div>
        <div class="bar"><div class="fill" data-el="rest-fill"></div></div>
      </div>
      <div class="grid" data-el="sets"></div>
      <div class="row hold">
        <div class="label"><span data-el="hold-label"></span>
          <span class="value" data-el="hold-value"></span></div>
        <div class="bar"><div class="fill" data-el="hold-fill"></div></div>
      </div>
      <div class="row lowering">
        <div class="label"><span data-el="lowering-label"></span>
          <span class="value" data-el="lowering-value"></span></div>
      </div>
      <div class="row">
        <div class="label"><span data-el="form-label"></span></div>
        <ul class="warnings" data-el="warnings"></ul>
      </div>
      <div class="row" data-el="imbalance" hidden>
        <div class="label"><span data-el="imbalance-label"></span>
          <span class="value" data-el="imbalance-value"></span></div>
      </div>
      <div class="statistics" data-el="statistics" hidden>
        <div class="label"><span data-el="statistics-label"></span></div>
        <div class="graphs" data-el="graphs"></div>
      </div>
    </div>
  </ha-card>
`;

/** "{name}" placeholders filled from ``values``. */
function fill(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
}

/** Seconds as "1.6 s", or an em dash when unknown. */
function formatSeconds(value) {
  return Number.isFinite(value) ? `${value.toFixed(1)} s` : "—";
}

/** A countdown as "m:ss". */
function formatClock(seconds) {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

function finite(value) {
  const number = typeof value === "number" ? value : Number.parseFloat(value);
  return Number.isFinite(number) ? number : undefined;
}

// --- What the integration tells the card: words and thresholds --------------------------------

/** One ``rep_coach/card_config`` request per language, shared by every card and editor. */
const configRequests = new Map();
const loadedConfigs = new Map();

function loadCardConfig(hass) {
  const language = hass.language || "en";
  if (!configRequests.has(language)) {
    const request = hass
      .callWS({ type: "rep_coach/card_config", language })
      .then((config) => {
        loadedConfigs.set(language, config);
        return config;
      })
      .catch((error) => {
        configRequests.delete(language); // asked again with the next update
        throw error;
      });
    configRequests.set(language, request);
  }
  return configRequests.get(language);
}

/** The words of one language: ``label(key, values)`` and translated form warnings. */
class Texts {
  constructor(config, language) {
    this.language = language;
    this.version = config.version;
    this.thresholds = config.thresholds;
    this._labels = config.labels || {};
    this._warnings = config.warnings || {};
  }

  label(key, values) {
    return fill(this._labels[key] ?? key, values);
  }

  warning(key) {
    return this._warnings[key] ?? key;
  }

  leg(side) {
    return SIDES.includes(side) ? this.label(`leg_${side}`) : "";
  }
}

// --- The Rep Coach devices and entities in ``hass`` -------------------------------------------

/** Rep Coach devices (those with Rep Coach entities), by name. */
function benchDevices(hass) {
  const ids = new Set();
  for (const entry of Object.values(hass.entities || {})) {
    if (entry.platform === PLATFORM && entry.device_id) ids.add(entry.device_id);
  }
  const name = (id) => {
    const device = (hass.devices || {})[id];
    return device?.name_by_user || device?.name || id;
  };
  return [...ids].map((id) => ({ id, name: name(id) })).sort((a, b) => a.name.localeCompare(b.name));
}

/** Entity ids of one device, keyed by translation key. */
function deviceEntities(hass, deviceId) {
  const found = {};
  for (const entry of Object.values(hass.entities || {})) {
    if (entry.platform === PLATFORM && entry.device_id === deviceId && entry.translation_key) {
      found[entry.translation_key] = entry.entity_id;
    }
  }
  return found;
}

// --- The card ---------------------------------------------------------------------------------

class RepCoachCard extends HTMLElement {
  static getConfigElement() {
    return document.createElement(EDITOR_TYPE);
  }

  /** A new card shows the first bench (by name); without a bench, the editor asks for one. */
  static getStubConfig(hass) {
    const [first] = benchDevices(hass);
    return first ? { device_id: first.id } : {};
  }

  static get version() {
    return VERSION;
  }

  constructor() {
    super();
    this._config = undefined;
    this._hass = undefined;
    this._texts = undefined;
    this._loading = undefined; // the language whose words are on their way
    this._timer = undefined;
    this._squeeze = undefined; // the squeeze this card saw: {startedAt, endedAt, rep}
    this._graphs = []; // the statistics-graph cards shown
    this._graphsFor = undefined; // the configurations they were made for (JSON)
    this.attachShadow({ mode: "open" });
    this.shadowRoot.innerHTML = `<style>${STYLE}</style>${TEMPLATE}`;
    this._el = {};
    for (const node of this.shadowRoot.querySelectorAll("[data-el]")) {
      this._el[node.dataset.el] = node;
    }
  }

  setConfig(config) {
    if (!config || typeof config !== "object") {
      throw new Error("rep-coach-card: the configuration must be a mapping");
    }
    if (config.layout !== undefined && !LAYOUTS.includes(config.layout)) {
      throw new Error(`rep-coach-card: layout must be one of ${LAYOUTS.join(", ")}`);
    }
    if (config.statistics !== undefined && typeof config.statistics !== "boolean") {
      throw new Error("rep-coach-card: statistics must be true or false");
    }
    this._config = { ...config };
    this._squeeze = undefined;
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
    if (!this._large()) return 8;
    return this._statistics() ? 20 : 12;
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

  _large() {
    return this._config?.layout === "large";
  }

  /** The last 4 weeks: in the large layout unless turned off, never in the compact one. */
  _statistics() {
    return this._large() && this._config.statistics !== false;
  }

  _loadTexts() {
    const language = this._hass.language || "en";
    if (this._texts?.language === language) return;
    const loaded = loadedConfigs.get(language);
    if (loaded) {
      this._texts = new Texts(loaded, language);
      return;
    }
    if (this._loading === language || typeof this._hass.callWS !== "function") return;
    this._loading = language;
    loadCardConfig(this._hass)
      .catch((error) => console.error("rep-coach-card: no configuration from Rep Coach", error))
      .finally(() => {
        this._loading = undefined;
        this._render();
      });
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
    return finite(this._state(key));
  }

  _isOn(key) {
    return this._state(key) === "on";
  }

  /** A state (or another value of that entity) as Home Assistant displays it, translated. */
  _display(key, value) {
    const stateObj = this._stateObj(key);
    if (stateObj && typeof this._hass.formatEntityState === "function") {
      return this._hass.formatEntityState(stateObj, value);
    }
    return value ?? stateObj?.state ?? "";
  }

  /** An event entity's last event: its attributes and when it happened (ms). */
  _lastEvent(key) {
    const stateObj = this._stateObj(key);
    const at = Date.parse(stateObj?.state);
    return Number.isFinite(at) ? { ...stateObj.attributes, at } : undefined;
  }

  _render() {
    if (!this._config || !this._hass) return;
    this._loadTexts();
    const texts = this._texts;
    if (!texts) return; // the words arrive with the card configuration
    this.shadowRoot.querySelector("ha-card").classList.toggle("large", this._large());
    const deviceId = this._config.device_id;
    this._ids = deviceId ? deviceEntities(this._hass, deviceId) : {};
    const device = deviceId ? (this._hass.devices || {})[deviceId] : undefined;
    this._el.title.textContent =
      this._config.title || device?.name_by_user || device?.name || "Rep Coach";
    const missing = this._ids.reps_this_set === undefined;
    this._el.missing.hidden = !missing;
    this._el.body.hidden = missing;
    if (missing) {
      this._el.missing.textContent = deviceId
        ? texts.label("no_entities", { device: deviceId })
        : texts.label("choose_bench");
      this._el.phase.textContent = "";
      this._el.problem.hidden = true;
      this._stopTimer();
      return;
    }
    this._renderStatus(texts);
    this._renderReps(texts);
    this._renderSets(texts);
    this._renderLowering(texts);
    this._renderForm(texts);
    this._renderImbalance(texts);
    this._renderStatistics(texts);
    this._renderLive();
    if (this._isOn("holding") || this._restEndsAt() !== undefined) {
      this._startTimer();
    } else {
      this._stopTimer();
    }
  }

  _renderStatus(texts) {
    const phase = this._state("phase");
    this._el.phase.textContent = phase ? this._display("phase", phase) : "—";
    this._el.phase.classList.toggle("active", this._isOn("in_set"));
    this._el.problem.textContent = texts.label("sensor_problem");
    this._el.problem.hidden = !this._isOn("sensor_problem");
  }

  /** The set that just ended, shown through the rest instead of the next set's 0. */
  _completedSet() {
    if (this._isOn("in_set")) return undefined;
    const set = this._lastEvent("set");
    if (!set) return undefined;
    if (this._isOn("resting")) return set;
    const rest = this._lastEvent("rest");
    const restOver = rest !== undefined && rest.at >= set.at;
    return !restOver && !this._number("rest_duration") ? set : undefined;
  }

  _renderReps(texts) {
    const completed = this._completedSet();
    const targetSets = this._number("target_sets");
    let reps = this._number("reps_this_set");
    let target = this._number("target_reps");
    let side = this._state("current_side");
    let setNumber = this._number("set_number");
    let status;
    if (completed) {
      reps = finite(completed.reps);
      target = finite(completed.target_reps) ?? target;
      side = completed.side;
      setNumber = finite(completed.set);
      status = texts.label("set_complete");
    } else if (this._isOn("in_set") && target && reps >= target) {
      status = texts.label("target_reached");
    }
    this._el.reps.textContent = reps === undefined ? "—" : String(Math.round(reps));
    this._el["target-reps"].textContent = target ? `/ ${Math.round(target)}` : "";
    this._el.status.textContent = status || "";
    this._el.status.hidden = !status;
    const parts = [];
    if (side) parts.push(texts.leg(side));
    if (setNumber) {
      parts.push(this._setLabel(texts, setNumber, targetSets));
    }
    this._el.where.textContent = parts.join(" · ");
  }

  /** The set number against the planned sets; a set past the plan says so (not 4 of 3). */
  _setLabel(texts, setNumber, targetSets) {
    if (!targetSets) return texts.label("set", { set: setNumber });
    const key = setNumber > targetSets ? "set_extra" : "set_of";
    return texts.label(key, { set: setNumber, sets: Math.round(targetSets) });
  }

  _renderSets(texts) {
    const target = Math.round(this._number("target_sets") || 0);
    const side = this._state("current_side");
    const inSet = this._isOn("in_set");
    const setNumber = Math.round(this._number("set_number") || 0);
    const grid = this._el.sets;
    grid.replaceChildren();
    for (const rowSide of SIDES) {
      const done = Math.round(this._number(`${rowSide}_sets`) || 0);
      const running = inSet && rowSide === side ? setNumber : 0; // a set past the plan too
      const columns = Math.max(target, done, running, 1);
      const label = document.createElement("span");
      label.className = "side";
      label.dataset.side = rowSide;
      label.classList.toggle("current", rowSide === side);
      label.textContent = this._display("current_side", rowSide);
      const cells = document.createElement("div");
      cells.className = "cells";
      for (let index = 1; index <= columns; index += 1) {
        const cell = document.createElement("span");
        cell.className = "cell";
        cell.classList.toggle("done", index <= done);
        cell.classList.toggle("current", inSet && rowSide === side && index === setNumber);
        cell.title = `${texts.leg(rowSide)} · ${texts.label("set", { set: index })}`;
        cells.append(cell);
      }
      const count = document.createElement("span");
      count.className = "count";
      count.dataset.side = rowSide;
      count.textContent = target ? `${done}/${target}` : String(done);
      grid.append(label, cells, count);
    }
  }

  /** The last rep attempt (counted or partial) of this session, from the Rep event entity. */
  _lastRep() {
    const rep = this._lastEvent("rep");
    if (!rep || this._number("total_reps") === 0) return undefined; // a reset session: none yet

    return {
      at: rep.at,
      number: finite(rep.rep),
      partial: rep.event_type === "partial",
      hold: finite(rep.hold_s),
      lowering: finite(rep.lowering_s ?? rep.eccentric_s),
      warnings: Array.isArray(rep.warnings) ? rep.warnings : [],
    };
  }

  /** ok/bad against the engine's own threshold (a fraction of the target). */
  _judge(element, value, target, ratio) {
    const judged = value !== undefined && target !== undefined && ratio !== undefined;
    element.classList.toggle("ok", judged && value >= ratio * target);
    element.classList.toggle("bad", judged && value < ratio * target);
  }

  _renderLowering(texts) {
    const last = this._lastRep();
    const target = this._number("lowering_target");
    const seconds = last && !last.partial ? last.lowering : undefined;
    this._el["lowering-label"].textContent =
      seconds !== undefined && last.number
        ? texts.label("lowering_rep", { rep: last.number })
        : texts.label("lowering");
    const element = this._el["lowering-value"];
    element.textContent =
      seconds === undefined ? "—" : `${formatSeconds(seconds)} / ${formatSeconds(target)}`;
    this._judge(element, seconds, target, texts.thresholds.lowering_fast_ratio);
  }

  _renderForm(texts) {
    const last = this._lastRep();
    const list = this._el.warnings;
    list.replaceChildren();
    const item = (text, className) => {
      const node = document.createElement("li");
      node.textContent = text;
      if (className) node.className = className;
      list.append(node);
      return node;
    };
    if (!last) {
      this._el["form-label"].textContent = texts.label("form");
      item(texts.label("no_reps_yet"), "none");
      return;
    }
    this._el["form-label"].textContent = last.partial
      ? texts.label("form_partial")
      : texts.label("form_rep", { rep: last.number });
    for (const warning of last.warnings) {
      item(texts.warning(warning)).dataset.warning = warning;
    }
    if (last.warnings.length === 0) item(texts.label("good_form"), "good");
  }

  _renderImbalance(texts) {
    const pct = this._number("imbalance");
    this._el.imbalance.hidden = pct === undefined;
    if (pct === undefined) return;
    this._el["imbalance-label"].textContent = texts.label("imbalance");
    const rounded = Math.round(Math.abs(pct));
    // The engine's sign: positive when the left side did more, so the right is weaker.
    const weaker = pct > 0 ? "right" : "left";
    const element = this._el["imbalance-value"];
    element.textContent =
      rounded === 0
        ? texts.label("imbalance_even")
        : texts.label("imbalance_weaker", { leg: texts.leg(weaker), pct: rounded });
    // Warning colour from the engine's own limit; below it, a plain figure.
    element.classList.toggle("bad", Math.abs(pct) >= texts.thresholds.imbalance_pct);
  }

  /** The statistics-graph cards for this bench: one per figure, left and right leg each. */
  _graphConfigs(texts) {
    const configs = [];
    for (const graph of STATISTICS_GRAPHS) {
      const entities = [];
      graph.keys.forEach((key, index) => {
        const entity = this._ids[key];
        if (entity) entities.push({ entity, name: texts.leg(SIDES[index]) });
      });
      if (entities.length === 0) continue;
      configs.push({
        type: "statistics-graph",
        title: texts.label(graph.label),
        entities,
        period: "week",
        days_to_show: STATISTICS_DAYS,
        stat_types: [graph.stat],
        chart_type: graph.chart,
      });
    }
    return configs;
  }

  /** The last 4 weeks per side; the graphs are made once per configuration and get every
   * ``hass`` update. */
  _renderStatistics(texts) {
    const configs = this._statistics() ? this._graphConfigs(texts) : [];
    const wanted = JSON.stringify(configs);
    if (wanted !== this._graphsFor) {
      this._graphsFor = wanted;
      this._graphs = [];
      this._el.graphs.replaceChildren();
      if (configs.length) this._makeGraphs(wanted, configs);
    }
    this._el["statistics-label"].textContent = texts.label("statistics");
    this._el.statistics.hidden = this._graphs.length === 0;
    for (const graph of this._graphs) graph.hass = this._hass;
  }

  /** Home Assistant's statistics-graph cards; none (and no section) where the frontend has
   * no card helpers or no such card (it answers an unknown type with an error card). */
  async _makeGraphs(wanted, configs) {
    let made;
    try {
      if (typeof window.loadCardHelpers !== "function") return;
      const helpers = await window.loadCardHelpers();
      made = configs.map((config) => helpers.createCardElement(config));
    } catch (error) {
      console.warn("rep-coach-card: no statistics graphs", error);
      return;
    }
    if (wanted !== this._graphsFor) return; // the configuration changed meanwhile
    this._graphs = made.filter((graph) => graph && graph.localName !== "hui-error-card");
    for (const graph of this._graphs) {
      // A lazily loaded card is upgraded later, or asks to be made again if that failed.
      graph.addEventListener("ll-upgrade", (event) => {
        event.stopPropagation();
        graph.hass = this._hass;
      });
      graph.addEventListener("ll-rebuild", (event) => {
        event.stopPropagation();
        this._graphsFor = undefined;
        this._render();
      });
    }
    this._el.graphs.replaceChildren(...this._graphs);
    this._render();
  }

  _restEndsAt() {
    const ends = Date.parse(this._state("rest_ends_at"));
    return Number.isFinite(ends) && ends > Date.now() ? ends : undefined;
  }

  /**
   * The squeeze to show: live while holding; this rep's (as the card saw it) while lowering,
   * until the rep is counted; then the counted rep's.
   */
  _squeezeShown(now) {
    const holding = this._stateObj("holding");
    const last = this._lastRep();
    const changed = Date.parse(holding?.last_changed);
    if (holding?.state === "on" && Number.isFinite(changed)) {
      if (this._squeeze?.startedAt !== changed) {
        const reps = this._number("reps_this_set") || 0;
        this._squeeze = { startedAt: changed, endedAt: undefined, rep: reps + 1 };
      }
      return { rep: this._squeeze.rep, seconds: Math.max(0, (now - changed) / 1000), live: true };
    }
    const squeeze = this._squeeze;
    if (squeeze && holding?.state === "off" && Number.isFinite(changed)) {
      if (squeeze.endedAt === undefined && changed >= squeeze.startedAt) squeeze.endedAt = changed;
    }
    const seen = squeeze?.endedAt !== undefined;
    const seconds = seen ? (squeeze.endedAt - squeeze.startedAt) / 1000 : undefined;
    if (seen && !(last && last.at >= squeeze.endedAt)) return { rep: squeeze.rep, seconds };
    if (last && !last.partial) return { rep: last.number, seconds: last.hold };
    // After a partial rep: the squeeze it had, without a rep number (it was not counted).
    return { rep: undefined, seconds: last?.partial ? seconds : undefined };
  }

  /** The parts that move with the clock: the squeeze and the rest countdown. */
  _renderLive() {
    const texts = this._texts;
    const now = Date.now();
    const target = this._number("hold_target");
    const { rep, seconds, live } = this._squeezeShown(now);
    const ratio = seconds !== undefined && target ? Math.min(seconds / target, 1) : 0;
    this._el["hold-label"].textContent = rep
      ? texts.label("squeeze_rep", { rep })
      : texts.label("squeeze");
    const value = this._el["hold-value"];
    value.textContent = `${formatSeconds(seconds)} / ${formatSeconds(target)}`;
    if (live) {
      value.classList.remove("ok", "bad");
    } else {
      this._judge(value, seconds, target, texts.thresholds.hold_short_ratio);
    }
    this._el["hold-fill"].style.width = `${(ratio * 100).toFixed(1)}%`;
    this._el["hold-fill"].classList.toggle("reached", ratio >= 1);

    const ends = this._restEndsAt();
    this._el.rest.hidden = ends === undefined;
    if (ends !== undefined) {
      const left = (ends - now) / 1000;
      const duration = this._number("rest_duration");
      const side = this._state("current_side");
      const setNumber = this._number("set_number");
      this._el["rest-label"].textContent =
        side && setNumber
          ? texts.label("rest_next", { leg: texts.leg(side), set: setNumber })
          : texts.label("rest");
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

// --- The visual editor ------------------------------------------------------------------------

/** Home Assistant's form element; loaded with a built-in card's editor when not yet there. */
async function haForm() {
  if (!customElements.get("ha-form") && typeof window.loadCardHelpers === "function") {
    const helpers = await window.loadCardHelpers();
    const tile = await helpers.createCardElement({ type: "tile", entity: "sun.sun" });
    await tile.constructor.getConfigElement?.();
  }
  await customElements.whenDefined("ha-form");
}

class RepCoachCardEditor extends HTMLElement {
  constructor() {
    super();
    this._config = {};
    this._hass = undefined;
    this._texts = undefined;
    this._form = undefined;
    this._ready = undefined; // the words and Home Assistant's form, once
    this.attachShadow({ mode: "open" });
  }

  setConfig(config) {
    this._config = { ...config };
    this._render();
  }

  set hass(hass) {
    this._hass = hass;
    this._render();
  }

  _prepare() {
    this._ready ??= Promise.all([loadCardConfig(this._hass), haForm()]).then(([config]) => {
      this._texts = new Texts(config, this._hass.language || "en");
      this._form = document.createElement("ha-form");
      this._form.addEventListener("value-changed", (event) => this._changed(event));
      this.shadowRoot.append(this._form);
    });
    return this._ready;
  }

  async _render() {
    if (!this._hass) return;
    try {
      await this._prepare();
    } catch (error) {
      this._ready = undefined;
      console.error("rep-coach-card: the editor cannot start", error);
      return;
    }
    const texts = this._texts;
    this._form.hass = this._hass;
    const large = this._config.layout === "large";
    this._form.data = { layout: LAYOUTS[0], ...(large && { statistics: true }), ...this._config };
    this._form.schema = [
      {
        name: "device_id",
        required: true,
        selector: { device: { filter: [{ integration: PLATFORM }] } },
      },
      {
        name: "layout",
        selector: {
          select: {
            mode: "dropdown",
            options: LAYOUTS.map((value) => ({ value, label: texts.label(`layout_${value}`) })),
          },
        },
      },
      ...(large ? [{ name: "statistics", selector: { boolean: {} } }] : []),
      { name: "title", selector: { text: {} } },
    ];
    this._form.computeLabel = (schema) => texts.label(`editor_${schema.name}`);
  }

  _changed(event) {
    event.stopPropagation();
    const config = { ...this._config, ...event.detail.value };
    for (const key of ["title", "device_id"]) {
      if (!config[key]) delete config[key];
    }
    if (config.statistics !== false) delete config.statistics; // shown unless turned off
    this._config = config;
    this._render(); // the last 4 weeks are offered with the large layout
    this.dispatchEvent(
      new CustomEvent("config-changed", { detail: { config }, bubbles: true, composed: true }),
    );
  }
}

// --- Registration -----------------------------------------------------------------------------

/** The card picker's entry; its description comes in the user's language once known. */
function pickerEntry() {
  let description = "";
  return {
    type: CARD_TYPE,
    name: "Rep Coach",
    preview: true,
    documentationURL: "https://github.com/rep-coach/rep-coach/blob/main/docs/getting-started.md",
    get description() {
      // The app's hass, or the words a card on this page already loaded.
      const hass = document.querySelector("home-assistant")?.hass;
      const config =
        (hass && loadedConfigs.get(hass.language || "en")) || loadedConfigs.values().next().value;
      if (config) {
        description = config.labels?.card_description ?? description;
      } else if (hass && typeof hass.callWS === "function") {
        loadCardConfig(hass).catch(() => {});
      }
      return description;
    },
  };
}

function defineCard() {
  if (customElements.get(CARD_TYPE)) return;
  customElements.define(CARD_TYPE, RepCoachCard);
  customElements.define(EDITOR_TYPE, RepCoachCardEditor);
  window.customCards = window.customCards || [];
  window.customCards.push(pickerEntry());
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
