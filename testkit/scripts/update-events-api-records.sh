#!/usr/bin/env bash
# Re-extracts the real Events API records of testkit/src/main/resources/events-api-records/ from
# the git repositories that sources.json names, and checks that each is still the same text.
# None of them is published to a package registry, so this reads local clones:
#
#   git clone https://github.com/XAMPPRocky/octocrab    SRC/XAMPPRocky+octocrab
#   git clone https://github.com/hub4j/github-api       SRC/hub4j+github-api
#   git clone https://github.com/LiderB/github-activity SRC/LiderB+github-activity
#   testkit/scripts/update-events-api-records.sh SRC            (check only)
#   testkit/scripts/update-events-api-records.sh SRC --write    (write the files, record hashes)
#
# SRC/<owner>+<name> may be a work tree, a bare clone, or a directory holding one as "repo".
# With --write, edit sources.json first (repository, path, commit, license, license_files, and
# "extract" for a part of a file) and review NOTICE by hand. The build never runs this script.
# Needs git and node.
set -euo pipefail

src="${1:?usage: $0 SOURCES_DIR [--write]}"
write="${2:-}"
testkit="$(cd "$(dirname "$0")/.." && pwd)"
dest="$testkit/src/main/resources/events-api-records"

node - "$src" "$dest" "$write" <<'JS'
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");
const { execFileSync } = require("child_process");
const [src, dest, write] = process.argv.slice(2);
const manifestFile = path.join(dest, "sources.json");
const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));

function gitDir(repository) {
  const dir = path.join(src, repository.replace("/", "+"));
  return fs.existsSync(path.join(dir, "repo")) ? path.join(dir, "repo") : dir;
}
function show(repository, rev) {
  return execFileSync("git", ["-C", gitDir(repository), "show", rev], { maxBuffer: 1 << 30 });
}
// "extract": the template literal after `const expected = \`` up to the next "`;"
function extract(bytes, how) {
  const text = bytes.toString("utf8");
  const start = "const expected = `";
  const from = text.indexOf(start);
  const to = text.indexOf("`;", from + start.length);
  if (!how.startsWith("the text of the template literal") || from < 0 || to < 0) {
    throw new Error(`cannot extract (${how})`);
  }
  return Buffer.from(text.substring(from + start.length, to), "utf8");
}

let changed = 0;
for (const entry of manifest.files) {
  let bytes = show(entry.repository, `${entry.commit}:${entry.path}`);
  const blob = crypto.createHash("sha1")
      .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes])).digest("hex");
  if (entry.extract) bytes = extract(bytes, entry.extract);
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  const same = sha256 === entry.sha256 && (entry.extract || blob === entry.git_blob);
  console.log(`${same ? "same   " : "CHANGED"} ${entry.file}  (${entry.repository} ${entry.commit.slice(0, 10)} ${entry.path})`);
  if (!same) changed++;
  if (write === "--write") {
    fs.mkdirSync(path.dirname(path.join(dest, entry.file)), { recursive: true });
    fs.writeFileSync(path.join(dest, entry.file), bytes);
    entry.sha256 = sha256;
    if (entry.extract) delete entry.git_blob; else entry.git_blob = blob;
  }
  for (const licence of entry.license_files) {
    const name = path.basename(licence);
    const at = fs.existsSync(path.join(dest, licence)) ? null : name;
    if (at && write === "--write") {
      fs.writeFileSync(path.join(dest, licence), show(entry.repository, `${entry.commit}:${name}`));
    }
  }
}
if (write === "--write") {
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 1) + "\n");
} else if (changed > 0) {
  console.error(`${changed} file(s) differ from their source; rerun with --write to take them`);
  process.exit(1);
}
JS
