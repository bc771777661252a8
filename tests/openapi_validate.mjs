// Validates every response the test suite received against the OpenAPI
// document padan serves.
//
//   node tests/openapi_validate.mjs DOC.json RESPONSES.jsonl
//   node tests/openapi_validate.mjs --self-test
//
// RESPONSES.jsonl is written by tests/tu_http.c ($PADAN_RESPONSE_LOG): one
// {"method","path","status","content_type","body"} per line.  Each response
// is matched to its operation (path template, method; HEAD is GET's), then to
// the documented status (or "default"), then to the media type, and its body
// is checked against the schema.  Any mismatch fails the run, naming the
// request, the place in the body and the rule broken.
//
// The validator covers the subset of JSON Schema (OpenAPI 3.0 dialect) the
// document uses: type (and type arrays), nullable, properties, required,
// additionalProperties (boolean or schema), items, enum, oneOf, anyOf, allOf,
// $ref to "#/...", minimum/maximum, minLength/maxLength, minItems/maxItems;
// format and descriptive keywords are ignored.  It uses no package.
import { readFileSync } from "node:fs";

function resolve(doc, ref) {
  if (!ref.startsWith("#/")) throw new Error(`unsupported $ref ${ref}`);
  let node = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = node?.[key];
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return node;
}

function typeOf(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v; // string, boolean, object
}

function typeMatches(want, got) {
  return want === got || (want === "number" && got === "integer");
}

// Returns a list of "where: what" strings; empty when v matches schema.
export function validate(doc, schema, v, where = "$", depth = 0) {
  if (depth > 64) return [`${where}: schema nesting too deep`];
  if (schema === true || schema === undefined) return [];
  if (schema === false) return [`${where}: no value allowed here`];
  if (schema.$ref) return validate(doc, resolve(doc, schema.$ref), v, where, depth + 1);
  const errs = [];
  if (v === null && schema.nullable === true) return [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(t, typeOf(v))))
      return [`${where}: ${typeOf(v)}, expected ${types.join(" or ")}`];
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(v)))
    errs.push(`${where}: ${JSON.stringify(v)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof v === "number") {
    if (schema.minimum !== undefined && v < schema.minimum)
      errs.push(`${where}: ${v} < minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && v > schema.maximum)
      errs.push(`${where}: ${v} > maximum ${schema.maximum}`);
  }
  if (typeof v === "string") {
    const n = [...v].length;
    if (schema.minLength !== undefined && n < schema.minLength)
      errs.push(`${where}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && n > schema.maxLength)
      errs.push(`${where}: longer than ${schema.maxLength}`);
  }
  if (Array.isArray(v)) {
    if (schema.minItems !== undefined && v.length < schema.minItems)
      errs.push(`${where}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && v.length > schema.maxItems)
      errs.push(`${where}: more than ${schema.maxItems} items`);
    if (schema.items !== undefined)
      v.forEach((item, i) => errs.push(...validate(doc, schema.items, item, `${where}[${i}]`, depth + 1)));
  }
  if (typeOf(v) === "object") {
    const props = schema.properties || {};
    for (const key of schema.required || [])
      if (!(key in v)) errs.push(`${where}: required "${key}" is missing`);
    for (const [key, value] of Object.entries(v)) {
      if (key in props) errs.push(...validate(doc, props[key], value, `${where}.${key}`, depth + 1));
      else if (schema.additionalProperties === false)
        errs.push(`${where}: "${key}" is not allowed (additionalProperties false)`);
      else if (typeof schema.additionalProperties === "object")
        errs.push(...validate(doc, schema.additionalProperties, value, `${where}.${key}`, depth + 1));
    }
  }
  if (schema.allOf)
    schema.allOf.forEach((s) => errs.push(...validate(doc, s, v, where, depth + 1)));
  if (schema.anyOf && !schema.anyOf.some((s) => validate(doc, s, v, where, depth + 1).length === 0))
    errs.push(`${where}: matches none of anyOf`);
  if (schema.oneOf) {
    const hits = schema.oneOf.filter((s) => validate(doc, s, v, where, depth + 1).length === 0).length;
    if (hits !== 1) errs.push(`${where}: matches ${hits} of oneOf's ${schema.oneOf.length} schemas, not exactly one`);
  }
  return errs;
}

