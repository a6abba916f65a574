/* r2p dashboard: plain JavaScript and SVG, no libraries, nothing loaded from the network.
   Each page is a function keyed by <body data-page>; all data comes from the JSON API under /api/. */
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const $ = (sel, root) => (root || document).querySelector(sel);
const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k === "style") node.style.cssText = v;  /* CSSOM: allowed by the page's Content-Security-Policy */
    else if (k === "on") for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) node.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

/* Fetch JSON from the API; always resolves to {ok, status, data, message}. */
async function api(path, options) {
  try {
    const res = await fetch(path, Object.assign({ headers: { "Accept": "application/json" } }, options || {}));
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    const message = data && data.error ? data.error : (res.ok ? "" : `HTTP ${res.status}`);
    return { ok: res.ok, status: res.status, data, message };
  } catch (e) {
    return { ok: false, status: 0, data: null, message: "the dashboard server did not answer: " + e };
  }
}

function postJSON(path, body) {
  return api(path, { method: "POST", headers: { "Content-Type": "application/json", "Accept": "application/json" },
                     body: JSON.stringify(body) });
}

function setStatus(node, text, kind) {
  if (!node) return;
  node.textContent = text || "";
  node.className = "status" + (kind ? " " + kind : "");
}

function showFailure(node, res) {
  setStatus(node, res.message, res.status === 503 || res.status === 404 ? "unavailable" : "error");
}

const pct = (p, digits) => (p === null || p === undefined) ? "—" : (100 * p).toFixed(digits === undefined ? 1 : digits) + "%";
const num = (x, digits) => (x === null || x === undefined) ? "—" :
  Number(x).toLocaleString("en-GB", { maximumFractionDigits: digits === undefined ? 1 : digits });
const label = (s) => String(s).replace(/_/g, " ");

/* Colour scales. */
function lerp(a, b, t) { return Math.round(a + (b - a) * t); }
function mix(c1, c2, t) { return `rgb(${lerp(c1[0], c2[0], t)},${lerp(c1[1], c2[1], t)},${lerp(c1[2], c2[2], t)})`; }
const SEQ = [[254, 240, 217], [253, 187, 132], [227, 74, 51], [127, 0, 0]];
function sequential(t) {
  t = Math.max(0, Math.min(1, t));
  const i = Math.min(SEQ.length - 2, Math.floor(t * (SEQ.length - 1)));
  return mix(SEQ[i], SEQ[i + 1], t * (SEQ.length - 1) - i);
}
function diverging(t) {  /* t in [-1, 1]: blue (down) – white – red (up) */
  t = Math.max(-1, Math.min(1, t));
  return t < 0 ? mix([247, 247, 247], [33, 102, 172], -t) : mix([247, 247, 247], [178, 24, 43], t);
}

/* ---------------------------------------------------------------- shared country search */
let countriesPromise = null;
function countryIndex() {
  if (!countriesPromise) countriesPromise = api("/api/countries").then((r) => (r.ok ? r.data : []));
  return countriesPromise;
}

function initSearch() {
  const input = $("#country-search");
  if (!input) return;
  const list = $("#country-options");
  input.addEventListener("focus", async () => {
    if (list.childElementCount) return;
    for (const c of await countryIndex()) list.append(el("option", { value: `${c.name} (${c.iso3})` }));
  }, { once: true });
  const go = async (ev) => {
    const q = input.value.trim();
    if (!q) return;
    const m = q.match(/\(([A-Za-z]{3})\)\s*$/);
    let code = m ? m[1] : null;
    if (!code) {
      const all = await countryIndex();
      const hit = all.find((c) => c.iso3.toLowerCase() === q.toLowerCase() || c.name.toLowerCase() === q.toLowerCase());
      code = hit ? hit.iso3 : (/^[A-Za-z]{3}$/.test(q) ? q : null);
    }
    if (code) { if (ev) ev.preventDefault(); location.href = "/countries/" + encodeURIComponent(code.toUpperCase()); }
  };
  input.form.addEventListener("submit", go);
  input.addEventListener("change", () => { if (/\([A-Z]{3}\)$/.test(input.value)) go(); });
}

/* ---------------------------------------------------------------- charts */

function linearScale(d0, d1, r0, r1) {
  const span = (d1 - d0) || 1;
  const f = (x) => r0 + (x - d0) / span * (r1 - r0);
  return f;
}

function niceTicks(lo, hi, n) {
  const span = hi - lo || 1;
  const step0 = Math.pow(10, Math.floor(Math.log10(span / n)));
  const err = span / n / step0;
  const step = step0 * (err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) out.push(+v.toFixed(10));
  return out;
}

