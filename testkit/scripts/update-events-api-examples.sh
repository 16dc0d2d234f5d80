#!/usr/bin/env bash
# Extracts, from GitHub's REST OpenAPI description (npm package @octokit/openapi), what it says of
# the Events API feed (GET /repos/{owner}/{repo}/events and the other activity/events lists):
#
#   testkit/src/main/resources/octokit/events-api/events-api.json
#
#   documented_types  the event types whose payloads the description documents (the titles of
#                     the "event" schema's payload oneOf: CreateEvent, ..., WatchEvent), each with
#                     the payload properties it lists and which are required
#   examples          every distinct example record of the activity/events operations (real feed
#                     entries GitHub published in its description), unchanged, by event id
#
# The build never runs this script (the package is ~29 MB packed); run it to move to a new version:
#
#   testkit/scripts/update-events-api-examples.sh [version]
#
# Needs npm and node.
set -euo pipefail

VERSION="${1:-23.0.2}"
PACKAGE="@octokit/openapi"
SPEC="package/generated/api.github.com.json"

testkit="$(cd "$(dirname "$0")/.." && pwd)"
dest="$testkit/src/main/resources/octokit/events-api"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null \
  && tar xzf ./*.tgz "$SPEC" package/package.json package/LICENSE)

license="$(node -p "require('$work/package/package.json').license")"
if [[ "$license" != "MIT" ]]; then
  echo "$PACKAGE@$VERSION is licensed '$license', not MIT: review LICENSE and NOTICE before updating" >&2
  exit 1
fi

mkdir -p "$dest"
node - "$work/$SPEC" "$work/package/package.json" "$dest/events-api.json" <<'JS'
const fs = require("fs");
const [specFile, manifestFile, outFile] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specFile, "utf8"));
const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
const schemas = spec.components.schemas;

const documented = spec.components.schemas.event.properties.payload.oneOf.map((ref) => {
  const schema = schemas[ref.$ref.split("/").pop()];
  return {
    type: schema.title,
    properties: Object.keys(schema.properties || {}),
    required: schema.required || [],
  };
});

// every example of every activity operation that lists events, once per event id
const examples = new Map();
const operations = [];
for (const [path, methods] of Object.entries(spec.paths)) {
  const op = methods.get;
  if (!op || !(op.tags || []).includes("activity") || !/\/events|received_events/.test(path)) continue;
  const json = ((op.responses["200"] || {}).content || {})["application/json"] || {};
  for (const ex of Object.values(json.examples || {})) {
    const value = ex.$ref ? spec.components.examples[ex.$ref.split("/").pop()].value : ex.value;
    if (!Array.isArray(value)) continue;
    operations.push(op.operationId);
    for (const record of value) if (!examples.has(record.id)) examples.set(record.id, record);
  }
}

const fixture = {
  source: {
    package: manifest.name,
    version: manifest.version,
    license: manifest.license,
    file: "generated/api.github.com.json",
    operations: [...new Set(operations)].sort(),
    note: "Written by testkit/scripts/update-events-api-examples.sh; do not edit by hand.",
  },
  documented_types: documented,
  examples: [...examples.values()].sort((a, b) => a.id.localeCompare(b.id)),
};
fs.writeFileSync(outFile, JSON.stringify(fixture, null, 1) + "\n");
console.log(`${outFile}: ${documented.length} documented types, ${examples.size} example records` +
    ` (${[...new Set([...examples.values()].map((e) => e.type))].join(", ")}), from ` +
    `${manifest.name}@${manifest.version}`);
JS

cp "$work/package/LICENSE" "$dest/LICENSE"
cat >"$dest/NOTICE" <<NOTICE
events-api.json is taken from the file generated/api.github.com.json of the npm package
$PACKAGE version $VERSION (GitHub's REST API OpenAPI description, as published by octokit):
the event types whose feed payloads it documents, and its example records of the Events API
(activity/events operations), unchanged. Written by testkit/scripts/update-events-api-examples.sh.

  package:    $PACKAGE@$VERSION
  repository: github:octokit/openapi (from github/rest-api-description)
  license:    $license (see LICENSE in this directory, the package's own)
NOTICE
