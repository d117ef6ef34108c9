// newsledger web app: the event table with facets and downloads, a time axis, a map, an actor
// network, and the event page. Every view reads the same filter, kept in the URL's hash
// (#/?type=ASSAULT&sort=date&dir=desc), so a view can be shared and reloaded. The API pages
// and aggregates (/api/view/...): the page never loads every event.
// Vendored: d3 (scales, axis, brush, zoom, geo, force) and topojson-client, licences beside them.
// Text from documents is only ever inserted with text nodes (textContent), never as HTML.
"use strict";

const PLOVER_TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
const COOPERATIVE = new Set(PLOVER_TYPES.slice(0, 8));
const FILTER_KEYS = ["q", "actor", "type", "sector", "country", "participant_country", "admin1", "outlet",
  "since", "until", "bbox", "node"];
const FILTER_NAMES = { q: "text", actor: "actor", type: "type", sector: "sector", country: "place country",
  participant_country: "participant country", admin1: "admin1", outlet: "outlet", since: "since",
  until: "until", bbox: "map box", node: "network node" };
const VIEW_KEYS = [...FILTER_KEYS, "sort", "dir", "offset"];
const PAGE_SIZE = 50;
const state = { view: {}, worlds: {}, mapZoom: null, summaryLoaded: false, loadId: 0 };

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

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

function setStatus(text, isError) {
  const status = document.getElementById("status");
  status.textContent = text || "";
  status.className = isError ? "error" : "";
}

