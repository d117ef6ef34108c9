// newsledger web app: an event table with filters, a timeline, a map, an actor network and
// an event page. Hand-written, no framework, no network access beyond this server.
// Text from documents is only ever inserted with text nodes (textContent), never as HTML.
"use strict";

const PLOVER_TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
const TYPE_COLOURS = {
  AGREE: "#2e7d32", CONSULT: "#1565c0", SUPPORT: "#00897b", CONCEDE: "#7cb342", COOPERATE: "#3949ab",
  AID: "#43a047", RETREAT: "#9e9d24", REQUEST: "#6d4c41", ACCUSE: "#ef6c00", REJECT: "#8e24aa",
  THREATEN: "#d81b60", PROTEST: "#f9a825", SANCTION: "#5e35b1", MOBILIZE: "#546e7a", COERCE: "#c62828",
  ASSAULT: "#b71c1c",
};
const PAGE_SIZE = 50;
const SVG_NS = "http://www.w3.org/2000/svg";
const state = { filters: {}, offset: 0, world: null };

// -- small DOM helpers --------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  children.forEach((child) => node.append(child));
  return node;
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

function setStatus(text, isError) {
  const status = document.getElementById("status");
  status.textContent = text || "";
  status.className = isError ? "error" : "";
}

async function getJSON(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) {
    const message = body && body.error ? `${body.error.code}: ${body.error.message}` : response.statusText;
    throw new Error(message);
  }
  return body;
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== "" && value !== null && value !== undefined) search.set(key, value);
  }
  return search.toString();
}

function participants(event) {
  const source = event.source_names.join(" / ") || "unnamed";
  const target = event.target_names.join(" / ");
  return target ? `${source} → ${target}` : source;
}

function place(event) {
  return [event.place_name, event.place_country].filter(Boolean).join(", ") || "—";
}

// -- overview: filters, table, timeline, map, network ---------------------------------------------

function readFilters() {
  const form = document.getElementById("filters");
  const data = new FormData(form);
  const filters = {};
  for (const [key, value] of data.entries()) if (String(value).trim()) filters[key] = String(value).trim();
  return filters;
}

async function loadOverview() {
  const filters = state.filters;
  setStatus("Loading…");
  try {
    const [page, all, net, points] = await Promise.all([
      getJSON(`/api/events?${query({ ...filters, limit: PAGE_SIZE, offset: state.offset })}`),
      getJSON(`/api/events?${query({ ...filters, limit: 500 })}`),
      getJSON(`/api/network?${query({ ...filters, limit: 80 })}`),
      getJSON(`/api/map?${query({ ...filters, limit: 500 })}`),
    ]);
    renderTable(page);
    renderTimeline(all.items);
    renderNetwork(net);
    await renderMap(points.items);
    setStatus(`${page.total} event(s) match.`);
  } catch (error) {
    setStatus(error.message, true);
  }
}

function renderTable(page) {
  const body = clear(document.querySelector("#events tbody"));
  for (const event of page.items) {
    const open = () => { location.hash = `#/event/${encodeURIComponent(event.id)}`; };
    const row = el("tr", { "data-event": event.id, onclick: open },
      el("td", { text: event.date_value || "undated" }),
      el("td", {}, el("a", { class: "type", href: `#/event/${encodeURIComponent(event.id)}`, text: event.type })),
      el("td", { class: "who", text: participants(event) }),
      el("td", { text: place(event) }),
      el("td", { text: String(event.num_articles) }),
      el("td", { text: event.outlets.join("; ") }),
      el("td", { class: "evidence", text: event.evidence_text }));
    body.append(row);
  }
  if (!page.items.length) body.append(el("tr", {}, el("td", { colspan: "7", text: "No events match." })));
  const last = Math.min(page.offset + page.items.length, page.total);
  document.getElementById("page").textContent = page.total ? `${page.offset + 1}–${last} of ${page.total}` : "";
  document.getElementById("prev").disabled = page.offset === 0;
  document.getElementById("next").disabled = last >= page.total;
}

function renderTimeline(events) {
  const box = clear(document.getElementById("timeline"));
  const counts = new Map();
  for (const event of events) {
    if (!event.date_key) continue;
    const day = event.date_key.slice(0, 10);
    counts.set(day, (counts.get(day) || 0) + 1);
  }
  const days = [...counts.keys()].sort();
  if (!days.length) { box.append(el("p", { text: "No dated events." })); return; }
  const width = 600, height = 180, left = 24, bottom = 28;
  const peak = Math.max(...counts.values());
  const step = (width - left) / days.length;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "events per day" });
  days.forEach((day, index) => {
    const barHeight = (height - bottom - 10) * counts.get(day) / peak;
    const bar = svg("rect", { class: "bar", x: left + index * step + 1, y: height - bottom - barHeight,
      width: Math.max(step - 2, 1), height: barHeight });
    bar.append(svg("title", { text: `${day}: ${counts.get(day)} event(s)` }));
    chart.append(bar);
  });
  chart.append(svg("text", { class: "axis", x: left, y: height - 8, text: days[0] }));
  chart.append(svg("text", { class: "axis", x: width, y: height - 8, "text-anchor": "end", text: days[days.length - 1] }));
  chart.append(svg("text", { class: "axis", x: 0, y: 12, text: String(peak) }));
  box.append(chart);
}