/* Line chart: series = [{name, colour, points: [[x, y], ...]}]. */
function lineChart(node, series, opts) {
  opts = opts || {};
  const W = 560, H = 260, m = { l: opts.yTitle ? 64 : 52, r: 14, t: 12, b: 34 };
  const pts = series.flatMap((s) => s.points).filter((p) => p[1] !== null && p[1] !== undefined);
  node.replaceChildren();
  if (!pts.length) { node.append(el("p", { class: "hint", text: "No data." })); return; }
  const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs);
  const y0 = opts.yMin !== undefined ? opts.yMin : Math.min(0, ...ys), y1 = opts.yMax !== undefined ? opts.yMax : Math.max(...ys) * 1.08 || 1;
  const X = linearScale(x0, x1, m.l, W - m.r), Y = linearScale(y0, y1, H - m.b, m.t);
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": opts.label || "line chart" });
  for (const t of niceTicks(y0, y1, 5)) {
    s.append(svg("line", { class: "grid", x1: m.l, x2: W - m.r, y1: Y(t), y2: Y(t) }));
    s.append(svg("text", { x: m.l - 6, y: Y(t) + 4, "text-anchor": "end" }, opts.yFormat ? opts.yFormat(t) : t));
  }
  /* Years: at most one tick a year; a range below 1 (probabilities): about five ticks. */
  for (const t of niceTicks(x0, x1, x1 - x0 >= 1 ? Math.min(8, x1 - x0) : 5)) {
    s.append(svg("text", { x: X(t), y: H - m.b + 16, "text-anchor": "middle" }, opts.xFormat ? opts.xFormat(t) : t));
  }
  s.append(svg("line", { x1: m.l, x2: W - m.r, y1: H - m.b, y2: H - m.b, stroke: "#999" }));
  if (opts.diagonal) s.append(svg("line", { x1: X(x0), y1: Y(x0), x2: X(Math.min(x1, y1)), y2: Y(Math.min(x1, y1)), stroke: "#aaa", "stroke-dasharray": "4 3" }));
  series.forEach((se) => {
    const good = se.points.filter((p) => p[1] !== null && p[1] !== undefined);
    if (good.length > 1 && !se.dotsOnly) s.append(svg("path", { d: "M" + good.map((p) => `${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join("L"), fill: "none", stroke: se.colour, "stroke-width": 2 }));
    good.forEach((p) => s.append(svg("circle", { cx: X(p[0]), cy: Y(p[1]), r: p[2] ? Math.max(2.5, Math.min(8, Math.sqrt(p[2]) / 2)) : 3, fill: se.colour },
      svg("title", {}, `${se.name}: ${opts.xFormat ? opts.xFormat(p[0]) : p[0]} → ${opts.yFormat ? opts.yFormat(p[1]) : p[1]}${p[2] ? ` (n=${p[2]})` : ""}`))));
  });
  if (series.length > 1 || opts.legend) {
    series.forEach((se, i) => {
      s.append(svg("rect", { x: m.l + 8 + i * 150, y: m.t, width: 12, height: 4, fill: se.colour }));
      s.append(svg("text", { x: m.l + 24 + i * 150, y: m.t + 6 }, se.name));
    });
  }
  if (opts.xTitle) s.append(svg("text", { x: (m.l + W - m.r) / 2, y: H - 4, "text-anchor": "middle" }, opts.xTitle));
  if (opts.yTitle) s.append(svg("text", { x: 12, y: (m.t + H - m.b) / 2, transform: `rotate(-90 12 ${(m.t + H - m.b) / 2})`, "text-anchor": "middle" }, opts.yTitle));
  node.append(s);
}

/* Horizontal bars: items = [{label, value, title}], diverging around 0. */
function barChart(node, items, opts) {
  opts = opts || {};
  node.replaceChildren();
  if (!items.length) { node.append(el("p", { class: "hint", text: opts.empty || "No data." })); return; }
  const longest = Math.max(...items.map((d) => Math.min(46, d.label.length)));
  const W = opts.width || 640, row = 22, m = { l: Math.min(290, 14 + longest * 6.4), r: 60, t: 6, b: 6 };
  const H = m.t + m.b + row * items.length;
  const vals = items.map((d) => d.value);
  const lo = Math.min(0, ...vals), hi = Math.max(0, ...vals);
  const X = linearScale(lo, hi === lo ? lo + 1 : hi, m.l, W - m.r);
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": opts.label || "bar chart" });
  s.append(svg("line", { x1: X(0), x2: X(0), y1: m.t, y2: H - m.b, stroke: "#888" }));
  items.forEach((d, i) => {
    const y = m.t + i * row;
    const x = Math.min(X(0), X(d.value)), w = Math.abs(X(d.value) - X(0));
    s.append(svg("text", { x: m.l - 6, y: y + row * 0.65, "text-anchor": "end" }, d.label.length > 46 ? d.label.slice(0, 45) + "…" : d.label));
    s.append(svg("rect", { x, y: y + 3, width: Math.max(1, w), height: row - 6, fill: d.value >= 0 ? (opts.pos || "#b2182b") : (opts.neg || "#2166ac") },
      svg("title", {}, d.title || `${d.label}: ${d.value}`)));
    s.append(svg("text", { x: d.value >= 0 ? X(d.value) + 4 : X(d.value) - 4, y: y + row * 0.65, "text-anchor": d.value >= 0 ? "start" : "end" }, opts.format ? opts.format(d.value) : d.value));
  });
  node.append(s);
}

/* Grouped vertical bars: groups = [{x, values: [..]}], names = series names. */
function groupedBars(node, groups, names, colours, opts) {
  opts = opts || {};
  node.replaceChildren();
  if (!groups.length) { node.append(el("p", { class: "hint", text: "No data." })); return; }
  const W = 560, H = 260, m = { l: 40, r: 10, t: 24, b: 30 };
  const max = Math.max(1, ...groups.flatMap((g) => g.values));
  const Y = linearScale(0, max, H - m.b, m.t);
  const gw = (W - m.l - m.r) / groups.length, bw = Math.max(1, (gw - 2) / names.length);
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": opts.label || "bar chart" });
  for (const t of niceTicks(0, max, 4)) {
    s.append(svg("line", { class: "grid", x1: m.l, x2: W - m.r, y1: Y(t), y2: Y(t) }));
    s.append(svg("text", { x: m.l - 4, y: Y(t) + 4, "text-anchor": "end" }, t));
  }
  groups.forEach((g, i) => {
    const x0 = m.l + i * gw;
    g.values.forEach((v, j) => s.append(svg("rect", { x: x0 + 1 + j * bw, y: Y(v), width: bw, height: Y(0) - Y(v), fill: colours[j] },
      svg("title", {}, `${g.x} · ${names[j]}: ${v}`))));
    if (groups.length <= 14 || i % Math.ceil(groups.length / 14) === 0) s.append(svg("text", { x: x0 + gw / 2, y: H - m.b + 14, "text-anchor": "middle" }, g.x));
  });
  names.forEach((n, j) => {
    s.append(svg("rect", { x: m.l + j * 120, y: 4, width: 10, height: 10, fill: colours[j] }));
    s.append(svg("text", { x: m.l + 14 + j * 120, y: 13 }, n));
  });
  node.append(s);
}

function table(headers, rows, opts) {
  opts = opts || {};
  return el("table", { class: "data", id: opts.id },
    el("thead", {}, el("tr", {}, headers.map((h, i) => el("th", { class: opts.numeric && opts.numeric[i] ? "num" : null }, h)))),
    el("tbody", {}, rows.map((r) => el("tr", { class: r.className || null }, (r.cells || r).map((c, i) =>
      el("td", { class: opts.numeric && opts.numeric[i] ? "num" : null }, c))))));
}

/* ---------------------------------------------------------------- map page */

function pageMap() {
  const map = $("#world-map"), tip = $("#tooltip"), notice = $("#map-notice");
  const paths = $$(".country", map);
  let current = { view: "top", values: {} };
  const tabTitles = { top: "Top risks", movers: "Biggest movers", surprises: "Surprises", persistent: "Persistent risk" };

  paths.forEach((p) => {
    p.addEventListener("mousemove", (ev) => {
      const iso = p.dataset.iso3, v = iso ? current.values[iso] : undefined;
      const box = map.parentNode.getBoundingClientRect();
      tip.hidden = false;
      tip.textContent = p.dataset.name + (v !== undefined && v !== null ? " — " + formatValue(current, v) : "");
      tip.style.left = (ev.clientX - box.left + 12) + "px";
      tip.style.top = (ev.clientY - box.top + 12) + "px";
    });
    p.addEventListener("mouseleave", () => { tip.hidden = true; });
    p.addEventListener("click", () => { if (p.dataset.iso3) location.href = "/countries/" + p.dataset.iso3; });
  });

  function formatValue(view, v) {
    if (view.view === "top") return pct(v) + " two-year risk";
    if (view.view === "movers") return (v > 0 ? "+" : "") + (100 * v).toFixed(2) + " points";
    if (view.view === "surprises") return "surprise onset in " + v;
    return v + " years in the top 20";
  }

  function colour(view) {
    const vals = Object.values(view.values).filter((v) => v !== null && v !== undefined);
    const max = Math.max(...vals.map((v) => Math.abs(v)), 1e-9);
    const legend = $("#legend");
    legend.replaceChildren();
    paths.forEach((p) => {
      const v = p.dataset.iso3 ? view.values[p.dataset.iso3] : undefined;
      let fill = "#e4e4e4";
      if (v !== undefined && v !== null) {
        if (view.view === "movers") fill = diverging(v / max);
        else if (view.view === "top") fill = sequential(Math.sqrt(v / max));
        else if (view.view === "surprises") fill = "#7f2704";
        else fill = sequential(v / 5);
      }
      p.style.fill = fill;
    });
    if (view.view === "top") {
      for (const t of [0, 0.25, 0.5, 0.75, 1]) legend.append(el("span", {}, el("span", { class: "sw", style: `background:${sequential(Math.sqrt(t))}` }), pct(t * max)));
    } else if (view.view === "movers") {
      for (const t of [-1, -0.5, 0, 0.5, 1]) legend.append(el("span", {}, el("span", { class: "sw", style: `background:${diverging(t)}` }), ((t * max * 100) > 0 ? "+" : "") + (t * max * 100).toFixed(1) + " pts"));
    } else if (view.view === "surprises") {
      legend.append(el("span", {}, el("span", { class: "sw", style: "background:#7f2704" }), "onset the model missed"));
    } else {
      legend.append(el("span", {}, el("span", { class: "sw", style: `background:${sequential(1)}` }), "in the top 20 every year"));
    }
    legend.append(el("span", {}, el("span", { class: "sw", style: "background:#e4e4e4" }), "no value"));
  }

  function renderList(view) {
    const list = $("#ranked-list");
    list.replaceChildren();
    $("#list-title").textContent = tabTitles[view.view] + (view.year ? ` (${view.view === "surprises" ? "backtest" : "base year " + view.year})` : "");
    for (const r of view.items || []) {
      let value = "";
      if (view.view === "top") value = pct(r.risk_2y);
      else if (view.view === "movers") value = (r.change > 0 ? "+" : "") + (100 * r.change).toFixed(2) + " pts";
      else if (view.view === "surprises") value = `${r.year}, rank ${r.rank}`;
      else value = `mean rank ${r.mean_rank}`;
      const li = el("li", { "data-iso3": r.iso3 }, el("a", { href: "/countries/" + r.iso3 }, r.country || r.iso3), el("span", { class: "val" }, value));
      li.addEventListener("mouseenter", () => paths.filter((p) => p.dataset.iso3 === r.iso3).forEach((p) => p.classList.add("hl")));
      li.addEventListener("mouseleave", () => paths.forEach((p) => p.classList.remove("hl")));
      list.append(li);
    }
    if (!(view.items || []).length) list.append(el("li", { class: "hint", text: "No country in this view." }));
  }

  async function load(viewName) {
    $$(".tab").forEach((t) => { const on = t.dataset.view === viewName; t.classList.toggle("active", on); t.setAttribute("aria-selected", on); });
    const year = $("#year").value, model = $("#model").value;
    const q = new URLSearchParams();
    if (year) q.set("year", year);
    if (model) q.set("model", model);
    $("#list-title").textContent = tabTitles[viewName];
    notice.hidden = false;
    notice.textContent = "Loading… (the first forecast for a year can take a little while)";
    const res = await api(`/api/risk/views/${viewName}?${q}`);
    if (!res.ok) {
      notice.textContent = res.message;
      current = { view: viewName, values: {} };
      colour(current);
      $("#ranked-list").replaceChildren();
      return;
    }
    notice.hidden = true;
    current = res.data;
    $("#view-description").textContent = res.data.description + (res.data.horizon && viewName !== "surprises" ? ` — ${res.data.horizon}.` : ".");
    colour(current);
    renderList(current);
    map.dataset.loaded = viewName;
  }

  $$(".tab").forEach((t) => t.addEventListener("click", () => load(t.dataset.view)));
  (async () => {
    const meta = await api("/api/risk");
    if (!meta.ok) { notice.hidden = false; notice.textContent = meta.message + " The map shows country outlines only; click a country for its page."; map.dataset.loaded = "none"; return; }
    const ys = $("#year"), ms = $("#model");
    for (let y = meta.data.last_year; y >= meta.data.first_year; y--) ys.append(el("option", { value: y }, y));
    for (const m of meta.data.models) ms.append(el("option", { value: m, selected: m === meta.data.default_model }, label(m)));
    ys.addEventListener("change", () => load($(".tab.active").dataset.view));
    ms.addEventListener("change", () => load($(".tab.active").dataset.view));
    load("top");
  })();
}

/* ---------------------------------------------------------------- country page */

async function pageCountry() {
  const iso3 = $("#country-name").dataset.iso3;
  loadRisk(iso3);
  loadCouncil(iso3);
  const briefForm = $("#brief-form");
  if (briefForm) briefForm.addEventListener("submit", (ev) => { ev.preventDefault(); prepareBrief(iso3); });
  setupSimulation({ country: iso3 });
}

async function loadRisk(iso3) {
  const status = $("#risk-status");
  const res = await api(`/api/countries/${iso3}/risk`);
  if (!res.ok) { showFailure(status, res); $("#risk-section").dataset.loaded = "error"; return; }
  setStatus(status, "");
  const r = res.data;
  $("#risk-cards").replaceChildren(
    card(`Two-year risk (${r.base_year + 1}–${r.base_year + 2})`, pct(r.risk_2y)),
    card(`One-year risk (${r.base_year + 1})`, pct(r.risk_1y)),
    card("Rank", `${r.rank} of ${r.n_countries}`),
    card("Model", label(r.model)));
  lineChart($("#risk-history"), [{ name: "two-year risk", colour: "#9b1c1c", points: r.history.map((h) => [h.base_year, h.risk_2y]) }],
    { yFormat: (v) => pct(v, 0), label: "risk history", xTitle: "base year" });
  const drivers = r.drivers.slice().sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)).slice(0, 12);
  barChart($("#risk-drivers"), drivers.map((d) => ({ label: d.label, value: d.contribution,
    title: `${d.label} = ${num(d.value, 3)}; contribution ${num(d.contribution, 3)}` })), { format: (v) => num(v, 2), label: "drivers" });
  $("#risk-section").dataset.loaded = "ok";
}

async function prepareBrief(iso3) {
  const status = $("#brief-status"), bar = $("#brief-progress"), button = $("#brief-button");
  button.disabled = true;
  setStatus(status, "Submitting…");
  const res = await postJSON(`/api/countries/${iso3}/brief?draws=${encodeURIComponent($("#brief-draws").value)}`, {});
  if (!res.ok) { showFailure(status, res); button.disabled = false; return; }
  bar.hidden = false;
  let job = res.data;
  while (job.state === "queued" || job.state === "running") {
    bar.value = job.progress;
    setStatus(status, `${job.state === "queued" ? "Waiting" : "Writing"}: ${job.message}`);
    await new Promise((r) => setTimeout(r, 500));
    const poll = await api(`/api/jobs/${job.id}`);
    if (!poll.ok) { showFailure(status, poll); button.disabled = false; return; }
    job = poll.data;
  }
  button.disabled = false;
  bar.value = 1;
  if (job.state !== "done") { setStatus(status, "The brief could not be written: " + job.message, "error"); return; }
  setStatus(status, `Ready (${job.elapsed_s} s).`);
  $("#brief-pdf").href = job.result.links.pdf;
  $("#brief-html").href = job.result.links.html;
  $("#brief-links").hidden = false;
  $("#brief-section").dataset.loaded = "ok";
}

function card(k, v) { return el("div", { class: "card" }, el("div", { class: "k" }, k), el("div", { class: "v" }, v)); }

async function loadCouncil(iso3) {
  const status = $("#council-status");
  const res = await api(`/api/countries/${iso3}/council`);
  if (!res.ok) { showFailure(status, res); $("#council-section").dataset.loaded = "error"; return; }
  setStatus(status, "");
  const o = res.data;
  $("#council-summary").replaceChildren(el("div", { class: "cards" },
    card("Strongest instrument likely to pass", o.strongest_passable ? label(o.strongest_passable) : "none"),
    card("Expected rounds of drafting", num(o.expected_rounds, 1)),
    card("Year", o.year)));
  $("#council-drafts").replaceChildren(el("h3", {}, "Each draft's chances"), table(["Instrument", "Passes", "Vetoed", "Short of nine votes"],
    o.drafts.map((d) => [label(d.instrument), pct(d.p_pass), pct(d.p_veto), pct(d.p_short_of_nine)]), { numeric: [false, true, true, true], id: "drafts-table" }));
  const p5 = o.p5 || [];
  const votes = o.votes.filter((v) => p5.includes(v.member));
  const instruments = [...new Set(votes.map((v) => v.instrument))];
  const rows = instruments.map((ins) => [label(ins), ...p5.map((m) => {
    const v = votes.find((x) => x.instrument === ins && x.member === m);
    return v ? `yes ${pct(v.p_yes, 0)} · no ${pct(v.p_no, 0)}${v.p_veto !== undefined && v.p_veto !== null ? " · veto " + pct(v.p_veto, 0) : ""}` : "—";
  })]);
  $("#council-votes").replaceChildren(el("h3", {}, "The permanent five's likely votes"), table(["Instrument", ...p5], rows, { id: "p5-table" }));
  $("#council-section").dataset.loaded = "ok";
}

/* Simulation: used by the country page and the scenario editor. */
function setupSimulation(target) {
  const form = $("#simulate-form") || $("#compare-form");
  const choices = $("#regime-choices") || $("#compare-choices");
  const status = $("#simulate-status");
  api("/api/regimes").then((res) => {
    if (!res.ok) { choices.textContent = ""; showFailure(status, res); form.querySelector("button").disabled = true; return; }
    choices.replaceChildren(...res.data.regimes.map((r, i) => el("label", { title: r.description || "" },
      el("input", { type: "checkbox", name: "regime", value: r.name, checked: i < 3 }), " " + label(r.name))));
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const regimes = $$("input[name=regime]:checked", form).map((x) => x.value);
    const body = { regimes, draws: Number($("#draws").value), seed: Number($("#seed").value) };
    if (target.country) body.country = target.country;
    if (target.extra) Object.assign(body, target.extra());
    await runSimulation(body);
  });
}

async function runSimulation(body) {
  const status = $("#simulate-status"), bar = $("#simulate-progress"), out = $("#simulate-result");
  const button = $("#simulate-button") || $("#run-button");
  out.replaceChildren();
  button.disabled = true;
  setStatus(status, "Submitting…");
  const res = await postJSON("/api/simulations", body);
  if (!res.ok) { showFailure(status, res); button.disabled = false; return; }
  bar.hidden = false;
  let job = res.data;
  while (job.state === "queued" || job.state === "running") {
    bar.value = job.progress;
    setStatus(status, `${job.state === "queued" ? "Waiting" : "Running"}: ${Math.round(100 * job.progress)}% — ${job.message}`);
    await new Promise((r) => setTimeout(r, 250));
    const poll = await api(`/api/simulations/${job.id}`);
    if (!poll.ok) { showFailure(status, poll); button.disabled = false; return; }
    job = poll.data;
  }
  bar.value = 1;
  button.disabled = false;
  if (job.state !== "done") { setStatus(status, "The simulation failed: " + job.message, "error"); return; }
  setStatus(status, `Done in ${job.elapsed_s} s: ${job.result.draws} draws per regime, seed ${job.result.seed}.`);
  renderComparison(out, job.result);
}

const REGIME_COLOURS = ["#1b4f9c", "#b2182b", "#1a9850", "#e08214", "#762a83", "#35978f", "#8c510a", "#555"];

function renderComparison(out, result) {
  const regimes = result.regimes;
  const metrics = result.metrics;
  const numeric = [false, ...regimes.map(() => true)];
  const fmt = (m, v) => (m.unit === "share" ? pct(v, 0) : num(v, m.unit === "drafts" ? 1 : 0));
  const rows = metrics.map((m) => [m.label + (m.unit && m.unit !== "share" ? ` (${m.unit})` : ""), ...regimes.map((r) => {
    const s = r.summary[m.key];
    if (!s || s.mean === null || s.mean === undefined) return "never";
    let text = fmt(m, s.mean);
    if (m.unit !== "share" && s.p05 !== null && s.p95 !== null && s.p05 !== s.p95) text += ` [${fmt(m, s.p05)}–${fmt(m, s.p95)}]`;
    if (s.share_defined !== null && s.share_defined < 0.999) text += ` (in ${pct(s.share_defined, 0)} of draws)`;
    return text;
  })]);
  rows.push(["Most common highest instrument (authority)", ...regimes.map((r) => r.highest.length ?
    `${label(r.highest[0].highest_instrument)} (${label(r.highest[0].authority_path)}), ${pct(r.highest[0].share, 0)}` : "—")]);
  out.replaceChildren(el("h3", {}, "Regimes side by side"),
    el("p", { class: "hint" }, `${result.scenario}: ${result.draws} draws per regime over ${result.weeks} weeks, seed ${result.seed}. ` +
      "Mean over draws, with the 90% interval (5th–95th percentile) in brackets; legitimacy and coordination are indices from 0 to 1."),
    table(["Measure", ...regimes.map((r) => label(r.name) + (r.custom ? " (edited)" : ""))], rows, { numeric, id: "comparison-table" }));
  const grid = el("div", { class: "compare-grid" });
  for (const m of metrics.filter((x) => x.chart)) {
    const box = el("div", { class: "chart" });
    grid.append(el("div", {}, el("h4", {}, m.label + (m.unit && m.unit !== "share" ? ` (${m.unit})` : "")), box));
    barChart(box, regimes.map((r) => ({ label: label(r.name), value: r.summary[m.key] && r.summary[m.key].mean !== null ? r.summary[m.key].mean : 0 })),
      { format: (v) => fmt(m, v), pos: "#1b4f9c", label: m.label, width: 380 });
  }
  out.append(grid);
  if (result.command) out.append(el("p", { class: "hint" }, "Reproduce the shipped regimes' figures: ", el("code", {}, result.command)));
  out.dataset.loaded = "ok";
}

/* ---------------------------------------------------------------- case timeline */

const INSTRUMENT_COLOURS = {
  statement: "#9e9e9e", fact_finding: "#80b1d3", mediation: "#8dd3c7", targeted_sanctions: "#fdb462",
  arms_embargo: "#f59f3a", icc_referral: "#bc80bd", peacekeeping_mandate: "#4292c6", peace_operation_reinforcement: "#2171b5",
  humanitarian_corridor: "#b3de69", jamming: "#ccebc5", demonstration_of_presence: "#ffed6f", no_fly_zone: "#fb8072",
  safe_haven: "#e7298a", precision_strikes: "#d7301f", full_intervention: "#7f0000", veto: "#000000",
  failed_draft: "#666666", withdrawal: "#c7e9c0", ex_post_validation: "#6a51a3",
};

function pageCase() {
  const data = JSON.parse($("#case-data").textContent);
  const events = data.timeline;
  const node = $("#timeline");
  if (!events.length) { node.append(el("p", { class: "hint", text: "This case has no recorded events." })); return; }
  const actors = [...new Set(events.map((e) => e.actor))];
  const W = 1000, row = 30, m = { l: 150, r: 20, t: 24, b: 36 };
  const H = m.t + m.b + row * actors.length;
  /* Place each event within its month by its day, so events of one busy month spread out. */
  const at = (e) => e.month + (e.date.length >= 10 ? (Number(e.date.slice(8, 10)) - 1) / 31 : 0.5);
  const months = events.map(at);
  const lo = Math.min(0, ...months), hi = Math.max(1, ...months);
  const X = linearScale(lo, hi, m.l, W - m.r);
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "timeline of the international response" });
  actors.forEach((a, i) => {
    const y = m.t + i * row + row / 2;
    s.append(svg("line", { class: "grid", x1: m.l, x2: W - m.r, y1: y, y2: y }));
    s.append(svg("text", { x: m.l - 8, y: y + 4, "text-anchor": "end" }, a.length > 22 ? a.slice(0, 21) + "…" : a));
  });
  for (const t of niceTicks(lo, hi, 10)) {
    s.append(svg("line", { class: "grid", x1: X(t), x2: X(t), y1: m.t, y2: H - m.b }));
    s.append(svg("text", { x: X(t), y: H - m.b + 14, "text-anchor": "middle" }, t));
  }
  s.append(svg("text", { x: (m.l + W - m.r) / 2, y: H - 6, "text-anchor": "middle" }, "months from onset (" + data.onset_date + ")"));
  s.append(svg("line", { x1: X(0), x2: X(0), y1: m.t - 8, y2: H - m.b, stroke: "#9b1c1c", "stroke-dasharray": "3 3" }));
  s.append(svg("text", { x: X(0) + 3, y: m.t - 10, fill: "#9b1c1c" }, "onset"));
  const seen = {};
  const detail = $("#event-detail");
  events.forEach((e, idx) => {
    const key = e.actor + "|" + e.date;
    const k = seen[key] = (seen[key] || 0) + 1;
    const x = X(at(e)) + (k - 1) * 6, y = m.t + actors.indexOf(e.actor) * row + row / 2;
    const colour = INSTRUMENT_COLOURS[e.instrument] || "#444";
    const title = `${e.date} · ${e.actor} · ${label(e.instrument)}${e.vote ? " · vote " + e.vote : ""}${e.uncertain ? " (uncertain)" : ""}\n${e.description}`;
    let mark;
    if (e.vetoed) {
      mark = svg("g", { class: "mark veto", tabindex: 0, "data-index": idx },
        svg("circle", { cx: x, cy: y, r: 8, fill: "#fff", stroke: "#000" }),
        svg("path", { d: `M${x - 5},${y - 5}L${x + 5},${y + 5}M${x + 5},${y - 5}L${x - 5},${y + 5}`, stroke: "#c00", "stroke-width": 2.5 }));
    } else {
      mark = svg("circle", { class: "mark", tabindex: 0, "data-index": idx, cx: x, cy: y, r: 6, fill: colour,
        stroke: e.vote ? "#000" : "#fff", "stroke-width": e.vote ? 2 : 1, "stroke-dasharray": e.uncertain ? "2 2" : null });
    }
    mark.append(svg("title", {}, title));
    const show = () => { detail.textContent = title; };
    mark.addEventListener("mouseenter", show);
    mark.addEventListener("focus", show);
    mark.addEventListener("click", show);
    s.append(mark);
  });
  node.append(s);
  const used = [...new Set(events.map((e) => e.instrument))];
  $("#timeline-legend").replaceChildren(...used.map((i) => el("span", {}, el("span", { class: "sw", style: `background:${INSTRUMENT_COLOURS[i] || "#444"}` }), label(i))));
  node.dataset.loaded = "ok";
}

/* ---------------------------------------------------------------- scenario editor */

function pageScenarios() {
  const pick = $("#regime-pick"), text = $("#regime-yaml"), list = $("#validation"), status = $("#editor-status");
  let timer = null, lastValid = false;

  async function validate() {
    const res = await postJSON("/api/regimes/validate", { yaml: text.value });
    list.replaceChildren();
    if (!res.ok) { list.append(el("li", {}, res.message)); text.classList.add("invalid"); lastValid = false; return; }
    lastValid = res.data.valid;
    text.classList.toggle("invalid", !res.data.valid);
    if (res.data.valid) list.append(el("li", { class: "ok" }, `Valid regime “${res.data.name}”.`));
    for (const e of res.data.errors) list.append(el("li", {}, (e.line ? `line ${e.line}: ` : "") + (e.field ? `${e.field}: ` : "") + e.message));
  }
  text.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(validate, 300); });

  (async () => {
    const res = await api("/api/regimes");
    if (!res.ok) { showFailure(status, res); $("#run-button").disabled = true; return; }
    for (const r of res.data.regimes) pick.append(el("option", { value: r.name }, label(r.name)));
    pick.addEventListener("change", loadRegime);
    await loadRegime();
    const sc = await api("/api/scenarios");
    const sp = $("#scenario-pick");
    sp.append(el("option", { value: "" }, "— country below —"));
    if (sc.ok) for (const s of sc.data.scenarios) sp.append(el("option", { value: s.name, title: s.description || "" }, label(s.name)));
    if (sp.options.length > 1) sp.selectedIndex = 1;
  })();

  async function loadRegime() {
    const res = await api(`/api/regimes/${encodeURIComponent(pick.value)}`);
    if (!res.ok) { showFailure(status, res); return; }
    text.value = res.data.yaml;
    validate();
  }

  setupSimulation({
    extra: () => {
      const body = {};
      const scenario = $("#scenario-pick").value, country = $("#scenario-country").value.trim();
      if (country) body.country = country.toUpperCase(); else if (scenario) body.scenario = scenario;
      if ($("#include-custom").checked) body.custom_regime_yaml = text.value;
      return body;
    },
  });
  void lastValid;
}

/* ---------------------------------------------------------------- track record */

function pageTrack() {
  loadVetoRecord();
  const status = $("#track-status"), sel = $("#model");
  const colours = ["#9b1c1c", "#2456a6", "#1a9850", "#e08214", "#762a83", "#555"];
  const count = (v) => (v === null || v === undefined ? "—" : num(v, 0));
  async function load() {
    setStatus(status, "Loading… (the first backtest of a model can take a few minutes)");
    const q = sel.value ? `?model=${encodeURIComponent(sel.value)}` : "";
    const res = await api(`/api/risk/track-record${q}`);
    if (!res.ok) { showFailure(status, res); $("#track-metrics").dataset.loaded = "error"; return; }
    setStatus(status, "");
    const d = res.data, models = d.models;
    const name = (m) => label(m.model) + (m.model === d.ewp_method ? " (EWP method)" : "");
    const keys = [["auc", "AUC (higher is better)", (v) => num(v, 3)], ["brier", "Brier score (lower is better)", (v) => num(v, 4)],
      ["log_loss", "Log loss (lower is better)", (v) => num(v, 4)], ["n_onsets", "Onsets in the backtest", count],
      ["top10", "Onsets caught in the top 10", count], ["top20", "Onsets caught in the top 20", count],
      ["top30", "Onsets caught in the top 30", count], ["recall_top30", "Share caught in the top 30", (v) => pct(v, 0)]];
    const rows = keys.filter(([k]) => models[0].metrics[k] !== undefined).map(([k, lab, f]) => [lab, ...models.map((m) => f(m.metrics[k]))]);
    $("#track-metrics").replaceChildren(table(["Measure", ...models.map(name)], rows,
      { numeric: [false, ...models.map(() => true)], id: "metrics-table" }));
    const by = models[0].by_year.filter((r) => r.onsets > 0);
    groupedBars($("#track-by-year"), by.map((r) => ({ x: r.year, values: [r.onsets, r.top10 || 0, r.top20 || 0, r.top30 || 0] })),
      ["onsets", "in top 10", "in top 20", "in top 30"], ["#bbb", "#7f0000", "#d7301f", "#fc8d59"], { label: "onsets caught by year" });
    const series = models.map((m, i) => ({ name: name(m), colour: colours[i % colours.length],
      points: m.reliability.map((b) => [b.predicted, b.observed, b.n]) }));
    const top = Math.max(0.02, ...series.flatMap((s) => s.points.flatMap((p) => [p[0], p[1]])));
    lineChart($("#track-reliability"), series, { yMin: 0, yMax: top * 1.05, diagonal: true, xFormat: (v) => pct(v, 1), yFormat: (v) => pct(v, 1),
      xTitle: "predicted two-year risk", yTitle: "observed onset rate", label: "reliability diagram", legend: true });
    $("#track-metrics").dataset.loaded = "ok";
  }
  (async () => {
    const meta = await api("/api/risk");
    if (!meta.ok) { showFailure(status, meta); $("#track-metrics").dataset.loaded = "error"; return; }
    for (const m of meta.data.models) sel.append(el("option", { value: m, selected: m === meta.data.default_model }, label(m)));
    sel.addEventListener("change", load);
    load();
  })();
}

/* The Council veto model's backtest. The page's own ?train_until= (default: the server's, 2010) picks
   the first training window, so a link can show a shorter, faster one. */
async function loadVetoRecord() {
  const status = $("#veto-status"), section = $("#veto-section");
  const asked = new URLSearchParams(location.search).get("train_until");
  setStatus(status, "Loading… (the first run computes the backtest, about a minute)");
  const res = await api("/api/council/track-record" + (asked !== null ? `?train_until=${encodeURIComponent(asked)}` : ""));
  if (!res.ok) { showFailure(status, res); section.dataset.loaded = "error"; return; }
  setStatus(status, "");
  const d = res.data, m = d.metrics;
  $$(".veto-train-until").forEach((n) => { n.textContent = d.train_until; });
  $$(".veto-first-year").forEach((n) => { n.textContent = d.first_year; });
  $$(".veto-last-year").forEach((n) => { n.textContent = d.last_year; });
  $("#veto-goal").textContent = `The goal set for the model, a Brier skill of ${d.skill_goal.toFixed(2)} over the base rate, was ` +
    (d.skill_goal_met ? "met" : "not met") + `: its skill is ${num(m.brier_skill_vs_base_rate, 3)}.`;
  const count = (v) => (v === null || v === undefined ? "—" : num(v, 0));
  $("#veto-cards").replaceChildren(el("div", { class: "cards" },
    card("Drafts scored", count(m.drafts)), card("P5 votes", count(m.p5_votes)), card("Vetoes", count(m.vetoes)),
    card(`Brier skill vs base rate (goal ${d.skill_goal.toFixed(2)})`, num(m.brier_skill_vs_base_rate, 3))));
  const keys = [["brier", "Brier score (lower is better)", (v) => num(v, 5)],
    ["skill_vs_base_rate", "Brier skill vs base rate (higher is better)", (v) => num(v, 3)],
    ["log_loss", "Log loss, nats (lower is better)", (v) => num(v, 4)], ["auc", "AUC (higher is better)", (v) => num(v, 3)]];
  $("#veto-metrics").replaceChildren(table(["Measure", ...d.scores.map((s) => s.label)],
    keys.map(([k, lab, f]) => [lab, ...d.scores.map((s) => f(s[k]))]),
    { numeric: [false, ...d.scores.map(() => true)], id: "veto-metrics-table" }));
  const members = d.by_member;
  const total = (k) => members.reduce((a, r) => a + r[k], 0);
  $("#veto-members").replaceChildren(table(["Member", "P5 votes", "Expected vetoes", "Observed vetoes"],
    [...members.map((r) => [r.member, count(r.p5_votes), num(r.expected_vetoes, 1), count(r.observed_vetoes)]),
      { className: "total", cells: ["All five", count(total("p5_votes")), num(total("expected_vetoes"), 1), count(total("observed_vetoes"))] }],
    { numeric: [false, true, true, true], id: "veto-members-table" }));
  groupedBars($("#veto-members-chart"), members.map((r) => ({ x: r.member, values: [+r.expected_vetoes.toFixed(1), r.observed_vetoes] })),
    ["expected", "observed"], ["#9db4d8", "#9b1c1c"], { label: "expected and observed vetoes by member" });
  const points = d.reliability.map((b) => [b.predicted, b.observed, b.n]);
  const top = Math.max(0.02, ...points.flatMap((p) => [p[0], p[1]]));
  lineChart($("#veto-reliability"), [{ name: "veto model", colour: "#9b1c1c", points }],
    { yMin: 0, yMax: top * 1.05, diagonal: true, xFormat: (v) => pct(v, 1), yFormat: (v) => pct(v, 1),
      xTitle: "predicted veto probability", yTitle: "observed veto rate", label: "veto reliability diagram" });
  $("#veto-periods").replaceChildren(table(["Period", "Drafts", "P5 votes", "Vetoes", "Expected vetoes",
    "Skill vs base rate: model", "Skill vs base rate: repeat veto"],
    d.by_period.map((r) => [r.period, count(r.drafts), count(r.p5_votes), count(r.vetoes), num(r.expected_vetoes, 1),
      num(r.skill_vs_base_rate, 2), num(r.repeat_veto_skill_vs_base_rate, 2)]),
    { numeric: [false, true, true, true, true, true, true], id: "veto-periods-table" }));
  section.dataset.loaded = "ok";
}

/* ---------------------------------------------------------------- countries list */

function pageCountries() {
  const input = $("#country-filter");
  const params = new URLSearchParams(location.search);
  if (params.get("q")) input.value = params.get("q");
  const apply = () => {
    const q = input.value.trim().toLowerCase();
    $$("#country-table tbody tr").forEach((tr) => { tr.hidden = q && !tr.dataset.q.includes(q); });
  };
  input.addEventListener("input", apply);
  apply();
}

const PAGES = { map: pageMap, country: pageCountry, case: pageCase, scenarios: pageScenarios, track: pageTrack, countries: pageCountries };

document.addEventListener("DOMContentLoaded", () => {
  initSearch();
  const fn = PAGES[document.body.dataset.page];
  if (fn) fn();
});