function showProblem(text) {
  const problem = document.getElementById("problem");
  problem.hidden = !text;
  clear(problem);
  if (text) problem.append(text, " ", el("a", { href: "#/", text: "Go to all events." }));
}

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function getJSON(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await response.json(); } catch (_) { body = null; }
  if (!response.ok) {
    const message = body && body.error ? `${body.error.code}: ${body.error.message}` : response.statusText;
    throw new ApiError(response.status, message);
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

function pick(object, keys) {
  const out = {};
  for (const key of keys) if (object[key] !== undefined && object[key] !== "") out[key] = object[key];
  return out;
}

// -- the view in the URL -------------------------------------------------------------------------

// The hash's view, or null when the address cannot be read (a malformed escape).
function viewFromHash(hash) {
  const search = hash.replace(/^#\/?\??/, "");
  let params;
  try {
    decodeURIComponent(search.replace(/\+/g, " "));   // URLSearchParams would pass a broken escape as text
    params = new URLSearchParams(search);
  } catch (_) {
    return null;
  }
  const view = {};
  for (const key of VIEW_KEYS) if (params.get(key)) view[key] = params.get(key);
  return view;
}

function setView(changes, keepOffset) {
  const view = { ...state.view, ...changes };
  if (!keepOffset) delete view.offset;
  for (const key of Object.keys(view)) if (view[key] === null || view[key] === "") delete view[key];
  const text = query(pick(view, VIEW_KEYS));
  location.hash = text ? `#/?${text}` : "#/";
}

function filters() { return pick(state.view, FILTER_KEYS); }

function participants(row) {
  const source = row.source ? label(row.source, row.source_country) : "unnamed";
  return row.target ? `${source} → ${label(row.target, row.target_country)}` : source;
}

function label(name, country) {
  return country && !/\([A-Z]{3}\)$/.test(name) ? `${name} (${country})` : name;
}

// -- overview ------------------------------------------------------------------------------------

async function loadOverview() {
  const loadId = ++state.loadId;
  delete document.body.dataset.loaded;
  const wanted = filters();
  fillForm();
  renderChips();
  setStatus("Loading…");
  const sortAndPage = pick(state.view, ["sort", "dir"]);
  const offset = Number(state.view.offset || 0);
  const exportQuery = query({ ...wanted, ...sortAndPage });
  document.getElementById("dl-csv").href = `/api/view/export.csv?${exportQuery}`;
  document.getElementById("dl-json").href = `/api/view/export.json?${exportQuery}`;
  try {
    const page = await getJSON(`/api/view/events?${query({ ...wanted, ...sortAndPage, limit: PAGE_SIZE, offset })}`);
    if (loadId !== state.loadId) return;
    renderTable(page);
    setStatus(`${page.total} event(s) match.`);
    const [facets, time, net] = await Promise.all([
      getJSON(`/api/view/facets?${query(wanted)}`),
      getJSON(`/api/view/timeline?${query({ ...wanted, bin: timeBin() })}`),
      getJSON(`/api/view/network?${query({ ...wanted, limit: 60 })}`),
    ]);
    if (loadId !== state.loadId) return;
    renderFacets(facets);
    renderTimeline(time);
    renderNetwork(net);
    await renderMap();
    document.body.dataset.loaded = location.hash || "#/";
  } catch (error) {
    if (loadId === state.loadId) setStatus(error.message, true);
  }
}

function fillForm() {
  const form = document.getElementById("filters");
  for (const input of form.querySelectorAll("input, select")) input.value = state.view[input.name] || "";
}

function renderChips() {
  const list = clear(document.getElementById("chips"));
  for (const [key, value] of Object.entries(filters())) {
    list.append(el("li", { "data-filter": key }, `${FILTER_NAMES[key]}: ${value} `,
      el("button", { type: "button", title: `remove the ${FILTER_NAMES[key]} filter`, text: "×",
        onclick: () => setView({ [key]: null }) })));
  }
}

// -- the table -----------------------------------------------------------------------------------

function renderTable(page) {
  const body = clear(document.querySelector("#events tbody"));
  for (const row of page.items) {
    const href = `#/event/${encodeURIComponent(row.id)}`;
    const when = row.date ? row.date : "undated";
    const place = [...new Set([row.place, row.admin1_name, row.country].filter(Boolean))].join(", ") || "—";
    body.append(el("tr", { "data-event": row.id, onclick: (click) => { if (click.target.tagName !== "A") location.hash = href; } },
      el("td", { class: "date" }, when, row.date_precision && row.date_precision !== "day"
        ? el("span", { class: "precision", text: row.date_precision }) : null),
      el("td", {}, el("a", { class: "type", href, text: row.type })),
      el("td", { class: "who", text: participants(row) }),
      el("td", { class: "place", text: place }),
      el("td", { class: "num", text: String(row.num_articles) }),
      el("td", { class: "outlets", text: row.outlets.join("; ") }),
      el("td", { class: "evidence", text: row.evidence || "" })));
  }
  if (!page.items.length) body.append(el("tr", {}, el("td", { colspan: "7", text: "No events match." })));
  const last = Math.min(page.offset + page.items.length, page.total);
  document.getElementById("page").textContent = page.total ? `${page.offset + 1}–${last} of ${page.total} events` : "no events";
  document.getElementById("prev").disabled = page.offset === 0;
  document.getElementById("next").disabled = last >= page.total;
  for (const th of document.querySelectorAll("#events th[data-sort]")) {
    const active = th.dataset.sort === page.sort;
    th.classList.toggle("sorted", active);
    th.setAttribute("aria-sort", active ? (page.dir === "desc" ? "descending" : "ascending") : "none");
  }
}

function renderFacets(facets) {
  const box = clear(document.getElementById("facets"));
  const names = { type: "Type", actor: "Actor", country: "Place country", admin1: "Admin1", outlet: "Outlet" };
  for (const [key, title] of Object.entries(names)) {
    const values = facets[key] || [];
    const list = el("ul", {});
    for (const value of values) {
      const active = state.view[key] === value.value;
      list.append(el("li", { class: active ? "active" : null },
        el("button", { type: "button", class: "facet", "data-facet": key, "data-value": value.value,
          onclick: () => setView({ [key]: active ? null : value.value }) },
          el("span", { class: "facet-label", text: value.label }), el("span", { class: "count", text: String(value.count) }))));
    }
    if (!values.length) list.append(el("li", { class: "none", text: "—" }));
    box.append(el("section", { class: "facet-group", "data-facet-group": key }, el("h3", { text: title }), list));
  }
}

// -- the time axis -------------------------------------------------------------------------------

const DAY_MS = 86400000;
const isoDay = (date) => date.toISOString().slice(0, 10);
const utc = (text) => new Date(`${text}T00:00:00Z`);

// The bin for a window of `days` days: the finest of day, week, month, year giving at most 150
// bins (as the API chooses from the events' span when no window is set).
function binFor(days) {
  for (const [name, size] of [["day", 1], ["week", 7], ["month", 31]]) if (days / size <= 150) return name;
  return "year";
}

// The dates shown, [from, to) in ms: the chosen window when there is one, else the events' span.
function timeWindow(time) {
  const from = state.view.since ? utc(firstDay(state.view.since)) : utc(time.first);
  const to = state.view.until ? new Date(+utc(lastDay(state.view.until)) + DAY_MS) : utc(time.last);
  return [from, to];
}

function renderTimeline(time) {
  const box = clear(document.getElementById("timeline"));
  document.getElementById("timeline-caption").textContent = time.first
    ? `Events per ${time.bin}, ${time.first} to ${isoDay(new Date(utc(time.last) - DAY_MS))}` +
      (time.undated ? ` (${time.undated} undated not shown)` : "")
    : "Time axis";
  if (!time.first) { box.append(el("p", { text: "No dated events." })); return; }
  const width = 1100, height = 170, margin = { left: 36, right: 26, top: 8, bottom: 24 };
  const x = d3.scaleUtc().domain(timeWindow(time)).range([margin.left, width - margin.right]);
  // Periods (events coarser than the bin) stack as pale bands; bars are the events dated to the bin or finer.
  const periodLevels = [];
  const placedPeriods = time.periods.map((p) => {
    let level = periodLevels.findIndex((end) => end <= p.start);
    if (level < 0) { level = periodLevels.length; periodLevels.push(p.end); } else periodLevels[level] = p.end;
    return { ...p, level };
  });
  const bandHeight = 9, bandsTop = height - margin.bottom - Math.min(periodLevels.length, 4) * (bandHeight + 2);
  const peak = d3.max(time.bins, (b) => b.count) || 1;
  const y = d3.scaleLinear().domain([0, peak]).nice().range([bandsTop - 2, margin.top]);
  const chart = d3.select(box).append("svg").attr("viewBox", `0 0 ${width} ${height}`)
    .attr("role", "img").attr("aria-label", `events per ${time.bin}`).attr("data-bin", time.bin);
  chart.append("defs").append("clipPath").attr("id", "time-clip").append("rect")
    .attr("x", margin.left).attr("y", 0).attr("width", width - margin.left - margin.right).attr("height", height);
  const plot = chart.append("g").attr("clip-path", "url(#time-clip)");
  const bars = plot.append("g").selectAll("rect").data(time.bins).join("rect")
    .attr("class", "bar").attr("data-start", (b) => b.start).attr("data-count", (b) => b.count)
    .attr("y", (b) => y(b.count)).attr("height", (b) => y(0) - y(b.count));
  bars.append("title").text((b) => `${b.start} (${time.bin}): ${b.count} event(s)`);
  const bands = plot.append("g").selectAll("rect").data(placedPeriods.filter((p) => p.level < 4)).join("rect")
    .attr("class", "period").attr("data-start", (p) => p.start).attr("data-end", (p) => p.end)
    .attr("y", (p) => bandsTop + p.level * (bandHeight + 2)).attr("height", bandHeight);
  bands.append("title").text((p) => `${p.count} event(s) dated to the ${p.precision} ${p.start} – ${isoDay(new Date(utc(p.end) - DAY_MS))}`);
  const xAxis = chart.append("g").attr("class", "axis").attr("transform", `translate(0,${height - margin.bottom})`);
  chart.append("g").attr("class", "axis").attr("transform", `translate(${margin.left},0)`)
    .call(d3.axisLeft(y).ticks(Math.min(3, peak)).tickFormat(d3.format("d")));
  // Placed on the scale's current domain: drawn once here, and again live while the analyst
  // wheels or drags (the counts are fetched again for the new window when they stop).
  const place = () => {
    const [from, to] = x.domain();
    bars.attr("x", (b) => x(utc(b.start)) + 0.5).attr("width", (b) => Math.max(1, x(utc(b.end)) - x(utc(b.start)) - 1));
    bands.attr("x", (p) => x(utc(p.start))).attr("width", (p) => Math.max(2, x(utc(p.end)) - x(utc(p.start))));
    xAxis.call(d3.axisBottom(x).ticks(Math.min(10, Math.max(2, Math.round((to - from) / DAY_MS)))));
  };
  place();
  let settle = null;
  const settleOn = (domain) => {       // the new window into the URL once the gesture pauses
    clearTimeout(settle);
    settle = setTimeout(() => {
      const [from, to] = domain.map((d) => new Date(Math.round(+d / DAY_MS) * DAY_MS));
      setView({ since: isoDay(from), until: isoDay(new Date(Math.max(+from, +to - DAY_MS))) });
    }, 400);
  };
  chart.on("wheel", (event) => {       // wheel: zoom about the pointer, at least a week wide
    event.preventDefault();
    const [px] = d3.pointer(event, chart.node());
    const [from, to] = x.domain(), at = +x.invert(Math.max(margin.left, Math.min(width - margin.right, px)));
    const factor = Math.exp(Math.max(-1, Math.min(1, event.deltaY * 0.002)));
    const span = Math.max(7 * DAY_MS, (to - from) * factor);
    const left = at - (at - from) * (span / (to - from));
    x.domain([new Date(left), new Date(left + span)]);
    place();
    settleOn(x.domain());
  });
  const brush = d3.brushX().extent([[margin.left, margin.top], [width - margin.right, height - margin.bottom]])
    .on("end", (event) => {
      if (!event.selection || !event.sourceEvent) return;
      const [from, to] = event.selection.map((px) => x.invert(px));
      const last = new Date(Math.max(+from, +to - 1));
      setView({ since: isoDay(from), until: isoDay(last) });
    });
  chart.append("g").attr("class", "brush").call(brush);
  // Drag along the date axis (below the bars) to pan.
  chart.append("rect").attr("class", "pan").attr("x", margin.left).attr("y", height - margin.bottom)
    .attr("width", width - margin.left - margin.right).attr("height", margin.bottom)
    .call(d3.drag().on("drag", (event) => {
      const [from, to] = x.domain(), shift = (event.dx * (to - from)) / (width - margin.left - margin.right);
      x.domain([new Date(+from - shift), new Date(+to - shift)]);
      place();
    }).on("end", () => settleOn(x.domain())))
    .append("title").text("Drag to move through time; scroll to zoom.");
}

function firstDay(bound) { return bound.length === 4 ? `${bound}-01-01` : bound.length === 7 ? `${bound}-01` : bound; }

function lastDay(bound) {
  if (bound.length === 10) return bound;
  const next = bound.length === 4 ? new Date(Date.UTC(+bound + 1, 0, 1)) : new Date(Date.UTC(+bound.slice(0, 4), +bound.slice(5, 7), 1));
  return isoDay(new Date(+next - DAY_MS));
}

// The bin for the chosen window (none: the API chooses from the events' span).
function timeBin() {
  const { since, until } = state.view;
  if (!since || !until || !/^\d{4}(-\d{2}){0,2}$/.test(since) || !/^\d{4}(-\d{2}){0,2}$/.test(until)) return null;
  return binFor((+utc(lastDay(until)) - +utc(firstDay(since))) / DAY_MS + 1);
}

function zoomOutTime() {
  const { since, until } = state.view;
  if (!since && !until) return;
  if (!since || !until || since.length !== 10 || until.length !== 10) { setView({ since: null, until: null }); return; }
  const from = utc(since), to = utc(until), span = Math.max(DAY_MS, to - from);
  setView({ since: isoDay(new Date(+from - span)), until: isoDay(new Date(+to + span)) });
}

// -- the map -------------------------------------------------------------------------------------

const MAP_WIDTH = 600, MAP_HEIGHT = 320;
const projection = () => d3.geoEquirectangular().fitSize([MAP_WIDTH, MAP_HEIGHT], { type: "Sphere" });

async function world(detail) {
  if (!state.worlds[detail]) {
    const topology = await getJSON(`/static/countries-${detail}.json`);
    state.worlds[detail] = topojson.feature(topology, topology.objects.countries);
  }
  return state.worlds[detail];
}

function levelOf(k) { return 1 + Math.log2(Math.max(1, k)); }

async function renderMap() {
  const box = document.getElementById("map");
  const project = projection();
  const path = d3.geoPath(project);
  let chart = d3.select(box).select("svg");
  if (chart.empty()) {
    chart = d3.select(box).append("svg").attr("viewBox", `0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`)
      .attr("role", "img").attr("aria-label", "map of events");
    chart.append("rect").attr("class", "sea").attr("width", MAP_WIDTH).attr("height", MAP_HEIGHT);
    const layer = chart.append("g").attr("class", "layer");
    layer.append("g").attr("class", "countries");
    layer.append("g").attr("class", "divisions");
    layer.append("g").attr("class", "clusters");
    state.zoom = d3.zoom().scaleExtent([1, 256]).translateExtent([[0, 0], [MAP_WIDTH, MAP_HEIGHT]])
      .on("zoom", (event) => {
        layer.attr("transform", event.transform);
        layer.selectAll("circle.cluster").attr("r", (c) => radius(c) / event.transform.k)
          .attr("stroke-width", 0.8 / event.transform.k);
        chart.attr("data-zoom", event.transform.k.toFixed(2));
      })
      .on("end", (event) => {
        const level = levelOf(event.transform.k);
        if (state.mapLevel === undefined || Math.abs(level - state.mapLevel) >= 0.5) drawClusters();
        else drawDivisions();
      });
    chart.call(state.zoom);
  }
  const outline = await world("110m");
  chart.select("g.countries").selectAll("path").data(outline.features).join("path")
    .attr("class", "country").attr("d", path)
    .selectAll("title").data((f) => [f]).join("title").text((f) => (f.properties && f.properties.name) || "");
  const box4 = state.view.bbox ? state.view.bbox.split(",").map(Number) : null;
  if (box4 && box4.length === 4 && box4.every(Number.isFinite)) {
    const [south, west, north, east] = box4;
    const [[x0, y0], [x1, y1]] = [project([west, north]), project([east, south])];
    const k = Math.min(256, 0.8 / Math.max((x1 - x0) / MAP_WIDTH, (y1 - y0) / MAP_HEIGHT, 1 / 256));
    const transform = d3.zoomIdentity.translate(MAP_WIDTH / 2, MAP_HEIGHT / 2).scale(k)
      .translate(-(x0 + x1) / 2, -(y0 + y1) / 2);
    chart.call(state.zoom.transform, transform);
  }
  state.mapLevel = undefined;
  await drawClusters();
}

function radius(cluster) { return 2.5 + 2.2 * Math.sqrt(cluster.count); }

async function drawClusters() {
  const chart = d3.select("#map svg");
  const k = d3.zoomTransform(chart.node()).k;
  const level = levelOf(k);
  state.mapLevel = level;
  const draw = state.mapDraw = (state.mapDraw || 0) + 1;   // a later zoom's draw supersedes this one
  const data = await getJSON(`/api/view/map?${query({ ...filters(), zoom: level.toFixed(2) })}`);
  const detail = k >= 4 ? await world("50m") : null;    // closer in: the finer outlines
  if (draw !== state.mapDraw) return;    // answered after a newer draw began: that one draws
  if (detail) {
    chart.select("g.countries").selectAll("path").data(detail.features).join("path")
      .attr("class", "country").attr("d", d3.geoPath(projection()));
  }
  const project = projection();
  document.getElementById("map-caption").textContent = `Map: ${data.total} event(s) with coordinates, ${data.items.length} cluster(s)`;
  chart.select("g.clusters").selectAll("circle").data(data.items).join("circle")
    .attr("class", "cluster").attr("data-count", (c) => c.count).attr("data-event", (c) => c.event_id)
    .attr("cx", (c) => project([c.lon, c.lat])[0]).attr("cy", (c) => project([c.lon, c.lat])[1])
    .attr("r", (c) => radius(c) / k).attr("stroke-width", 0.8 / k)
    .on("click", (event, c) => {
      event.stopPropagation();
      const pad = Math.max(0.05, data.cell_degrees / 2);
      const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
      setView({ bbox: [clamp(c.south - pad, -90, 90), clamp(c.west - pad, -180, 180),
        clamp(c.north + pad, -90, 90), clamp(c.east + pad, -180, 180)].map((v) => v.toFixed(3)).join(",") });
    })
    .selectAll("title").data((c) => [c]).join("title").text((c) => `${c.label}: ${c.count} event(s)`);
  chart.attr("data-level", level.toFixed(2));
  await drawDivisions();
}

// First-level divisions (states, provinces: Natural Earth admin-1, vendored), fetched the first
// time the map is zoomed in to about a country, and drawn only where they cross the view.
const DIVISIONS_ZOOM = 6;
let divisionPath = null;              // d3.geoPath of the map's projection, made on first use

function divisions() {
  state.divisions = state.divisions || (async () => {     // one fetch, however many draws wait for it
    const topology = await getJSON("/static/vendor/admin1-10m.json");
    const project = projection();     // equirectangular: a lon/lat box projects to the screen box
    return topojson.feature(topology, topology.objects.admin1).features.map(wholePolygons).map((feature) => {
      let west = 180, east = -180, south = 90, north = -90;
      for (const rings of feature.geometry.coordinates) {
        for (const [lon, lat] of rings[0]) {
          if (lon < west) west = lon;
          if (lon > east) east = lon;
          if (lat < south) south = lat;
          if (lat > north) north = lat;
        }
      }
      return { feature, d: null, box: [project([west, north]), project([east, south])] };
    });
  })();
  return state.divisions;
}

// The feature without the polygons that simplification collapsed to a sliver wound the wrong way
// (anticlockwise: d3-geo would read one as the whole sphere but the sliver). The outer rings are
// wound clockwise by scripts/build_admin1.py; a planar signed area tells them apart cheaply.
function wholePolygons(feature) {
  const clockwise = (ring) => {
    let twiceArea = 0;
    for (let i = 1; i < ring.length; i += 1) twiceArea += (ring[i][0] - ring[i - 1][0]) * (ring[i][1] + ring[i - 1][1]);
    return twiceArea >= 0;
  };
  const polygons = feature.geometry.type === "Polygon" ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  return { ...feature, geometry: { type: "MultiPolygon", coordinates: polygons.filter((rings) => clockwise(rings[0])) } };
}

async function drawDivisions() {
  const chart = d3.select("#map svg");
  const t = d3.zoomTransform(chart.node());
  const group = chart.select("g.divisions");
  if (t.k < DIVISIONS_ZOOM) { group.selectAll("path").remove(); chart.attr("data-divisions", 0); return; }
  const all = await divisions();
  divisionPath = divisionPath || d3.geoPath(projection());
  const [x0, y0] = t.invert([0, 0]), [x1, y1] = t.invert([MAP_WIDTH, MAP_HEIGHT]);
  const shown = all.filter(({ box: [[a, b], [c, d]] }) => a < x1 && c > x0 && b < y1 && d > y0);
  group.selectAll("path").data(shown, (s) => s.feature.id).join("path")
    .attr("class", (s) => `division${s.feature.id === state.view.admin1 ? " chosen" : ""}`)
    .attr("data-admin1", (s) => s.feature.id).attr("d", (s) => s.d || (s.d = divisionPath(s.feature)))
    .on("click", (event, s) => {       // filter to the division by its ISO 3166-2 code
      event.stopPropagation();
      setView({ admin1: s.feature.id, bbox: null });
    })
    .selectAll("title").data((s) => [s]).join("title").text((s) => `${s.feature.properties.name} (${s.feature.id})`);
  chart.attr("data-divisions", shown.length);
}

// -- the network ---------------------------------------------------------------------------------

function renderNetwork(net) {
  const box = clear(document.getElementById("network"));
  document.getElementById("network-caption").textContent =
    `Actor network: ${net.nodes.length} actors, ${net.edges.length} links (first source → first target, by type)`;
  if (!net.edges.length) { box.append(el("p", { text: "No events with both a source and a target." })); return; }
  const width = 600, height = 420;
  const size = d3.scaleSqrt().domain([1, d3.max(net.nodes, (n) => n.events) || 1]).range([4, 16]);
  const nodes = net.nodes.map((n) => ({ ...n, r: size(n.events) }));
  const links = net.edges.map((e) => ({ ...e }));
  const simulation = d3.forceSimulation(nodes)
    .force("link", d3.forceLink(links).id((n) => n.id).distance(70).strength(0.4))
    .force("charge", d3.forceManyBody().strength(-160))
    .force("collide", d3.forceCollide().radius((n) => n.r + 6))
    .force("x", d3.forceX(width / 2).strength(0.06)).force("y", d3.forceY(height / 2).strength(0.09))
    .stop();
  for (let i = 0; i < 300; i += 1) simulation.tick();
  const fit = (value, lo, hi) => Math.max(lo, Math.min(hi, value));
  for (const n of nodes) { n.x = fit(n.x, 20, width - 20); n.y = fit(n.y, 20, height - 20); }
  const chart = d3.select(box).append("svg").attr("viewBox", `0 0 ${width} ${height}`)
    .attr("role", "img").attr("aria-label", "actor network");
  const defs = chart.append("defs");
  for (const [name, colour] of [["coop", "#2e7d32"], ["conf", "#c62828"]]) {
    defs.append("marker").attr("id", `arrow-${name}`).attr("viewBox", "0 0 10 10").attr("refX", 10).attr("refY", 5)
      .attr("markerWidth", 5).attr("markerHeight", 5).attr("orient", "auto")
      .append("path").attr("d", "M0,0L10,5L0,10z").attr("fill", colour);
  }
  chart.append("g").selectAll("path").data(links).join("path")
    .attr("class", (e) => `edge ${e.cooperative ? "coop" : "conf"}`).attr("data-type", (e) => e.type)
    .attr("stroke-width", (e) => 1 + Math.log2(1 + e.events))
    .attr("marker-end", (e) => `url(#arrow-${e.cooperative ? "coop" : "conf"})`)
    .attr("d", (e) => {
      const dx = e.target.x - e.source.x, dy = e.target.y - e.source.y, length = Math.hypot(dx, dy) || 1;
      const x2 = e.target.x - (dx / length) * (e.target.r + 2), y2 = e.target.y - (dy / length) * (e.target.r + 2);
      return `M${e.source.x},${e.source.y}Q${(e.source.x + x2) / 2 + dy * 0.12},${(e.source.y + y2) / 2 - dx * 0.12} ${x2},${y2}`;
    })
    .append("title").text((e) => `${e.source.label} → ${e.target.label}: ${e.type} (${e.events} event(s))`);
  const groups = chart.append("g").selectAll("g").data(nodes).join("g")
    .attr("class", (n) => `node${n.generic ? " generic" : ""}`).attr("data-node", (n) => n.id)
    .attr("transform", (n) => `translate(${n.x},${n.y})`)
    .on("click", (_, n) => setView({ node: n.id }));
  groups.append("circle").attr("r", (n) => n.r);
  groups.append("title").text((n) => `${n.label}: ${n.events} event(s)${n.generic ? " (generic participants folded by sector)" : ""}`);
  placeLabels(groups, nodes, width, height);
}

// Labels placed greedily, biggest node first: right, left, above or below the node, never over
// another label or node; a label that fits nowhere is left out (its node keeps its tooltip).
function placeLabels(groups, nodes, width, height) {
  const taken = nodes.map((n) => ({ x0: n.x - n.r, y0: n.y - n.r, x1: n.x + n.r, y1: n.y + n.r }));
  const overlaps = (a, b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  const order = [...nodes].sort((a, b) => b.events - a.events);
  const texts = new Map();
  groups.each(function (n) { texts.set(n.id, d3.select(this)); });
  for (const n of order) {
    const text = texts.get(n.id).append("text").text(n.label);
    const box = text.node().getBBox();
    const w = box.width, h = box.height;
    const spots = [[n.r + 3, h / 3, "start"], [-n.r - 3, h / 3, "end"], [0, -n.r - 3, "middle"], [0, n.r + h - 2, "middle"]];
    let placed = false;
    for (const [dx, dy, anchor] of spots) {
      const x0 = n.x + dx - (anchor === "end" ? w : anchor === "middle" ? w / 2 : 0);
      const rect = { x0, y0: n.y + dy - h * 0.8, x1: x0 + w, y1: n.y + dy + h * 0.2 };
      if (rect.x0 < 0 || rect.x1 > width || rect.y0 < 0 || rect.y1 > height) continue;
      if (taken.some((other) => overlaps(rect, other))) continue;
      text.attr("x", dx).attr("y", dy).attr("text-anchor", anchor);
      taken.push(rect);
      placed = true;
      break;
    }
    if (!placed) text.remove();
  }
}

// -- the event page ------------------------------------------------------------------------------

function eventParticipants(event) {
  const side = (names, countries) => names.map((name, i) => label(name, countries[i])).join(" / ");
  const source = side(event.source_names, event.source_countries || []) || "unnamed";
  const target = side(event.target_names, event.target_countries || []);
  return target ? `${source} → ${target}` : source;
}

function eventPlace(event) {
  return [...new Set([event.place_name, event.admin1, event.place_country].filter(Boolean))].join(", ") || "—";
}

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

// -- edits (only when the server was started with --allow-edits) ------------------------------------

// This server's edit token, from the page's <meta> tag: empty when the app is read-only.
function editToken() {
  const meta = document.querySelector('meta[name="newsledger-edit-token"]');
  return meta ? meta.content : "";
}

async function postJSON(path, body) {
  const response = await fetch(path, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-Newsledger-Token": editToken() },
    body: JSON.stringify(body),
  });
  let answer = null;
  try { answer = await response.json(); } catch (_) { answer = null; }
  if (!response.ok) {
    throw new ApiError(response.status, answer && answer.error ? `${answer.error.code}: ${answer.error.message}` : response.statusText);
  }
  return answer;
}

function setEditStatus(text, isError) {
  const status = document.getElementById("edit-status");
  status.textContent = text || "";
  status.className = isError ? "error" : "";
}

// Run an edit, then show the event that now holds this event's mentions (its id may change).
async function edit(path, body, done) {
  for (const button of document.querySelectorAll("#event-page button.edit")) button.disabled = true;
  setEditStatus("Saving…");
  try {
    const answer = await postJSON(path, body);
    const next = done(answer);
    state.editNotice = path.endsWith("/unsplit")
      ? `Split undone: ${answer.removed} keep-apart pair(s) removed; the mentions were fused again.`
      : `Split saved: ${body.mentions.join(", ")} is now in ${answer.leaving.join(", ")}.`;
    loadSummary();
    const target = `#/event/${encodeURIComponent(next)}`;
    if (location.hash === target) route(); else location.hash = target;
  } catch (error) {
    setEditStatus(`Not saved: ${error.message}`, true);
    for (const button of document.querySelectorAll("#event-page button.edit")) button.disabled = false;
  }
}

// The split tool: a button per mention (all but one may leave), and a note for the history.
function renderSplitTool(event, box) {
  if (!editToken() || event.mentions.length < 2) return;
  const note = el("input", { type: "text", id: "split-note", maxlength: "1000", placeholder: "e.g. a different checkpoint" });
  const list = el("ul", {});
  for (const mention of event.mentions) {
    const key = `${mention.doc_id}:${mention.event_id}`;
    const outlet = (mention.document && (mention.document.outlet || mention.document.title)) || mention.doc_id;
    list.append(el("li", {},
      el("button", { type: "button", class: "edit split-off", "data-mention": key,
        onclick: () => edit("/api/edit/split", { event: event.id, mentions: [key], note: note.value.trim() || null },
          (answer) => answer.staying || event.id) }, "Split off"),
      ` ${outlet}: “${(mention.evidence && mention.evidence.text) || key}” `, el("code", { text: key })));
  }
  box.append(el("div", { class: "edit-tools" },
    el("strong", { text: "Not the same event? " }), "Split a report's mention off into an event of its own; fusion keeps it apart from then on. ",
    el("label", {}, "Why (kept in the history): ", note), list));
}

// The event's history: how its mentions were merged, and the analysts' splits with their notes
// (each with an undo button when edits are allowed).
async function renderHistory(event, box) {
  const items = el("ol", {});
  for (const merge of event.merges) {
    items.append(el("li", { class: "merge" }, el("strong", { text: "Merged " }), `${merge.mentions.join(" + ")}: ${merge.why}`));
  }
  let splits = { items: [] };
  try { splits = await getJSON(`/api/view/events/${encodeURIComponent(event.id)}/splits`); } catch (_) { /* shown without */ }
  const byEvent = new Map();
  for (const split of splits.items) {
    const other = split.other_event || "";
    if (!byEvent.has(other)) byEvent.set(other, []);
    byEvent.get(other).push(split);
  }
  for (const [other, group] of byEvent) {
    const item = el("li", { class: "split", "data-other": other }, el("strong", { text: "Split " }));
    group.forEach((split, i) => item.append(i ? "; " : "", `${split.mention} was split from ${split.other}`));
    if (other && other !== event.id) {
      item.append(" (now in ", el("a", { href: `#/event/${encodeURIComponent(other)}`, text: other }), ")");
    }
    const notes = [...new Set(group.map((s) => s.note).filter(Boolean))];
    if (notes.length) item.append(` — “${notes.join("”, “")}”`);
    const when = group.map((s) => s.created_at).filter(Boolean).sort()[0];
    if (when) item.append(" ", el("span", { class: "when", text: `on ${when.slice(0, 16).replace("T", " ")} UTC` }));
    if (editToken() && other && other !== event.id) {
      item.append(" ", el("button", { type: "button", class: "edit undo-split",
        onclick: () => edit("/api/edit/unsplit", { event: event.id, other }, (answer) => answer.events[0] || event.id) },
        "Undo this split"));
    }
    items.append(item);
  }
  if (!items.children.length) items.append(el("li", { text: "Reported by a single mention; never split." }));
  const hint = editToken() ? null : splits.items.length
    ? el("p", { class: "hint", text: "Splits are undone with `newsledger unsplit`, or from this page when the app is served with --allow-edits." })
    : null;
  box.append(el("section", { class: "history" }, el("h3", { text: "History" }), items, hint));
}

function fact(list, term, value) {
  list.append(el("dt", { text: term }), el("dd", { text: value }));
}

async function loadEvent(eventId) {
  const title = document.getElementById("event-title");
  const facts = clear(document.getElementById("event-facts"));
  const disagreements = clear(document.getElementById("event-disagreements"));
  const history = clear(document.getElementById("event-history"));
  setEditStatus(state.editNotice || "");
  state.editNotice = null;
  const documentsBox = clear(document.getElementById("event-documents"));
  title.textContent = "Loading…";
  delete document.body.dataset.event;
  let data;
  try {
    data = await getJSON(`/api/events/${encodeURIComponent(eventId)}`);
  } catch (error) {
    title.textContent = error.status === 404
      ? `No event with the id “${eventId}”.`
      : `This event could not be read (${error.message}).`;
    if (error.status === 404) {
      facts.append(el("dt", { text: "Why" }), el("dd", { text: "The link may be mistyped, or the event was merged into another one or split since the link was made." }));
    }
    showProblem(error.status === 404 ? `No event with the id “${eventId}”.` : error.message);
    return;
  }
  const event = data.event;
  title.textContent = `${event.type}: ${eventParticipants(event)}`;
  fact(facts, "Date", event.date_value ? `${event.date_value} (${event.date_precision})` : "undated");
  fact(facts, "Place", eventPlace(event));
  fact(facts, "Modality", event.modality);
  if (event.killed !== null) fact(facts, "Killed", String(event.killed));
  if (event.injured !== null) fact(facts, "Injured", String(event.injured));
  fact(facts, "Reported by", `${event.num_articles} article(s), ${event.num_sources} source(s), ${event.num_mentions} mention(s)`);
  const [historyBox, toolBox] = [el("div", {}), el("div", {})];
  history.append(historyBox, toolBox);
  const historyDrawn = renderHistory(event, historyBox);
  renderSplitTool(event, toolBox);
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
      el("p", { class: "meta" }, [doc.outlet, doc.published || "undated"].filter(Boolean).join(" · "),
        doc.url && /^https?:\/\//.test(doc.url)
          ? el("span", {}, " · ", el("a", { class: "source-url", href: doc.url, rel: "noreferrer", text: doc.url })) : null),
      articleWithHighlights(doc.body || "", doc.highlights),
      el("aside", {}, el("h4", { text: "Quotes" }), quotes)));
  }
  await historyDrawn;
  document.body.dataset.event = event.id;     // every part of the event page is drawn
}