// TopoJSON (world-atlas) to SVG paths with an equirectangular projection.
function decodeArcs(topology) {
  const [sx, sy] = topology.transform.scale;
  const [tx, ty] = topology.transform.translate;
  return topology.arcs.map((arc) => {
    let x = 0, y = 0;
    return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
  });
}

function ringPath(ring, arcs, project) {
  const points = [];
  for (const index of ring) {
    const arc = index < 0 ? arcs[~index].slice().reverse() : arcs[index];
    arc.forEach((point, i) => { if (i > 0 || !points.length) points.push(point); });
  }
  return points.map((p, i) => (i ? "L" : "M") + project(p).map((v) => v.toFixed(1)).join(",")).join("") + "Z";
}

function geometryPath(geometry, arcs, project) {
  const polygons = geometry.type === "Polygon" ? [geometry.arcs] : geometry.type === "MultiPolygon" ? geometry.arcs : [];
  return polygons.map((polygon) => polygon.map((ring) => ringPath(ring, arcs, project)).join("")).join("");
}

async function renderMap(points) {
  const box = clear(document.getElementById("map"));
  if (!state.world) state.world = await getJSON("/static/countries-110m.json");
  const width = 600, height = 300;
  const project = ([lon, lat]) => [(lon + 180) * width / 360, (90 - lat) * height / 180];
  const arcs = decodeArcs(state.world);
  const map = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "map of events" });
  for (const country of state.world.objects.countries.geometries) {
    const path = svg("path", { class: "country", d: geometryPath(country, arcs, project) });
    path.append(svg("title", { text: (country.properties && country.properties.name) || "" }));
    map.append(path);
  }
  for (const point of points) {
    const [x, y] = project([point.lon, point.lat]);
    const dot = svg("circle", { class: "dot", cx: x.toFixed(1), cy: y.toFixed(1), r: 2 + Math.sqrt(point.num_articles) * 1.5,
      "data-event": point.id });
    dot.append(svg("title", { text: `${point.type} ${point.date_value || ""} ${point.place_name || ""}` }));
    dot.addEventListener("click", () => { location.hash = `#/event/${encodeURIComponent(point.id)}`; });
    map.append(dot);
  }
  box.append(map);
}

function renderNetwork(net) {
  const box = clear(document.getElementById("network"));
  if (!net.edges.length) { box.append(el("p", { text: "No events with both a source and a target." })); return; }
  const width = 900, height = 360, cx = width / 2, cy = height / 2, radius = Math.min(cx, cy) - 40;
  const position = new Map();
  net.nodes.forEach((node, index) => {
    const angle = (2 * Math.PI * index) / net.nodes.length - Math.PI / 2;
    position.set(node.name, [cx + radius * 1.6 * Math.cos(angle), cy + radius * Math.sin(angle)]);
  });
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "actor network" });
  const defs = svg("defs");
  for (const type of new Set(net.edges.map((e) => e.type))) {
    const marker = svg("marker", { id: `arrow-${type}`, viewBox: "0 0 10 10", refX: "14", refY: "5",
      markerWidth: "6", markerHeight: "6", orient: "auto-start-reverse" });
    marker.append(svg("path", { d: "M0,0L10,5L0,10z", fill: TYPE_COLOURS[type] || "#555" }));
    defs.append(marker);
  }
  chart.append(defs);
  for (const edge of net.edges) {
    const [x1, y1] = position.get(edge.source), [x2, y2] = position.get(edge.target);
    const mx = (x1 + x2) / 2 + (y2 - y1) * 0.15, my = (y1 + y2) / 2 - (x2 - x1) * 0.15;
    const path = svg("path", { class: "edge", d: `M${x1},${y1}Q${mx},${my} ${x2},${y2}`,
      stroke: TYPE_COLOURS[edge.type] || "#555", "stroke-width": 1 + Math.log2(1 + edge.events),
      "marker-end": `url(#arrow-${edge.type})` });
    path.append(svg("title", { text: `${edge.source} → ${edge.target}: ${edge.type} (${edge.events})` }));
    chart.append(path);
  }
  for (const node of net.nodes) {
    const [x, y] = position.get(node.name);
    const group = svg("g", { class: "node" });
    group.append(svg("circle", { cx: x, cy: y, r: 5 }));
    group.append(svg("text", { x: x + 7, y: y + 3, text: node.country ? `${node.name} (${node.country})` : node.name }));
    chart.append(group);
  }
  const types = [...new Set(net.edges.map((e) => e.type))].sort();
  types.forEach((type, index) => {
    chart.append(svg("rect", { x: 8, y: 8 + index * 14, width: 10, height: 10, fill: TYPE_COLOURS[type] || "#555" }));
    chart.append(svg("text", { class: "axis", x: 22, y: 17 + index * 14, text: type }));
  });
  box.append(chart);
}

