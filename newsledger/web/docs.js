// Renders the OpenAPI description of the newsledger API as a plain reference page.
// Built with DOM calls only: no HTML strings from the server are ever injected.
"use strict";

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function resolve(spec, schema) {
  if (schema && schema.$ref) {
    const name = schema.$ref.split("/").pop();
    return spec.components && spec.components.schemas ? spec.components.schemas[name] || {} : {};
  }
  return schema || {};
}

function typeOf(spec, schema) {
  const s = resolve(spec, schema);
  if (s.anyOf) return s.anyOf.map((x) => typeOf(spec, x)).join(" | ");
  if (s.type === "array") return typeOf(spec, s.items) + "[]";
  return s.type || s.title || "object";
}

function renderOperation(spec, path, method, op) {
  const section = el("section", null, "operation");
  const title = el("h2");
  title.append(el("code", method.toUpperCase() + " " + path));
  section.append(title);
  if (op.summary) section.append(el("p", op.summary));
  if (op.description && op.description !== op.summary) section.append(el("p", op.description, "muted"));
  const params = op.parameters || [];
  if (params.length) {
    const table = el("table");
    const head = el("tr");
    ["parameter", "in", "type", "required", "description"].forEach((h) => head.append(el("th", h)));
    table.append(head);
    params.forEach((p) => {
      const row = el("tr");
      row.append(el("td", p.name), el("td", p.in), el("td", typeOf(spec, p.schema)),
        el("td", p.required ? "yes" : ""), el("td", p.description || (resolve(spec, p.schema).description || "")));
      table.append(row);
    });
    section.append(table);
  }
  return section;
}

async function main() {
  const root = document.getElementById("reference");
  try {
    const response = await fetch("/openapi.json");
    const spec = await response.json();
    root.replaceChildren();
    if (spec.info && spec.info.description) root.append(el("p", spec.info.description));
    Object.keys(spec.paths).sort().forEach((path) => {
      Object.entries(spec.paths[path]).forEach(([method, op]) => root.append(renderOperation(spec, path, method, op)));
    });
  } catch (err) {
    root.replaceChildren(el("p", "Could not load /openapi.json: " + err));
  }
}

main();