// -- routing and start-up -------------------------------------------------------------------------

function show(section) {
  document.getElementById("overview").hidden = section !== "overview";
  document.getElementById("event-page").hidden = section !== "event";
}

function route() {
  showProblem(null);
  const hash = location.hash || "#/";
  const eventMatch = hash.match(/^#\/event\/(.*)$/);
  if (eventMatch) {
    let eventId;
    try {
      eventId = decodeURIComponent(eventMatch[1]);
    } catch (_) {
      show(null);
      showProblem(`This address is malformed: “${eventMatch[1]}” is not a valid escaped event id.`);
      return;
    }
    if (!eventId) { show(null); showProblem("This address names no event."); return; }
    show("event");
    loadEvent(eventId);
    return;
  }
  if (!/^#\/?(\?.*)?$/.test(hash)) {
    show(null);
    showProblem(`This address is not a view of newsledger: “${hash.slice(0, 80)}”.`);
    return;
  }
  const view = viewFromHash(hash);
  if (view === null) {
    show(null);
    showProblem("This address is malformed: its filters cannot be read (a broken % escape).");
    return;
  }
  state.view = view;
  show("overview");
  loadOverview();
}

async function loadSummary() {
  try {
    const summary = await getJSON("/api/view/summary");
    document.getElementById("summary").textContent =
      `${summary.canonical_events} events (${summary.multi_source_events} reported by several articles) from ` +
      `${summary.documents} documents` + (summary.first_date ? `, ${summary.first_date} to ${summary.last_date}` : "");
  } catch (error) {
    document.getElementById("summary").textContent = error.message;
  }
}

function start() {
  const typeSelect = document.getElementById("f-type");
  PLOVER_TYPES.forEach((type) => typeSelect.append(el("option", { value: type, text: type })));
  document.getElementById("filters").addEventListener("submit", (submit) => {
    submit.preventDefault();
    const changes = {};
    for (const [key, value] of new FormData(submit.target).entries()) changes[key] = String(value).trim() || null;
    setView(changes);
  });
  for (const th of document.querySelectorAll("#events th[data-sort]")) {
    th.addEventListener("click", () => {
      const column = th.dataset.sort;
      const current = state.view.sort || "date";
      const dir = column === current && (state.view.dir || "asc") === "asc" ? "desc" : "asc";
      setView({ sort: column, dir });
    });
  }
  document.getElementById("prev").addEventListener("click", () => {
    setView({ offset: Math.max(0, Number(state.view.offset || 0) - PAGE_SIZE) || null }, true);
  });
  document.getElementById("next").addEventListener("click", () => {
    setView({ offset: Number(state.view.offset || 0) + PAGE_SIZE }, true);
  });
  document.getElementById("time-out").addEventListener("click", zoomOutTime);
  const zoomBy = (factor) => { const chart = d3.select("#map svg"); if (!chart.empty()) chart.transition().duration(200).call(state.zoom.scaleBy, factor); };
  document.getElementById("map-in").addEventListener("click", () => zoomBy(2));
  document.getElementById("map-out").addEventListener("click", () => zoomBy(0.5));
  document.getElementById("map-world").addEventListener("click", () => {
    if (state.view.bbox) setView({ bbox: null });
    else d3.select("#map svg").call(state.zoom.transform, d3.zoomIdentity);
  });
  window.addEventListener("hashchange", route);
  loadSummary();
  route();
}

document.addEventListener("DOMContentLoaded", start);
