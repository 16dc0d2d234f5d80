#!/usr/bin/env bash
# Extracts, from GitHub's REST OpenAPI description (npm package @octokit/openapi), the response
# schemas of exactly the operations GitHubSimulator implements, into a small committed fixture:
#
#   testkit/src/test/resources/openapi/github-rest-subset.json
#
# GitHubSimulatorConformanceTest validates the simulator's responses against it, so a shape that
# drifts from GitHub's description fails a test. The build never runs this script (the package
# is ~29 MB packed, ~400 MB unpacked); run it when adding an endpoint or moving to a new version:
#
#   testkit/scripts/update-openapi-fixture.sh [version]
#
# Needs npm and node. Descriptions, examples and vendor extensions are dropped; schemas that occur
# more than once are stored once under "$defs" and referenced with "$ref".
set -euo pipefail

VERSION="${1:-23.0.2}"
PACKAGE="@octokit/openapi"
SPEC="package/generated/api.github.com.deref.json"

testkit="$(cd "$(dirname "$0")/.." && pwd)"
dest="$testkit/src/test/resources/openapi"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null \
  && tar xzf ./*.tgz "$SPEC" package/package.json)

mkdir -p "$dest"
node - "$work/$SPEC" "$work/package/package.json" "$dest/github-rest-subset.json" <<'JS'
const fs = require("fs");
const [specFile, manifestFile, outFile] = process.argv.slice(2);

// Every operation GitHubSimulator serves; GitHubSimulatorConformanceTest fails when the
// simulator declares a route that is missing here.
const OPERATIONS = [
  "GET /",
  "GET /rate_limit",
  "GET /user",
  "GET /repos/{owner}/{repo}",
  "GET /repos/{owner}/{repo}/events",
  "GET /repos/{owner}/{repo}/labels",
  "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
  "GET /repos/{owner}/{repo}/contents/{path}",
  "GET /repos/{owner}/{repo}/issues",
  "POST /repos/{owner}/{repo}/issues",
  "GET /repos/{owner}/{repo}/issues/{issue_number}",
  "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/labels",
  "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
  "PUT /repos/{owner}/{repo}/issues/{issue_number}/labels",
  "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels",
  "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
  "GET /repos/{owner}/{repo}/issues/comments/{comment_id}",
  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
  "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}",
  "POST /repos/{owner}/{repo}/issues/{issue_number}/assignees",
  "DELETE /repos/{owner}/{repo}/issues/{issue_number}/assignees",
  "GET /repos/{owner}/{repo}/pulls",
  "GET /repos/{owner}/{repo}/pulls/{pull_number}",
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/merge",
  "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
  "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
  "DELETE /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
  "GET /repos/{owner}/{repo}/actions/runs",
  "GET /repos/{owner}/{repo}/actions/runs/{run_id}",
  "POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun",
  "POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs",
  "POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel",
  "GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs",
  "GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs",
  "GET /repos/{owner}/{repo}/installation",
  "POST /app/installations/{installation_id}/access_tokens",
  "GET /app",
  "GET /app/installations/{installation_id}",
  "GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries",
  "POST /repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}/attempts",
  "GET /orgs/{org}/hooks/{hook_id}/deliveries",
  "POST /orgs/{org}/hooks/{hook_id}/deliveries/{delivery_id}/attempts",
  "GET /app/hook/deliveries",
  "GET /app/hook/deliveries/{delivery_id}",
  "GET /app/installations",
  "POST /app-manifests/{code}/conversions",
  "GET /repos/{owner}/{repo}/git/matching-refs/{ref}",
  "GET /repos/{owner}/{repo}/git/ref/{ref}",
  "POST /repos/{owner}/{repo}/git/refs",
  "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
  "DELETE /repos/{owner}/{repo}/git/refs/{ref}",
  "POST /repos/{owner}/{repo}/merges",
  "POST /repos/{owner}/{repo}/statuses/{sha}",
  "GET /repos/{owner}/{repo}/commits/{ref}/status",
  "POST /repos/{owner}/{repo}/check-runs",
  "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
  "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations",
  "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
  "GET /repos/{owner}/{repo}/branches/{branch}/protection",
  "GET /repos/{owner}/{repo}/rules/branches/{branch}",
  "GET /repos/{owner}/{repo}/compare/{basehead}",
];

const DROPPED = new Set(["description", "example", "examples", "externalDocs", "summary"]);
const spec = JSON.parse(fs.readFileSync(specFile, "utf8"));
const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));

// Keeps what validation needs; "title" survives only to name the shared definitions. The keys
// of a "properties" map are property names (an issue has a "title", a label a "description"),
// not schema keywords, so they are never dropped.
function strip(node, isPropertyMap = false) {
  if (Array.isArray(node)) return node.map((n) => strip(n));
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (!isPropertyMap && (DROPPED.has(key) || key.startsWith("x-"))) continue;
    out[key] = strip(value, !isPropertyMap && key === "properties");
  }
  return out;
}

// Canonical text: sorted keys, so equal schemas compare equal.
function canonical(node) {
  if (Array.isArray(node)) return "[" + node.map(canonical).join(",") + "]";
  if (node === null || typeof node !== "object") return JSON.stringify(node);
  return "{" + Object.keys(node).sort()
      .map((k) => JSON.stringify(k) + ":" + canonical(node[k])).join(",") + "}";
}

const operations = {};
for (const operation of OPERATIONS) {
  const [method, path] = operation.split(" ");
  const op = (spec.paths[path] || {})[method.toLowerCase()];
  if (!op) throw new Error(`${operation} is not in ${manifest.name}@${manifest.version}`);
  const responses = {};
  for (const [status, response] of Object.entries(op.responses)) {
    const json = (response.content || {})["application/json"];
    responses[status] = json && json.schema ? strip(json.schema) : null;
  }
  operations[operation] = { operationId: op.operationId, responses };
}

// One known slip in GitHub's description: the installations list spells an installation's
// "account" as allOf [simple-user, enterprise] (both at once, which no account is), where the
// "installation" schema of GET /app/installations/{installation_id} has anyOf for the same field.
// The list gets the single installation's alternatives.
{
  const list = operations["GET /app/installations"];
  const account = list && list.responses["200"].items.properties.account;
  if (account && account.allOf) {
    account.anyOf = account.allOf;
    delete account.allOf;
  }
}

// Count titled object schemas, then hoist the ones used more than once into $defs.
const counts = new Map();
const isSchemaWithTitle = (node) => typeof node.title === "string" && node.type === "object";
(function count(node, isPropertyMap = false) {
  if (Array.isArray(node)) return node.forEach((n) => count(n));
  if (node === null || typeof node !== "object") return;
  if (!isPropertyMap && isSchemaWithTitle(node)) {
    const key = canonical(node);
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  for (const [k, v] of Object.entries(node)) count(v, !isPropertyMap && k === "properties");
})(operations);

const defs = {};
const names = new Map();
function nameFor(node, key) {
  if (names.has(key)) return names.get(key);
  const base = node.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  let name = base;
  for (let i = 2; name in defs; i++) name = `${base}-${i}`;
  defs[name] = null; // reserve before recursing
  names.set(key, name);
  return name;
}
function hoist(node, isPropertyMap = false) {
  if (Array.isArray(node)) return node.map((n) => hoist(n));
  if (node === null || typeof node !== "object") return node;
  const key = !isPropertyMap && isSchemaWithTitle(node) ? canonical(node) : null;
  const shared = key !== null && counts.get(key) > 1;
  const name = shared ? nameFor(node, key) : null;
  if (shared && defs[name] !== null) return { $ref: `#/$defs/${name}` };
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (isPropertyMap || k !== "title") out[k] = hoist(v, !isPropertyMap && k === "properties");
  }
  if (!shared) return out;
  defs[name] = out;
  return { $ref: `#/$defs/${name}` };
}
const hoisted = hoist(operations);

const fixture = {
  source: {
    package: manifest.name,
    version: manifest.version,
    license: manifest.license,
    file: "generated/api.github.com.deref.json",
    openapi: spec.openapi,
    note: "Written by testkit/scripts/update-openapi-fixture.sh; do not edit by hand.",
  },
  $defs: Object.fromEntries(Object.keys(defs).sort().map((k) => [k, defs[k]])),
  operations: hoisted,
};
fs.writeFileSync(outFile, JSON.stringify(fixture, null, 1) + "\n");
console.log(`${outFile}: ${OPERATIONS.length} operations, ${Object.keys(defs).length} shared ` +
    `schemas, ${fs.statSync(outFile).size} bytes, from ${manifest.name}@${manifest.version}`);
JS
