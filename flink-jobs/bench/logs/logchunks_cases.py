#!/usr/bin/env python3
"""Reads LogChunks' labelled failure chunks (tool/example-sets/BuildFailureReason/<lang>/<repo>.xml)
into one JSON list: set (language/repo), path of the log under tool/samples, keywords, category
(the authors' failure category within the repository) and output (the chunk that says why the
build failed). Some files are not well-formed XML, so the examples are read with a regular
expression. Usage: logchunks_cases.py <dir with tool/> > cases.json"""
import glob
import html
import json
import os
import re
import sys

root = sys.argv[1]
cases = []
for f in sorted(glob.glob(os.path.join(root, "tool/example-sets/BuildFailureReason/*/*.xml"))):
    raw = open(f, encoding="utf-8", errors="replace").read()
    name = f.split("BuildFailureReason/")[1][: -len(".xml")]
    for m in re.finditer(r"<ExampleDataOfString>(.*?)</ExampleDataOfString>", raw, re.S):
        block = m.group(1)

        def field(tag):
            mm = re.search(r"<%s>(.*?)</%s>" % (tag, tag), block, re.S)
            return html.unescape(mm.group(1)) if mm else None

        cases.append(
            dict(
                set=name,
                path=field("InputPath"),
                keywords=field("Keywords"),
                category=field("Category"),
                output=field("Output"),
            )
        )
json.dump(cases, sys.stdout)
print(f"{len(cases)} labelled logs", file=sys.stderr)