// The operation for a concrete path and method, or null.
function findOperation(doc, method, path) {
  const bare = path.split("?")[0];
  const parts = bare.split("/");
  const m = method.toLowerCase() === "head" ? "get" : method.toLowerCase();
  for (const [template, item] of Object.entries(doc.paths || {})) {
    const tparts = template.split("/");
    if (tparts.length !== parts.length) continue;
    if (tparts.every((t, i) => (t.startsWith("{") && t.endsWith("}") ? parts[i] !== "" : t === parts[i])))
      return item[m] ? { template, op: item[m] } : null;
  }
  return null;
}

// Problems with one logged response, as strings.
export function checkResponse(doc, line) {
  const { method, path, status, content_type: ctype, body } = line;
  const content_type = ctype;
  const found = findOperation(doc, method, path);
  if (!found) {
    // A path no operation serves may only be answered 404 (or 405 where the
    // path exists for another method) as a problem
    const problem = doc.components?.schemas?.Problem;
    if ((status === 404 || status === 405) && /problem\+json/.test(content_type || "") && problem) {
      try {
        return validate(doc, problem, JSON.parse(body));
      } catch {
        return [`${status} for an unknown path is not JSON`];
      }
    }
    return [`no operation for ${method} ${path.split("?")[0]}`];
  }
  let resp = found.op.responses?.[String(status)] ?? found.op.responses?.[`${String(status)[0]}XX`] ??
    found.op.responses?.default;
  if (!resp) return [`status ${status} is not documented for ${method.toUpperCase()} ${found.template}`];
  if (resp.$ref) resp = resolve(doc, resp.$ref);
  if (method === "HEAD" || status === 204 || status === 304) return [];
  const content = resp.content;
  if (!content) return body ? [`${status} has a body but the document declares no content`] : [];
  const media = (ctype || "").split(";")[0].trim();
  const entry = content[media];
  if (!entry) return [`content type "${media}" is not documented for ${status} (${Object.keys(content).join(", ")})`];
  if (!entry.schema) return [`${media} for ${status} has no schema`];
  if (!/json$/.test(media)) return [];
  let value;
  try {
    value = JSON.parse(body);
  } catch {
    return [`${media} body is not JSON`];
  }
  return validate(doc, entry.schema, value);
}

