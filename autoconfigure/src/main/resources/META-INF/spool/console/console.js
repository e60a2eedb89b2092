// Spool's console: polls /actuator/executors (the list, then each executor) and /actuator/primitives every 2 s and
// draws them. Plain JavaScript, no build step; charts by uPlot (uPlot.iife.min.js, loaded before this file).
//
// Everything the page shows comes from those endpoints' answers; it keeps the last 5 minutes of queue depth, active
// workers and waiters in memory for the sparklines. A field or an executor type it does not know is shown as it is,
// so what newer versions add appears without a change here. The DOM carries stable ids and data- attributes
// (id="pool-io" data-queued=..., id="primitive-inventory" data-owner=... data-waiters=..., #deadlocks data-count=...)
// for scripts and tests that read the page.
(function () {
  "use strict";

  const POLL_MS = 2000;          // between two reads while the app answers
  const RETRY_MS = 2000;         // between two attempts while it does not (restarting, unreachable)
  const HISTORY_MS = 5 * 60 * 1000;
  const FETCH_TIMEOUT_MS = 10000;
  const MAX_WORKERS = 8;         // worker rows shown per pool

  const settings = document.body.dataset;
  const writes = settings.writes === "true";
  const base = basePath();
  const pools = new Map();       // name -> {el, chart, history, last}
  const primitives = new Map();  // name -> {el, chart, history}

  // ---- helpers ---------------------------------------------------------------------------------------------------

  // The management base path, from the page's own URL: everything before the console's path mapping.
  function basePath() {
    let path = location.pathname.replace(/\/+$/, "");
    const self = "/" + (settings.console || "console");
    if (path.endsWith(self)) {
      path = path.slice(0, -self.length);
    }
    return path + "/";
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null) {
        node.setAttribute(k, String(v));
      }
    }
    for (const child of children) {
      if (child !== undefined && child !== null) {
        node.append(child instanceof Node ? child : String(child));
      }
    }
    return node;
  }

  function fill(node, ...children) {
    node.replaceChildren(...children.filter((c) => c !== undefined && c !== null)
      .map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
  }

  function ms(value) {
    if (value === undefined || value === null || Number.isNaN(value)) {
      return "–";
    }
    if (value >= 60000) {
      return (value / 60000).toFixed(1) + " min";
    }
    if (value >= 1000) {
      return (value / 1000).toFixed(value >= 10000 ? 0 : 1) + " s";
    }
    return (value >= 10 ? value.toFixed(0) : value.toFixed(value >= 1 ? 1 : 2)) + " ms";
  }

  function scalar(value) {
    return value === null || ["string", "number", "boolean"].includes(typeof value);
  }

  function text(value) {
    if (value === null || value === undefined) {
      return "–";
    }
    if (scalar(value)) {
      return String(value);
    }
    const json = JSON.stringify(value);
    return json.length > 160 ? json.slice(0, 157) + "…" : json;
  }

  function facts(entries) {
    const dl = el("dl", {class: "facts"});
    for (const [name, value, field] of entries) {
      dl.append(el("dt", null, name), el("dd", field ? {"data-field": field} : null, value));
    }
    return dl;
  }

  // Fields of an answer this page does not show by name: shown as they are, under "more".
  function others(object, known, card) {
    const rest = Object.entries(object).filter(([k]) => !known.has(k));
    if (rest.length === 0) {
      return null;
    }
    // Redrawn on every read: it stays open if the user opened it.
    const wasOpen = card && card.querySelector("details.more[open]");
    const details = el("details", {class: "more", open: wasOpen ? "" : null}, el("summary", null, "more"));
    details.append(facts(rest.map(([k, v]) => [k, text(v), k])));
    return details;
  }

  // p50 / p99 (or whatever quantiles the server is configured with) of a distribution, over the last minute when the
  // server has that window, else since start.
  function percentiles(summary) {
    if (!summary || typeof summary !== "object") {
      return "–";
    }
    const window = summary.lastMinute || summary;
    const p = window.percentilesMillis || {};
    const keys = Object.keys(p).sort((a, b) => Number(a) - Number(b));
    const pick = keys.filter((k) => k === "0.5" || k === "0.99");
    const shown = (pick.length > 0 ? pick : keys).map((k) => "p" + Math.round(Number(k) * 1000) / 10 + " " + ms(p[k]));
    return shown.length > 0 ? shown.join(" · ") : "–";
  }

  function errorOf(response, body) {
    const error = new Error((body && body.message) || ("HTTP " + response.status));
    error.status = response.status;
    return error;
  }

  async function getJson(path) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
    try {
      const response = await fetch(base + path, {
        headers: {Accept: "application/json"}, cache: "no-store", credentials: "same-origin",
        signal: controller.signal,
      });
      if (!response.ok) {
        throw errorOf(response, null);
      }
      return await response.json();
    } finally {
      clearTimeout(timer);
    }
  }

  // ---- notices and connection state ------------------------------------------------------------------------------

  const notices = new Map();

  function notice(key, message) {
    if (message) {
      notices.set(key, message);
    } else {
      notices.delete(key);
    }
    fill(document.getElementById("notices"),
      ...[...notices].map(([k, m]) => el("p", {class: "notice", "data-notice": k}, m)));
  }

  function refusal(endpoint, error) {
    if (error.status === 404) {
      return "The " + endpoint + " endpoint answered 404: expose it on the web (add " + endpoint
        + " to management.endpoints.web.exposure.include) and keep management.endpoint." + endpoint
        + ".access above none.";
    }
    if (error.status === 401 || error.status === 403) {
      return "The " + endpoint + " endpoint answered " + error.status + ": the console follows the application's "
        + "security rules; sign in as a user allowed to read the actuator.";
    }
    return null;
  }

  function connection(state, detail) {
    const node = document.getElementById("connection");
    node.dataset.state = state;
    node.textContent = state === "live" ? "live" : state === "reconnecting"
      ? "reconnecting… (" + detail + ")" : detail;
  }

  // ---- charts ----------------------------------------------------------------------------------------------------

  function sparkline(container, series) {
    if (typeof uPlot === "undefined") {
      return null;
    }
    const options = {
      width: 300, height: 70, legend: {show: true, live: false}, cursor: {show: false},
      scales: {x: {time: true}, y: {range: (u, min, max) => [0, Math.max(1, max)]}},
      axes: [{show: false}, {size: 36, font: "10px sans-serif", ticks: {show: false}}],
      series: [{}, ...series.map((s) => ({label: s.label, stroke: s.color, width: 1.5, spanGaps: false,
        fill: s.color + "22", points: {show: false}}))],
    };
    return new uPlot(options, [[], ...series.map(() => [])], container);
  }

  function record(history, now, values) {
    history.push([now / 1000, ...values]);
    while (history.length > 0 && now / 1000 - history[0][0] > HISTORY_MS / 1000) {
      history.shift();
    }
  }

  function draw(chart, history, width) {
    if (!chart) {
      return;
    }
    const columns = history.length > 0 ? history[0].map((_, i) => history.map((row) => row[i])) : [[]];
    while (columns.length < chart.series.length) {
      columns.push([]);
    }
    chart.setData(columns);
    if (width && Math.abs(chart.width - width) > 4) {
      chart.setSize({width: width, height: 70});
    }
  }

  // ---- executors -------------------------------------------------------------------------------------------------

  const POOL_FIELDS = new Set(["type", "state", "maxWorkers", "poolSize", "active", "queued", "queueCapacity",
    "completed", "failed", "cancelled", "rejected", "queueWait", "execution", "latency", "workers",
    "timeouts", "hungTasks", "adopted"]);
  const WORKER_FIELDS = new Set(["name", "state", "task", "since", "runningMillis", "hung", "stack"]);

  // RUNNING, SHUTDOWN, BROKEN as the engine says; SATURATED when it runs but takes no more work without waiting:
  // every worker busy and tasks queued, or the queue at 90 % of its capacity (the health's default threshold).
  function poolState(p) {
    if (p.state !== "RUNNING") {
      return p.state || "UNKNOWN";
    }
    const allBusy = typeof p.maxWorkers === "number" && p.active >= p.maxWorkers && p.queued > 0;
    const nearlyFull = typeof p.queueCapacity === "number" && p.queueCapacity > 0
      && p.queued >= 0.9 * p.queueCapacity;
    return allBusy || nearlyFull ? "SATURATED" : "RUNNING";
  }

  function poolCard(name) {
    const chart = el("div", {class: "chart"});
    const card = el("section", {class: "card pool", id: "pool-" + name, "data-pool": name},
      el("h3", null, el("span", {class: "name"}, name), el("span", {class: "type"}), el("span", {class: "state"})),
      el("div", {class: "stats"}), chart, el("div", {class: "workers"}));
    let resize = null;
    if (writes) {
      resize = resizeForm(name);
      card.append(resize);
    }
    document.querySelectorAll("#pools > .quiet").forEach((n) => n.remove());
    document.getElementById("pools").append(card);
    const entry = {el: card, history: [], last: null, throughput: null, chartEl: chart, resize: resize};
    entry.chart = sparkline(chart, [{label: "queued", color: "#d9822b"}, {label: "active", color: "#2b6cd9"}]);
    return entry;
  }

  function resizeForm(name) {
    const workers = el("input", {name: "maxWorkers", placeholder: "maxWorkers", size: 9, autocomplete: "off"});
    const capacity = el("input", {name: "queueCapacity", placeholder: "queueCapacity", size: 11, autocomplete: "off"});
    const message = el("span", {class: "resize-message", role: "status"});
    const form = el("form", {class: "resize", "data-pool": name}, workers, capacity,
      el("button", {type: "submit"}, "resize"), message);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = {};
      if (workers.value.trim() !== "") {
        body.maxWorkers = workers.value.trim();
      }
      if (capacity.value.trim() !== "") {
        body.queueCapacity = capacity.value.trim();
      }
      message.dataset.status = "pending";
      message.textContent = "…";
      try {
        const response = await fetch(base + settings.executors + "/" + encodeURIComponent(name), {
          method: "POST", headers: {"Content-Type": "application/json", Accept: "application/json"},
          body: JSON.stringify(body), credentials: "same-origin",
        });
        let answer = null;
        try {
          answer = await response.json();
        } catch (notJson) {
          answer = null;
        }
        message.dataset.status = String(response.status);
        message.textContent = response.ok
          ? "resized: maxWorkers " + answer.maxWorkers + ", queueCapacity " + answer.queueCapacity
          : (answer && answer.message) || ("HTTP " + response.status);
      } catch (failed) {
        message.dataset.status = "error";
        message.textContent = "not sent: " + failed.message;
      }
    });
    return form;
  }

  // Hung first, then busy (longest running first), then the rest; at most MAX_WORKERS rows, hung ones always shown.
  function workerRows(workers) {
    if (!Array.isArray(workers) || workers.length === 0) {
      return el("p", {class: "quiet"}, "no workers");
    }
    const rank = (w) => (w.hung ? 0 : w.state === "BUSY" ? 1 : 2);
    const sorted = [...workers].sort((a, b) => rank(a) - rank(b) || (b.runningMillis || 0) - (a.runningMillis || 0));
    const shown = sorted.filter((w, i) => i < MAX_WORKERS || w.hung);
    const table = el("table", {class: "workers"},
      el("tr", null, el("th", null, "worker"), el("th", null, "state"), el("th", null, "task"),
        el("th", null, "running"), el("th", null, "")));
    if (shown.length < sorted.length) {
      table.append(el("caption", null, shown.length + " of " + sorted.length + " workers, busy first"));
    }
    for (const w of shown) {
      const extra = Object.entries(w).filter(([k, v]) => !WORKER_FIELDS.has(k) && v !== null && v !== undefined)
        .map(([k, v]) => k + " " + text(v)).join(" · ");
      table.append(el("tr", {class: w.hung ? "hung" : (w.state || "").toLowerCase(), "data-worker": w.name,
        "data-state": w.state, "data-hung": String(!!w.hung)},
      el("td", null, w.name), el("td", null, w.state || "–"), el("td", {class: "task"}, w.task || ""),
      el("td", null, w.runningMillis !== undefined && w.runningMillis !== null ? ms(w.runningMillis) : ""),
      el("td", {class: "extra"}, (w.hung ? "HUNG " : "") + extra)));
    }
    return table;
  }

  function renderPool(name, p, now) {
    let entry = pools.get(name);
    if (!entry) {
      entry = poolCard(name);
      pools.set(name, entry);
    }
    const card = entry.el;
    if (entry.resize) {
      // An adopted Boot pool is sized by Boot's own keys: the server refuses to resize it, so no control.
      entry.resize.hidden = p.adopted === true;
    }
    const state = poolState(p);
    const done = (p.completed || 0) + (p.failed || 0);
    // Tasks ended per second between two reads; a counter that went down means the app restarted: start again.
    if (entry.last && done >= entry.last.done && now > entry.last.at) {
      entry.throughput = (done - entry.last.done) * 1000 / (now - entry.last.at);
    } else if (entry.last) {
      entry.throughput = null;
    }
    entry.last = {done: done, at: now};
    record(entry.history, now, [p.queued, p.active]);

    Object.assign(card.dataset, {state: state, engineState: p.state, type: p.type, queued: p.queued,
      active: p.active, rejected: p.rejected, hung: String((p.hungTasks || []).length)});
    card.classList.toggle("bad", state === "BROKEN" || (p.hungTasks || []).length > 0);
    card.classList.toggle("warn", state === "SATURATED");
    fill(card.querySelector(".type"), (p.type || "") + (p.adopted === true ? " · adopted" : ""));
    fill(card.querySelector(".state"), state);

    const hung = (p.hungTasks || []).length;
    fill(card.querySelector(".stats"), facts([
      ["queued", p.queued + (p.queueCapacity !== undefined ? " / " + p.queueCapacity : ""), "queued"],
      ["active", p.active + (p.maxWorkers !== undefined ? " / " + p.maxWorkers : ""), "active"],
      ["throughput", entry.throughput === null ? "–" : entry.throughput.toFixed(1) + " /s", "throughput"],
      ["queue wait", percentiles(p.queueWait), "queueWait"],
      ["latency", percentiles(p.latency), "latency"],
      ["rejected", p.rejected, "rejected"],
      ["completed", p.completed + (p.failed ? " (" + p.failed + " failed)" : ""), "completed"],
      ["hung", hung + (p.timeouts && p.timeouts.runTimeoutMillis ? " (run-timeout "
        + ms(p.timeouts.runTimeoutMillis) + ")" : ""), "hung"],
    ]), others(p, POOL_FIELDS, card));
    fill(card.querySelector(".workers"), workerRows(p.workers));
    draw(entry.chart, entry.history, entry.chartEl.clientWidth);
  }

  async function readExecutors(now) {
    if (!settings.executors) {
      notice("executors", "The executors endpoint is not exposed on the web: add executors to "
        + "management.endpoints.web.exposure.include to see the pools.");
      return;
    }
    let list;
    try {
      list = await getJson(settings.executors);
    } catch (error) {
      const why = refusal("executors", error);
      if (why) {
        notice("executors", why);
        return;
      }
      throw error;
    }
    notice("executors", null);
    const names = Object.keys(list.executors || {});
    // One read of each executor for its workers and percentiles; the list's view where that read fails.
    const details = await Promise.all(names.map((name) => getJson(settings.executors + "/"
      + encodeURIComponent(name)).catch(() => list.executors[name])));
    names.forEach((name, i) => renderPool(name, Object.assign({}, list.executors[name], details[i]), now));
    for (const [name, entry] of pools) {
      if (!names.includes(name)) {
        entry.el.remove();
        pools.delete(name);
      }
    }
    if (names.length === 0) {
      fill(document.getElementById("pools"), el("p", {class: "quiet"}, "no executors"));
    }
  }

  // ---- primitives ------------------------------------------------------------------------------------------------

  const PRIMITIVE_FIELDS = new Set(["kind", "locked", "owner", "ownerId", "holdCount", "heldForMillis",
    "waitingThreads", "acquisitions", "contended", "timeouts", "waitTimes", "backend", "holders", "waiters",
    "occupancyNote", "permits", "initialPermits", "set", "parties", "waiting", "broken", "lock", "signals", "waits",
    "trips", "breaks", "reentrant", "fair", "bounded", "contendedHoldTimes", "failedTries"]);

  function waitersOf(p) {
    return Array.isArray(p.waiters) && p.waiters.length > 0 ? p.waiters : (p.waitingThreads || []);
  }

  // Who holds it: every holder across instances (instance/thread) when the primitive says, else the local owner.
  function ownerOf(p) {
    if (Array.isArray(p.holders) && p.holders.length > 0) {
      return p.holders.join(", ");
    }
    return p.owner || "";
  }

  function kindFacts(p) {
    switch (p.kind) {
      case "lock":
        return [["state", p.locked ? "locked" + (p.holdCount > 1 ? " ×" + p.holdCount : "") : "free", "locked"],
          ["held for", p.heldForMillis !== undefined && p.heldForMillis !== null ? ms(p.heldForMillis) : "–",
            "heldFor"]];
      case "semaphore":
        return [["permits free", p.permits + " / " + p.initialPermits, "permits"]];
      case "event":
        return [["set", String(p.set), "set"]];
      case "barrier":
        return [["waiting", p.waiting + " / " + p.parties, "waiting"], ["broken", String(p.broken), "broken"],
          ["trips", p.trips, "trips"]];
      case "condition":
        return [["lock", p.lock, "lock"], ["signals", p.signals, "signals"]];
      default:
        return [];
    }
  }

  function primitiveCard(name) {
    const chart = el("div", {class: "chart"});
    const card = el("section", {class: "card primitive", id: "primitive-" + name, "data-primitive": name},
      el("h3", null, el("span", {class: "name"}, name), el("span", {class: "type"}), el("span", {class: "state"})),
      el("div", {class: "stats"}), chart);
    document.getElementById("primitives").append(card);
    const entry = {el: card, history: [], chartEl: chart};
    entry.chart = sparkline(chart, [{label: "waiters", color: "#8e44ad"}]);
    return entry;
  }

  function renderPrimitive(name, p, deadlocked, now) {
    let entry = primitives.get(name);
    if (!entry) {
      entry = primitiveCard(name);
      primitives.set(name, entry);
    }
    const card = entry.el;
    const waiters = waitersOf(p);
    const owner = ownerOf(p);
    record(entry.history, now, [waiters.length]);
    Object.assign(card.dataset, {kind: p.kind, owner: owner, waiters: String(waiters.length),
      deadlocked: String(deadlocked), backend: p.backend || "local"});
    card.classList.toggle("bad", deadlocked);
    fill(card.querySelector(".type"), (p.kind || "") + (p.backend && p.backend !== "local" ? " · " + p.backend : ""));
    fill(card.querySelector(".state"), deadlocked ? "DEADLOCKED" : "");
    const contention = p.acquisitions > 0 ? Math.round(100 * p.contended / p.acquisitions) + " % of "
      + p.acquisitions : (p.contended !== undefined ? p.contended + " waits" : "–");
    const rows = kindFacts(p);
    if (p.kind === "lock" || p.kind === "semaphore" || owner) {
      rows.push(["owner", owner || "–", "owner"]);
    }
    rows.push(["waiters", waiters.length > 0 ? waiters.length + ": " + waiters.join(", ") : "0", "waiters"],
      ["wait", percentiles(p.waitTimes), "wait"], ["contended", contention, "contended"],
      ["timeouts", p.timeouts !== undefined ? p.timeouts : "–", "timeouts"]);
    if (p.occupancyNote) {
      rows.push(["note", p.occupancyNote, "occupancyNote"]);
    }
    fill(card.querySelector(".stats"), facts(rows), others(p, PRIMITIVE_FIELDS, card));
    draw(entry.chart, entry.history, entry.chartEl.clientWidth);
  }

  // A deadlock as a ring: each thread points at the lock it waits for, each lock at the thread that holds it.
  function ring(deadlock) {
    const nodes = [];
    for (const wait of deadlock.waits || []) {
      nodes.push({label: wait.thread, kind: "thread"}, {label: wait.lock, kind: "lock"});
    }
    const size = 220;
    const r = 74;
    const c = size / 2;
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    svg.setAttribute("width", size);
    svg.setAttribute("height", size);
    svg.setAttribute("class", "ring");
    const marker = document.createElementNS(ns, "marker");
    Object.entries({id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "7", markerHeight: "7",
      orient: "auto-start-reverse"}).forEach(([k, v]) => marker.setAttribute(k, v));
    const tip = document.createElementNS(ns, "path");
    tip.setAttribute("d", "M 0 0 L 10 5 L 0 10 z");
    tip.setAttribute("fill", "#c0392b");
    marker.append(tip);
    const defs = document.createElementNS(ns, "defs");
    defs.append(marker);
    svg.append(defs);
    const at = (i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / nodes.length;
      return [c + r * Math.cos(a), c + r * Math.sin(a)];
    };
    nodes.forEach((node, i) => {
      const [x1, y1] = at(i);
      const [x2, y2] = at((i + 1) % nodes.length);
      const d = Math.hypot(x2 - x1, y2 - y1) || 1;
      const gap = 22;
      const line = document.createElementNS(ns, "line");
      Object.entries({x1: x1 + (x2 - x1) * gap / d, y1: y1 + (y2 - y1) * gap / d, x2: x2 - (x2 - x1) * gap / d,
        y2: y2 - (y2 - y1) * gap / d, stroke: "#c0392b", "stroke-width": 2, "marker-end": "url(#arrow)"})
        .forEach(([k, v]) => line.setAttribute(k, v));
      svg.append(line);
    });
    nodes.forEach((node, i) => {
      const [x, y] = at(i);
      const shape = document.createElementNS(ns, node.kind === "lock" ? "rect" : "circle");
      if (node.kind === "lock") {
        Object.entries({x: x - 16, y: y - 12, width: 32, height: 24, rx: 4}).forEach(([k, v]) => shape.setAttribute(k, v));
      } else {
        Object.entries({cx: x, cy: y, r: 16}).forEach(([k, v]) => shape.setAttribute(k, v));
      }
      shape.setAttribute("class", "node " + node.kind);
      const label = document.createElementNS(ns, "text");
      Object.entries({x: x, y: y + (y >= c ? 32 : -22), "text-anchor": "middle", class: "label"})
        .forEach(([k, v]) => label.setAttribute(k, v));
      label.textContent = node.label;
      svg.append(shape, label);
    });
    return svg;
  }

  function renderDeadlocks(deadlocks) {
    const section = document.getElementById("deadlocks");
    section.dataset.count = String(deadlocks.length);
    section.classList.toggle("bad", deadlocks.length > 0);
    if (deadlocks.length === 0) {
      fill(section, el("p", {class: "quiet"}, "no deadlocks among Spool's locks"));
      return;
    }
    fill(section, el("h2", null, deadlocks.length === 1 ? "Deadlock" : deadlocks.length + " deadlocks"),
      ...deadlocks.map((d) => el("figure", {class: "deadlock", "data-locks": (d.locks || []).join(",")}, ring(d),
        el("figcaption", null, d.description || ""))));
  }

  async function readPrimitives(now) {
    if (!settings.primitives) {
      notice("primitives", "The primitives endpoint is not exposed on the web: add primitives to "
        + "management.endpoints.web.exposure.include to see the locks and deadlocks.");
      return;
    }
    let answer;
    try {
      answer = await getJson(settings.primitives);
    } catch (error) {
      const why = refusal("primitives", error);
      if (why) {
        notice("primitives", why);
        return;
      }
      throw error;
    }
    notice("primitives", null);
    const deadlocks = Array.isArray(answer.deadlocks) ? answer.deadlocks : [];
    const inCycle = new Set(deadlocks.flatMap((d) => d.locks || []));
    renderDeadlocks(deadlocks);
    const seen = new Set();
    // Every section of the answer that maps names to primitives (locks, semaphores, ... and any a newer version adds).
    for (const [section, members] of Object.entries(answer)) {
      if (section === "deadlocks" || !members || typeof members !== "object" || Array.isArray(members)) {
        continue;
      }
      for (const [name, p] of Object.entries(members)) {
        seen.add(name);
        renderPrimitive(name, Object.assign({kind: section.replace(/s$/, "")}, p), inCycle.has(name), now);
      }
    }
    for (const [name, entry] of primitives) {
      if (!seen.has(name)) {
        entry.el.remove();
        primitives.delete(name);
      }
    }
  }

  // ---- the loop --------------------------------------------------------------------------------------------------

  function gap(now) {
    for (const entry of pools.values()) {
      record(entry.history, now, [null, null]);
      entry.last = null;
      draw(entry.chart, entry.history);
    }
    for (const entry of primitives.values()) {
      record(entry.history, now, [null]);
      draw(entry.chart, entry.history);
    }
  }

  async function tick() {
    const now = Date.now();
    let delay = POLL_MS;
    try {
      await Promise.all([readExecutors(now), readPrimitives(now)]);
      connection("live");
      document.getElementById("updated").textContent = "updated " + new Date(now).toLocaleTimeString();
      document.body.dataset.polls = String(Number(document.body.dataset.polls || 0) + 1);
    } catch (error) {
      // The app is restarting or unreachable: keep trying, and show the gap in the charts.
      connection("reconnecting", error.status ? "HTTP " + error.status : (error.message || "no answer"));
      gap(now);
      delay = RETRY_MS;
    }
    setTimeout(tick, delay);
  }

  tick();
})();
