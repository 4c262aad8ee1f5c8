#!/usr/bin/env python3
"""SAM's own translator test suite as an oracle for SL002 on generated resources.

Usage: run.py SAGELINT_BINARY SAM_REPO_CHECKOUT

For each valid input of aws/serverless-application-model `tests/translator/input/*.yaml` (not
`error_*`), lints it (adding `Transform: AWS::Serverless-2016-10-31` when the input leaves it out,
as every deployable SAM template has it) and lists each SL002 on a name the translated output
`tests/translator/output/<name>.json` defines: a false error. A dotted `X.Prop` counts as defined
only when the output no longer contains it (SAM resolved it). The other SL002s are names the
inputs really leave undefined (the suite does not deploy its inputs).

The suite is not in the `aws-sam-translator` sdist on PyPI, so this script is not a CI test; the
cases it found are fixtures under testdata/rules/SL002/ and unit tests in
src/formats/cloudformation/sam_generated.rs. In CI, tests/sam_translator.rs runs the translator
from PyPI on every SAM template under testdata/ and requires SL002 on exactly the names the
translated stack leaves undefined.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

binary, repo = sys.argv[1], sys.argv[2]
root = os.path.join(repo, "tests", "translator")
false_errors, other = [], 0
with tempfile.TemporaryDirectory() as scratch:
    for name in sorted(os.listdir(os.path.join(root, "input"))):
        if name.startswith("error_") or not name.endswith(".yaml"):
            continue
        output = os.path.join(root, "output", name[:-5] + ".json")
        if not os.path.exists(output):
            continue
        with open(output) as f:
            output_text = f.read()
        defined = set(json.loads(output_text).get("Resources", {}))
        with open(os.path.join(root, "input", name)) as f:
            text = f.read()
        if not re.search(r"^Transform:", text, re.M):
            text = "Transform: AWS::Serverless-2016-10-31\n" + text
        path = os.path.join(scratch, name)
        with open(path, "w") as f:
            f.write(text)
        run = subprocess.run(
            [binary, "check", "--format", "json", "--no-code", "--select", "SL002", path],
            capture_output=True, text=True, check=False,
        )
        for d in json.loads(run.stdout)["diagnostics"]:
            m = re.search(r"refers to (\S+?),? which", d["message"])
            if not m:
                other += 1
                continue
            ident = m.group(1)
            bare = ident.split(".")[0]
            if ident in defined or (bare in defined and ("." not in ident or ident not in output_text)):
                false_errors.append(f"{name}:{d['line']}: {d['message']}")
            else:
                other += 1
print("\n".join(false_errors))
print(f"false SL002 on names the output defines: {len(false_errors)}; other SL002: {other}")
sys.exit(1 if false_errors else 0)
