// The pages of Freshet's web UI: the list of queries and one query's charts, batches and plan, refreshed every
// second from the JSON API. Charts are Chart.js, served from the jar.
"use strict";

function fmt(n, digits) {
  return n === undefined || n === null ? "" : Number(n).toFixed(digits === undefined ? 1 : digits);
}

function uptime(ms) {
  if (ms === undefined || ms === null) return "";
  const s = Math.floor(ms / 1000);
  return (s >= 3600 ? Math.floor(s / 3600) + "h " : "") + (s >= 60 ? Math.floor(s / 60) % 60 + "m " : "") + s % 60 + "s";
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text === undefined || text === null ? "" : String(text);
  row.appendChild(td);
  return td;
}

async function fetchJson(url) {
  const r = await fetch(url, {cache: "no-store"});
  if (!r.ok) throw new Error(url + ": " + r.status);
  return r.json();
}

function listPage() {
  const body = document.querySelector("#queries tbody");
  async function refresh() {
    try {
      const queries = await fetchJson("api/v1/queries");
      body.replaceChildren();
      for (const q of queries) {
        const tr = document.createElement("tr");
        const name = cell(tr, "");
        const a = document.createElement("a");
        a.href = "query.html?id=" + encodeURIComponent(q.id);
        a.textContent = q.name || "(unnamed)";
        name.appendChild(a);
        [q.id, q.status, uptime(q.uptimeMs), q.totalInputRows, fmt(q.inputRowsPerSecond),
          fmt(q.processedRowsPerSecond), q.latestBatch, q.watermark, q.stateRows, q.stateBytes]
          .forEach(v => cell(tr, v));
        body.appendChild(tr);
      }
      document.getElementById("updated").textContent = "Updated " + new Date().toISOString();
    } catch (e) {
      document.getElementById("updated").textContent = "Cannot reach the engine: " + e.message;
    }
  }
  refresh();
  setInterval(refresh, 1000);
}

function chart(id, type, datasets, options) {
  return new Chart(document.getElementById(id), {
    type: type,
    data: {labels: [], datasets: datasets},
    options: Object.assign({animation: false, responsive: true, interaction: {mode: "index", intersect: false},
      scales: {x: {title: {display: true, text: "batch"}}}}, options || {})
  });
}

function line(label, axis) {
  return {label: label, data: [], yAxisID: axis || "y", pointRadius: 1, borderWidth: 1.5};
}

// Sets a chart's batches and series, and records on its canvas how many points it shows and the last values.
function update(c, labels, series) {
  c.data.labels = labels;
  series.forEach((s, i) => {
    if (!c.data.datasets[i]) c.data.datasets[i] = line(s.label, s.axis);
    c.data.datasets[i].label = s.label;
    c.data.datasets[i].data = s.data;
  });
  c.data.datasets.length = series.length;
  c.update();
  c.canvas.dataset.points = labels.length;
  c.canvas.dataset.last = series.map(s => s.label + "=" + s.data[s.data.length - 1]).join(";");
}

const PHASES = ["latestOffset", "getBatch", "addBatch", "walCommit", "commitOffsets"];

function queryPage() {
  const id = new URLSearchParams(location.search).get("id");
  const charts = {
    rates: chart("rates", "line", []),
    durations: chart("durations", "bar", [], {scales: {x: {stacked: true}, y: {stacked: true}}}),
    watermark: chart("watermark", "line", [], {scales: {x: {}, y: {title: {display: true, text: "lag s"}},
      y1: {position: "right", title: {display: true, text: "watermark"}, grid: {drawOnChartArea: false},
        ticks: {callback: v => new Date(v).toISOString().substring(11, 19)}}}}),
    state: chart("state", "line", [], {scales: {x: {}, y: {title: {display: true, text: "rows"}},
      y1: {position: "right", title: {display: true, text: "bytes"}, grid: {drawOnChartArea: false}}}}),
    late: chart("late", "bar", [])
  };
  async function refresh() {
    let q;
    try {
      q = await fetchJson("api/v1/queries/" + encodeURIComponent(id));
    } catch (e) {
      document.getElementById("error").textContent = "Cannot read the query: " + e.message;
      return;
    }
    document.getElementById("title").textContent = "Query " + (q.name || "(unnamed)");
    document.getElementById("summary").textContent = "id " + q.id + " · " + q.status + " · up " + uptime(q.uptimeMs)
      + " · " + q.totalInputRows + " rows read · latest batch " + (q.latestBatch === undefined ? "none" : q.latestBatch)
      + (q.watermark ? " · watermark " + q.watermark : "");
    document.getElementById("error").textContent = q.exception || "";
    document.getElementById("plan").textContent = q.plan;
    const batches = q.recentProgress || [];
    const labels = batches.map(p => p.batchId);
    update(charts.rates, labels, [
      {label: "input rows/s", data: batches.map(p => p.inputRowsPerSecond)},
      {label: "processed rows/s", data: batches.map(p => p.processedRowsPerSecond)}]);
    const phases = PHASES.map(ph => ({label: ph, data: batches.map(p => p.durationMs[ph] || 0)}));
    phases.push({label: "other", data: batches.map(p => Math.max(0, (p.durationMs.triggerExecution || 0)
      - PHASES.reduce((sum, ph) => sum + (p.durationMs[ph] || 0), 0)))});
    update(charts.durations, labels, phases);
    const wm = batches.map(p => p.eventTime && p.eventTime.watermark ? Date.parse(p.eventTime.watermark) : null);
    update(charts.watermark, labels, [
      {label: "event-time lag s", data: batches.map((p, i) => wm[i] === null ? null
        : (Date.parse(p.timestamp) - wm[i]) / 1000)},
      {label: "watermark", axis: "y1", data: wm}]);
    const ops = batches.length ? batches[batches.length - 1].stateOperators : [];
    const state = [];
    ops.forEach((op, i) => {
      const at = p => p.stateOperators[i] || {};
      state.push({label: i + ":" + op.operatorName + " rows", data: batches.map(p => at(p).numRowsTotal)});
      state.push({label: i + ":" + op.operatorName + " bytes", axis: "y1", data: batches.map(p => at(p).memoryUsedBytes)});
    });
    update(charts.state, labels, state);
    update(charts.late, labels, [{label: "late rows dropped", data: batches.map(p =>
      p.stateOperators.reduce((sum, s) => sum + s.numRowsDroppedByWatermark, 0))}]);
    const body = document.querySelector("#batches tbody");
    body.replaceChildren();
    for (const p of batches.slice().reverse().slice(0, 20)) {
      const tr = document.createElement("tr");
      [p.batchId, p.timestamp, p.numInputRows, p.sink ? p.sink.numOutputRows : "", fmt(p.inputRowsPerSecond),
        fmt(p.processedRowsPerSecond), p.batchDuration, p.eventTime ? p.eventTime.watermark : "",
        p.stateOperators.reduce((sum, s) => sum + s.numRowsTotal, 0)].forEach(v => cell(tr, v));
      body.appendChild(tr);
    }
  }
  refresh();
  setInterval(refresh, 1000);
}