// -- the event page ------------------------------------------------------------------------------

function articleWithHighlights(body, highlights) {
  // Text nodes and <mark> elements only: the article is never parsed as HTML.
  const article = el("div", { class: "article" });
  const spans = highlights.filter((h) => h.start !== null && h.end > h.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let cursor = 0;
  for (const span of spans) {
    if (span.start < cursor) continue;
    article.append(document.createTextNode(body.slice(cursor, span.start)));
    article.append(el("mark", { "data-event": span.event_id, text: body.slice(span.start, span.end) }));
    cursor = span.end;
  }
  article.append(document.createTextNode(body.slice(cursor)));
  return article;
}

function fact(list, term, value) {
  list.append(el("dt", { text: term }), el("dd", { text: value }));
}

async function loadEvent(eventId) {
  const title = document.getElementById("event-title");
  const facts = clear(document.getElementById("event-facts"));
  const disagreements = clear(document.getElementById("event-disagreements"));
  const documentsBox = clear(document.getElementById("event-documents"));
  title.textContent = "Loading…";
  let data;
  try {
    data = await getJSON(`/api/events/${encodeURIComponent(eventId)}`);
  } catch (error) {
    title.textContent = error.message;
    return;
  }
  const event = data.event;
  title.textContent = `${event.type}: ${participants(event)}`;
  fact(facts, "Date", event.date_value ? `${event.date_value} (${event.date_precision})` : "undated");
  fact(facts, "Place", place(event));
  fact(facts, "Modality", event.modality);
  if (event.killed !== null) fact(facts, "Killed", String(event.killed));
  if (event.injured !== null) fact(facts, "Injured", String(event.injured));
  fact(facts, "Reported by", `${event.num_articles} article(s), ${event.num_sources} source(s), ${event.num_mentions} mention(s)`);
  fact(facts, "Why merged", event.merges.map((m) => m.why).join(" | ") || "a single mention");
  for (const [field, values] of Object.entries(event.disagreements)) {
    const box = el("div", { class: "disagreement" }, el("strong", { text: `Sources disagree on ${field}: ` }));
    box.append(values.map((v) => `${v.value} (${v.documents.length} document(s))`).join("; "));
    disagreements.append(box);
  }
  for (const doc of data.documents) {
    const quotes = el("ul", { class: "quotes" });
    for (const quote of doc.quotes) {
      const item = el("li", { class: quote.states_event ? "states-event" : null },
        el("span", { class: "speaker", text: quote.speaker || quote.speaker_text || "unattributed" }),
        `“${quote.text}”`);
      if (quote.states_event) item.append(el("span", { class: "tag", text: "states this event" }));
      quotes.append(item);
    }
    if (!doc.quotes.length) quotes.append(el("li", { text: "No quotes in this article." }));
    const heading = doc.url && /^https?:\/\//.test(doc.url)
      ? el("a", { href: doc.url, rel: "noreferrer", text: doc.title || doc.id }) : doc.title || doc.id;
    documentsBox.append(el("article", { class: "source-doc", "data-doc": doc.id },
      el("h3", {}, heading),
      el("p", { class: "meta", text: [doc.outlet, doc.published || "undated"].filter(Boolean).join(" · ") }),
      articleWithHighlights(doc.body || "", doc.highlights),
      el("aside", {}, el("h4", { text: "Quotes" }), quotes)));
  }
}

// -- routing and start-up -------------------------------------------------------------------------

function route() {
  const match = location.hash.match(/^#\/event\/(.+)$/);
  document.getElementById("overview").hidden = Boolean(match);
  document.getElementById("event-page").hidden = !match;
  if (match) loadEvent(decodeURIComponent(match[1]));
  else loadOverview();
}

async function loadSummary() {
  try {
    const summary = await getJSON("/api/summary");
    document.getElementById("summary").textContent =
      `${summary.canonical_events} events (${summary.multi_source_events} reported by several articles) from ` +
      `${summary.stored.documents} documents` +
      (summary.first_date ? `, ${summary.first_date} to ${summary.last_date}` : "");
  } catch (error) {
    document.getElementById("summary").textContent = error.message;
  }
}

function start() {
  const typeSelect = document.getElementById("f-type");
  PLOVER_TYPES.forEach((type) => typeSelect.append(el("option", { value: type, text: type })));
  const form = document.getElementById("filters");
  form.addEventListener("submit", (submit) => {
    submit.preventDefault();
    state.filters = readFilters();
    state.offset = 0;
    if (location.hash && location.hash !== "#/") location.hash = "#/"; else loadOverview();
  });
  form.addEventListener("reset", () => {
    setTimeout(() => { state.filters = {}; state.offset = 0; loadOverview(); }, 0);
  });
  document.getElementById("prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE); loadOverview();
  });
  document.getElementById("next").addEventListener("click", () => { state.offset += PAGE_SIZE; loadOverview(); });
  window.addEventListener("hashchange", route);
  loadSummary();
  route();
}

document.addEventListener("DOMContentLoaded", start);
