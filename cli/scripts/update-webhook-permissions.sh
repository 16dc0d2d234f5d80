#!/usr/bin/env bash
# Extracts, from GitHub's REST OpenAPI description (npm package @octokit/openapi, the version
# testkit's fixture uses), which App permission each webhook event needs ("To subscribe to this
# event, a GitHub App must have at least read-level access for the "Issues" repository
# permission."), into a small committed resource that `repostream app` reads:
#
#   cli/src/main/resources/github/webhook-event-permissions.json
#
# The build never runs this script; run it when moving to a new version. Needs npm and node.
set -euo pipefail

VERSION="${1:-23.0.2}"
PACKAGE="@octokit/openapi"
SPEC="package/generated/api.github.com.json"

cli="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null && tar xzf ./*.tgz "$SPEC")

node - "$work/$SPEC" "$cli/src/main/resources/github/webhook-event-permissions.json" "$VERSION" <<'JS'
const fs = require("fs");
const [specFile, outFile, version] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specFile, "utf8"));
const pattern =
  /GitHub App must have at least (read|write)-level access for the "([^"]+)" (?:(repository|organization) )?permission/;
// The permission's key in the API (an installation's "permissions" object) where it is not the
// title in snake case (GitHub's "Permissions required for GitHub Apps" names both).
const KEYS = {
  "Commit statuses": "statuses",
  "Code scanning alerts": "security_events",
  "Dependabot alerts": "vulnerability_alerts",
  "Personal access token requests": "organization_personal_access_token_requests",
};
const keyOf = (title, scope) =>
  KEYS[title] || (title === "Projects" ? scope + "_projects" : title.toLowerCase().replace(/ /g, "_"));
const events = {};
for (const [, hook] of Object.entries(spec["x-webhooks"])) {
  const op = hook.post;
  const event = op["x-github"] && op["x-github"].subcategory;
  const m = pattern.exec(op.summary || "");
  if (!event || !m) continue;
  // check_suite's summary names no scope ("the \"Checks\" permission"): a repository permission
  const scope = m[3] || "repository";
  events[event] = { permission: keyOf(m[2], scope), permission_title: m[2], scope, level: m[1] };
}
const sorted = {};
for (const k of Object.keys(events).sort()) sorted[k] = events[k];
const out = {
  source: { package: "@octokit/openapi", version, file: "generated/api.github.com.json",
            license: "MIT", note: "Written by cli/scripts/update-webhook-permissions.sh; do not edit by hand." },
  events: sorted,
};
fs.writeFileSync(outFile, JSON.stringify(out, null, 2) + "\n");
console.log(`${outFile}: ${Object.keys(sorted).length} events`);
JS
