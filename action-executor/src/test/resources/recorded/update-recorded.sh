#!/usr/bin/env bash
# Regenerates the GitHub answers RestGitHubClientRecordedTest replays, from two npm packages:
#   - @octokit/fixtures: exchanges recorded from api.github.com (scenarios/api.github.com/*/normalized-fixture.json)
#   - @octokit/openapi:  the example responses of GitHub's REST OpenAPI description
# The build never runs this: it reads the committed gzips, so Java + Maven are enough.
#
#   action-executor/src/test/resources/recorded/update-recorded.sh [fixtures-version] [openapi-version]
#
# Each scenario file is gzipped byte for byte; of the OpenAPI description only the examples that
# exchanges.json names are kept. source.properties records versions and SHA-256s, which
# RecordedGitHub checks on load. exchanges.json (which request gets which answer) is written by hand.
set -euo pipefail

FIXTURES_VERSION="${1:-23.1.2}"
OPENAPI_VERSION="${2:-23.0.2}"
SCENARIOS=(add-labels-to-issue get-repository errors branch-protection)
EXAMPLES=(issue label-items-2 issue-comment issue-comment-items private-user)

here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "@octokit/fixtures@$FIXTURES_VERSION" >/dev/null \
  && mkdir f && tar xzf octokit-fixtures-*.tgz -C f)
(cd "$work" && npm pack --silent "@octokit/openapi@$OPENAPI_VERSION" >/dev/null \
  && mkdir o && tar xzf octokit-openapi-*.tgz -C o package/generated/api.github.com.json \
       package/package.json package/LICENSE)

for manifest in "$work/f/package/package.json" "$work/o/package/package.json"; do
  license="$(node -p "require('$manifest').license")"
  if [[ "$license" != "MIT" ]]; then
    echo "$manifest is licensed '$license', not MIT: review LICENSE and NOTICE first" >&2
    exit 1
  fi
done

dest="$here/octokit-fixtures"
mkdir -p "$dest"
cp "$work/f/package/LICENSE.md" "$dest/LICENSE"
{
  echo "# Written by update-recorded.sh; do not edit by hand."
  echo "package=@octokit/fixtures"
  echo "version=$FIXTURES_VERSION"
  echo "license=MIT"
  for s in "${SCENARIOS[@]}"; do
    src="$work/f/package/scenarios/api.github.com/$s/normalized-fixture.json"
    gzip -9 -n -c "$src" >"$dest/$s.json.gz"
    echo "sha256.$s=$(sha256sum "$src" | cut -d' ' -f1)"
  done
} >"$dest/source.properties"

# GitHubAppTest (outside this folder's test) reads a closed issue 18 from here: adapted from the
# issue add-labels-to-issue created, see NOTICE
node -e '
  const [scenario, out] = process.argv.slice(1);
  const issue = JSON.parse(JSON.stringify(require(scenario)[0].response).split("/issues/1\"").join("/issues/18\""));
  Object.assign(issue, {number: 18, state: "closed", state_reason: "not_planned", closed_at: issue.updated_at});
  require("fs").writeFileSync(out, JSON.stringify(issue, null, 2) + "\n");
' "$work/f/package/scenarios/api.github.com/add-labels-to-issue/normalized-fixture.json" \
  "$here/issue-18-closed-not-planned.json"

dest="$here/openapi-examples"
mkdir -p "$dest"
cp "$work/o/package/LICENSE" "$dest/LICENSE"
spec="$work/o/package/generated/api.github.com.json"
node -e '
  const spec = require(process.argv[1]);
  const out = {};
  for (const name of process.argv.slice(2)) out[name] = spec.components.examples[name].value;
  process.stdout.write(JSON.stringify(out, null, 2) + "\n");
' "$spec" "${EXAMPLES[@]}" >"$work/examples.json"
gzip -9 -n -c "$work/examples.json" >"$dest/examples.json.gz"
{
  echo "# Written by update-recorded.sh; do not edit by hand."
  echo "package=@octokit/openapi"
  echo "version=$OPENAPI_VERSION"
  echo "license=MIT"
  echo "file=generated/api.github.com.json"
  echo "sha256.file=$(sha256sum "$spec" | cut -d' ' -f1)"
  echo "sha256.examples=$(sha256sum "$work/examples.json" | cut -d' ' -f1)"
  echo "examples=$(IFS=,; echo "${EXAMPLES[*]}")"
} >"$dest/source.properties"
echo "updated to @octokit/fixtures@$FIXTURES_VERSION and @octokit/openapi@$OPENAPI_VERSION"