function selfTest() {
  const doc = {
    components: {
      schemas: {
        Pseudonymous: {
          type: "object", additionalProperties: false, required: ["key", "fit"],
          properties: { key: { type: "string" }, fit: { type: "number", minimum: 0, maximum: 1 } },
        },
        Full: {
          type: "object", additionalProperties: false, required: ["resident_id", "name"],
          properties: { resident_id: { type: "integer" }, name: { type: "string" }, fit: { type: "number" } },
        },
      },
    },
    paths: {
      "/v1/things/{id}": {
        get: {
          responses: {
            200: { description: "ok", content: { "application/json": { schema: {
              type: "object", required: ["items"], properties: {
                items: { type: "array", items: { oneOf: [{ $ref: "#/components/schemas/Pseudonymous" }, { $ref: "#/components/schemas/Full" }] } },
                as_of: { type: "string", nullable: true },
                kind: { type: "string", enum: ["a", "b"] },
              } } } } },
            default: { description: "err", content: { "application/problem+json": { schema: { type: "object", required: ["code"] } } } },
          },
        },
      },
    },
  };
  const ok = (line) => checkResponse(doc, line);
  const cases = [
    // [description, line, should pass]
    ["a valid pseudonymous list", { method: "GET", path: "/v1/things/3?limit=2", status: 200, content_type: "application/json", body: '{"items":[{"key":"k1","fit":0.5}],"as_of":null,"kind":"a"}' }, true],
    ["a valid full item", { method: "GET", path: "/v1/things/3", status: 200, content_type: "application/json", body: '{"items":[{"resident_id":1,"name":"N"}]}' }, true],
    ["a problem under default", { method: "GET", path: "/v1/things/3", status: 404, content_type: "application/problem+json", body: '{"code":"not_found"}' }, true],
    ["HEAD needs no body", { method: "HEAD", path: "/v1/things/3", status: 200, content_type: "application/json", body: "" }, true],
    ["a name leaks into the pseudonymous view", { method: "GET", path: "/v1/things/3", status: 200, content_type: "application/json", body: '{"items":[{"key":"k1","fit":0.5,"name":"N"}]}' }, false],
    ["an item matching both oneOf variants", { method: "GET", path: "/v1/things/3", status: 200, content_type: "application/json", body: '{"items":[{"key":"k","fit":1,"resident_id":1,"name":"N"}]}' }, false],
    ["a fit above its maximum", { method: "GET", path: "/v1/things/3", status: 200, content_type: "application/json", body: '{"items":[{"key":"k","fit":2}]}' }, false],
    ["a value outside the enum", { method: "GET", path: "/v1/things/3", status: 200, content_type: "application/json", body: '{"items":[],"kind":"c"}' }, false],
    ["a missing required member", { method: "GET", path: "/v1/things/3", status: 200, content_type: "application/json", body: "{}" }, false],
    ["a wrong type", { method: "GET", path: "/v1/things/3", status: 200, content_type: "application/json", body: '{"items":{}}' }, false],
    ["an error as plain JSON", { method: "GET", path: "/v1/things/3", status: 422, content_type: "application/json", body: '{"code":"x"}' }, false],
    ["an undocumented path", { method: "GET", path: "/v1/other", status: 200, content_type: "application/json", body: "{}" }, false],
    ["an undocumented method", { method: "POST", path: "/v1/things/3", status: 200, content_type: "application/json", body: "{}" }, false],
  ];
  let failed = 0;
  for (const [what, line, pass] of cases) {
    const errs = ok(line);
    if ((errs.length === 0) !== pass) {
      failed++;
      console.log(`self-test: ${what}: expected ${pass ? "a match" : "a mismatch"}, got ${errs.length ? errs.join("; ") : "a match"}`);
    }
  }
  // The deliberately wrong schema: the served Full schema with "name" taken out
  // of its properties must reject a full item.
  const wrong = structuredClone(doc);
  delete wrong.components.schemas.Full.properties.name;
  if (checkResponse(wrong, cases[1][1]).length === 0) {
    failed++;
    console.log("self-test: a deliberately wrong schema accepted a response");
  }
  console.log(failed ? `self-test: ${failed} failure(s)` : `self-test: ${cases.length + 1} cases pass`);
  return failed ? 1 : 0;
}

function main(argv) {
  if (argv[0] === "--self-test") return selfTest();
  if (argv.length !== 2) {
    console.error("usage: openapi_validate.mjs DOC.json RESPONSES.jsonl | --self-test");
    return 2;
  }
  const doc = JSON.parse(readFileSync(argv[0], "utf8"));
  const lines = readFileSync(argv[1], "utf8").split("\n").filter((l) => l.trim() !== "");
  const problems = new Map(); // one entry per (operation, status, problem)
  let bad = 0;
  for (const text of lines) {
    const line = JSON.parse(text);
    const errs = checkResponse(doc, line);
    if (errs.length === 0) continue;
    bad++;
    const found = findOperation(doc, line.method, line.path);
    const key = `${line.method} ${found ? found.template : line.path.split("?")[0]} ${line.status}`;
    for (const e of errs.slice(0, 5)) {
      const k = `${key}: ${e.replace(/\[\d+\]/g, "[]")}`;
      if (!problems.has(k)) problems.set(k, `${line.method} ${line.path} → ${line.status}: ${e}`);
    }
  }
  for (const [, example] of problems) console.log(example);
  // Which operations the suite never called: not a failure, a list to shorten.
  const seen = new Set();
  for (const text of lines) {
    const line = JSON.parse(text);
    const found = findOperation(doc, line.method, line.path);
    if (found) seen.add(`${line.method === "HEAD" ? "GET" : line.method} ${found.template}`);
  }
  const unseen = [];
  for (const [template, item] of Object.entries(doc.paths || {}))
    for (const m of Object.keys(item))
      if (m !== "parameters" && !seen.has(`${m.toUpperCase()} ${template}`)) unseen.push(`${m.toUpperCase()} ${template}`);
  if (unseen.length) console.log(`not exercised by the tests logged: ${unseen.join(", ")}`);
  console.log(`${lines.length} responses checked against the OpenAPI document, ${bad} mismatch(es)`);
  if (lines.length === 0) {
    console.log("no responses were logged (PADAN_RESPONSE_LOG unset?)");
    return 1;
  }
  return bad ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
