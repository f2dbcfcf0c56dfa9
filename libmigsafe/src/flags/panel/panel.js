// The flags panel's page: plain JavaScript, no build step, nothing loaded from elsewhere.
// Every API call carries the token from this tab's sessionStorage as a bearer header;
// every text from the server goes into the page as text (textContent), never as HTML.
"use strict";

const tokenKey = "migsafe.panel.token";
const nameKey = "migsafe.panel.name";
const envKey = "migsafe.panel.env";

const state = {
  env: sessionStorage.getItem(envKey) || "",
  flags: [],       // the flags as /api/flags last returned them
  change: null,    // the change the dialog is asking a reason for
};

const $ = (id) => document.getElementById(id);

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || "";
    this.hint = error.hint || "";
  }
}

async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(tokenKey) || ""}` };
  const init = { method, headers, cache: "no-store", credentials: "omit" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  let json = null;
  try {
    json = await response.json();
  } catch (_) {
    json = null;
  }
  if (response.status === 401) {
    showLogin("The token was refused: log in again.");
    throw new ApiError(401, json);
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

function formatTime(text) {
  if (!text) return "";
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toLocaleString();
}

function since(text, now) {
  if (!text) return "";
  const seconds = Math.max(0, (Date.parse(now) - Date.parse(text)) / 1000);
  const units = [["d", 86400], ["h", 3600], ["min", 60]];
  for (const [unit, size] of units) {
    if (seconds >= size) return `${Math.floor(seconds / size)} ${unit}`;
  }
  return `${Math.floor(seconds)} s`;
}

function envState(flag) {
  return (flag.environments || []).find((e) => e.env === state.env) || null;
}

function describeState(envs) {
  if (!envs || !envs.enabled) return ["off", "state-off"];
  if (envs.fully_on) return ["on", "state-on"];
  if (envs.fully_off) return ["off (0 %)", "state-off"];
  return ["partly on", "state-partial"];
}

function setStatus(text) {
  $("status").textContent = text;
}

// ---- login

function showLogin(message) {
  sessionStorage.removeItem(tokenKey);
  $("app").hidden = true;
  $("env-label").hidden = true;
  $("who").hidden = true;
  $("logout").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = message || "";
  $("login-name").value = sessionStorage.getItem(nameKey) || "panel";
  $("login-token").focus();
}

async function login(event) {
  event.preventDefault();
  sessionStorage.setItem(tokenKey, $("login-token").value.trim());
  sessionStorage.setItem(nameKey, $("login-name").value.trim() || "panel");
  $("login-token").value = "";
  try {
    await loadFlags();
    showApp();
    await loadEvents();
  } catch (error) {
    if (error.status !== 401) $("login-error").textContent = error.message;
  }
}

function showApp() {
  $("login").hidden = true;
  $("app").hidden = false;
  $("env-label").hidden = false;
  $("who").hidden = false;
  $("logout").hidden = false;
  $("who").textContent = `panel:${sessionStorage.getItem(nameKey) || "panel"}`;
}

// ---- flags

async function loadFlags() {
  const query = state.env ? `?env=${encodeURIComponent(state.env)}` : "";
  const data = await api("GET", `/api/flags${query}`);
  state.env = data.env;
  state.flags = data.flags;
  sessionStorage.setItem(envKey, state.env);
  renderEnvironments(data.environments);
  renderFlags(data);
  return data;
}

function renderEnvironments(environments) {
  const select = $("env-select");
  select.replaceChildren(...environments.map((env) => {
    const option = el("option", env);
    option.value = env;
    option.selected = env === state.env;
    return option;
  }));
  $("env-name").textContent = state.env;
  if (!$("eval-env").value) $("eval-env").value = state.env;
}

function renderFlags(data) {
  const stale = new Set(data.stale);
  const body = $("flags").tBodies[0];
  body.replaceChildren();
  const keys = $("flag-keys");
  keys.replaceChildren();
  for (const flag of data.flags) {
    const envs = envState(flag);
    const [label, className] = describeState(envs);
    const row = el("tr");
    row.dataset.key = flag.key;

    const key = el("td", flag.key, "key");
    if (flag.description) key.append(el("small", flag.description));
    row.append(key, el("td", flag.owner), el("td", flag.kind));
    row.append(el("td", label, `state ${className}`));
    row.append(el("td", envs ? `${envs.rollout} %` : "0 %", "rollout"));
    const steady = el("td", "", "steady");
    if (envs && envs.steady_since) {
      const what = envs.fully_on ? "fully on" : "fully off";
      steady.textContent = `${what} since ${formatTime(envs.steady_since)}`;
      steady.title = `${since(envs.steady_since, data.now)}`;
    }
    row.append(steady);
    row.append(el("td", stale.has(flag.key) ? "stale" : "", stale.has(flag.key) ? "stale" : ""));
    row.append(el("td", envs ? envs.version : 0, "version"));

    const actions = el("td", "", "actions");
    const on = envs && envs.enabled;
    const toggle = el("button", on ? "turn off" : "turn on", on ? "act-disable" : "act-enable");
    toggle.type = "button";
    toggle.addEventListener("click", () => openChange(flag, on ? "disable" : "enable"));
    const rollout = el("button", "rollout…", "act-rollout");
    rollout.type = "button";
    rollout.addEventListener("click", () => openChange(flag, "rollout"));
    const kill = el("button", "kill", "act-kill kill");
    kill.type = "button";
    kill.title = "switch it off at once in this environment";
    kill.addEventListener("click", () => openChange(flag, "kill"));
    actions.append(toggle, rollout, kill);
    row.append(actions);
    body.append(row);

    const option = el("option");
    option.value = flag.key;
    keys.append(option);
  }
  $("no-flags").hidden = data.flags.length !== 0;
  $("flags").hidden = data.flags.length === 0;
}

// ---- changes

const titles = {
  enable: "Turn on",
  disable: "Turn off",
  kill: "Kill (off at once)",
  rollout: "Set the rollout",
};

function openChange(flag, action) {
  const envs = envState(flag);
  state.change = { key: flag.key, action, version: envs ? envs.version : 0 };
  $("change-title").textContent = `${titles[action]}: ${flag.key} in ${state.env}`;
  $("change-summary").textContent = envs
    ? `now ${describeState(envs)[0]}, rollout ${envs.rollout} %, version ${envs.version}`
    : "no state in this environment yet (off)";
  $("change-percentage-label").hidden = action !== "rollout";
  $("change-percentage").required = action === "rollout";
  $("change-percentage").value = envs ? envs.rollout : 0;
  $("change-reason").value = "";
  $("change-error").textContent = "";
  $("change-dialog").hidden = false;
  (action === "rollout" ? $("change-percentage") : $("change-reason")).focus();
}

function closeChange() {
  state.change = null;
  $("change-dialog").hidden = true;
}

async function confirmChange(event) {
  event.preventDefault();
  const change = state.change;
  if (!change) return;
  const reason = $("change-reason").value.trim();
  if (!reason) {
    $("change-error").textContent = "A reason is required.";
    return;
  }
  const body = {
    env: state.env,
    reason,
    version: change.version,
    actor: sessionStorage.getItem(nameKey) || "panel",
  };
  if (change.action === "rollout") body.percentage = Number($("change-percentage").value);
  try {
    await api("POST", `/api/flags/${encodeURIComponent(change.key)}/${change.action}`, body);
    closeChange();
    setStatus(`${change.key}: ${change.action} in ${state.env} done`);
    await refresh();
  } catch (error) {
    if (error.status === 401) return;
    if (error.status === 409) {
      // Someone changed the flag meanwhile: show what it is now, keep the reason typed,
      // and let the change be confirmed again against the new version.
      $("change-error").textContent = `${error.message}. The flag was reloaded; ` +
        "check its state and confirm again.";
      await refresh();
      const flag = state.flags.find((f) => f.key === change.key);
      const envs = flag ? envState(flag) : null;
      change.version = envs ? envs.version : 0;
      $("change-summary").textContent = envs
        ? `now ${describeState(envs)[0]}, rollout ${envs.rollout} %, version ${envs.version}`
        : "no state in this environment yet (off)";
      return;
    }
    $("change-error").textContent = error.hint ? `${error.message} (${error.hint})` : error.message;
  }
}

// ---- history

async function loadEvents() {
  const data = await api("GET", "/api/events?limit=50");
  const body = $("events").tBodies[0];
  body.replaceChildren();
  for (const event of data.events) {
    const row = el("tr");
    row.dataset.id = event.id;
    row.append(el("td", formatTime(event.at)), el("td", event.actor), el("td", event.key),
      el("td", event.env), el("td", describeEvent(event)), el("td", event.reason, "reason"));
    body.append(row);
  }
}

function describeEvent(event) {
  const before = event.before || {};
  const after = event.after || {};
  switch (event.action) {
    case "enable":
    case "disable":
      return event.action === "enable" ? "turned on" : "turned off";
    case "rollout":
      return `rollout ${before.rollout ?? "?"} → ${after.rollout ?? "?"} %`;
    default:
      return event.action;
  }
}

// ---- evaluate

async function evaluate(event) {
  event.preventDefault();
  const result = $("eval-result");
  result.textContent = "";
  try {
    const data = await api("POST", "/api/eval", {
      key: $("eval-key").value.trim(),
      user_id: $("eval-user").value,
      env: $("eval-env").value.trim() || state.env,
    });
    const bucket = data.bucket === null ? "" : `, bucket ${data.bucket}`;
    result.textContent = `${data.key} is ${data.enabled ? "ON" : "OFF"} for ` +
      `${data.user_id || "(no user)"} in ${data.env}${bucket}: ${data.reason}`;
  } catch (error) {
    if (error.status !== 401) result.textContent = error.message;
  }
}

// ---- start

async function refresh() {
  await loadFlags();
  await loadEvents();
}

document.addEventListener("DOMContentLoaded", () => {
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", () => showLogin(""));
  $("env-select").addEventListener("change", async (event) => {
    state.env = event.target.value;
    $("eval-env").value = state.env;
    await refresh().catch((error) => setStatus(error.message));
  });
  $("change-form").addEventListener("submit", confirmChange);
  $("change-cancel").addEventListener("click", closeChange);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !$("change-dialog").hidden) closeChange();
  });
  $("eval-form").addEventListener("submit", evaluate);
  if (sessionStorage.getItem(tokenKey)) {
    refresh().then(showApp).catch((error) => {
      if (error.status !== 401) showLogin(error.message);
    });
  } else {
    showLogin("");
  }
});
