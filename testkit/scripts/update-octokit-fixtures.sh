#!/usr/bin/env bash
# Regenerates the webhook payload fixtures from the npm package @octokit/webhooks-examples.
# The build never runs this: it reads the committed gzip, so Java + Maven are enough.
#
#   testkit/scripts/update-octokit-fixtures.sh [version]     (default: the version below)
#
# The gzip holds the package's api.github.com/index.json byte for byte, so every payload keeps
# its exact original text; source.properties records the version and the SHA-256 that a test checks.
# LICENSE is not regenerated: the package ships none (its package.json says MIT).
set -euo pipefail

VERSION="${1:-7.6.1}"
PACKAGE="@octokit/webhooks-examples"

testkit="$(cd "$(dirname "$0")/.." && pwd)"
dest="$testkit/src/main/resources/octokit/webhooks-examples"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null && tar xzf ./*.tgz)

manifest="$work/package/package.json"
license="$(node -p "require('$manifest').license")"
description="$(node -p "require('$manifest').description")"
author="$(node -p "require('$manifest').author")"
if [[ "$license" != "MIT" ]]; then
  echo "$PACKAGE@$VERSION is licensed '$license', not MIT: review LICENSE and NOTICE before updating" >&2
  exit 1
fi

index="$work/package/api.github.com/index.json"
mkdir -p "$dest"
gzip -9 -n -c "$index" >"$dest/api.github.com.json.gz"
sha256="$(sha256sum "$index" | cut -d' ' -f1)"

cat >"$dest/source.properties" <<PROPS
# Written by testkit/scripts/update-octokit-fixtures.sh; do not edit by hand.
package=$PACKAGE
version=$VERSION
license=$license
file=api.github.com/index.json
sha256=$sha256
PROPS

cat >"$dest/NOTICE" <<NOTICE
api.github.com.json.gz is the file api.github.com/index.json of the npm package
$PACKAGE version $VERSION, gzipped and otherwise unchanged.

  package:    $PACKAGE@$VERSION ("$description")
  author:     $author
  repository: github:octokit/webhooks
  license:    $license (see LICENSE in this directory; the package names MIT in its
              package.json but ships no license file, so LICENSE holds the MIT text
              of the octokit/webhooks repository)
  sha256 of index.json: $sha256
NOTICE

node -e '
  const d = require(process.argv[1]);
  const n = d.reduce((sum, e) => sum + e.examples.length, 0);
  console.log(`updated to ${process.argv[2]}: ${d.length} event types, ${n} payloads`);
  console.log("adjust the counts in WebhookExamplesTest if they changed");
' "$index" "$PACKAGE@$VERSION"
