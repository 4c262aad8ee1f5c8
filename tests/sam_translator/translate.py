"""Translate SAM templates the way `sam deploy` does, and list what CloudFormation would reject.

Usage: translate.py TEMPLATE...  (prints one JSON object per line)

Local artefact paths are replaced by S3 URIs first, as `sam package` does before the transform
runs in CloudFormation. For each template it prints the names its translated output references
(Ref, Fn::GetAtt, Fn::Sub, DependsOn, Condition, Fn::If) that the output does not define: CloudFormation rejects
the stack for each. A template the translator rejects is printed with its error instead.
"""
import json
import os
import re
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
from samtranslator.translator.transform import transform  # noqa: E402
from samtranslator.yaml_helper import yaml_parse  # noqa: E402

ARTEFACTS = {
    "AWS::Serverless::Function": ("CodeUri",),
    "AWS::Serverless::LayerVersion": ("ContentUri",),
    "AWS::Serverless::Api": ("DefinitionUri",),
    "AWS::Serverless::HttpApi": ("DefinitionUri",),
    "AWS::Serverless::StateMachine": ("DefinitionUri",),
}
# CloudFormation's pseudo parameters: any other `AWS::` name is undefined.
PSEUDO = {
    "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
    "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
}
SUB_VAR = re.compile(r"\$\{([^!}][^}]*)\}")


class NoManagedPolicies:
    """The translator asks IAM for managed policy ARNs only when a policy is named, not ARNed."""

    def load(self):
        return {}


def package(template):
    for props in [template.get("Globals", {}).get("Function", {})] + [
        r.get("Properties", {})
        for r in (template.get("Resources") or {}).values()
        if isinstance(r, dict) and r.get("Type") in ARTEFACTS and isinstance(r.get("Properties"), dict)
    ]:
        for key in ("CodeUri", "ContentUri", "DefinitionUri"):
            if isinstance(props, dict) and isinstance(props.get(key), str) and not props[key].startswith("s3://"):
                props[key] = "s3://bucket/" + key.lower()


def references(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "Ref" and isinstance(v, str):
                out.add(v)
            elif k == "Fn::GetAtt":
                if isinstance(v, list) and v and isinstance(v[0], str):
                    out.add(v[0])
                elif isinstance(v, str):
                    out.add(v.split(".", 1)[0])
            elif k == "Fn::Sub":
                text, names = (v[0], v[1] if len(v) > 1 else {}) if isinstance(v, list) else (v, {})
                if isinstance(text, str):
                    for name in SUB_VAR.findall(text):
                        name = name.strip().split(".", 1)[0]
                        if not isinstance(names, dict) or name not in names:
                            out.add(name)
            references(v, out)
    elif isinstance(node, list):
        for v in node:
            references(v, out)


def conditions(node, out):
    """Condition names used by resources (`Condition:`), `Fn::If` and condition functions."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "Condition" and isinstance(v, str):
                out.add(v)
            elif k == "Fn::If" and isinstance(v, list) and v and isinstance(v[0], str):
                out.add(v[0])
            conditions(v, out)
    elif isinstance(node, list):
        for v in node:
            conditions(v, out)


def main():
    for path in sys.argv[1:]:
        try:
            with open(path, encoding="utf-8-sig") as f:
                template = yaml_parse(f.read())
            package(template)
            output = transform(template, {}, NoManagedPolicies())
        except Exception as e:  # the translator's verdict on an invalid SAM template
            print(json.dumps({"template": path, "error": f"{type(e).__name__}: {e}"[:300]}))
            continue
        defined = set(output.get("Resources", {})) | set(output.get("Parameters", {}) or {})
        used = set()
        references(output.get("Resources", {}), used)
        references(output.get("Outputs", {}), used)
        for r in output.get("Resources", {}).values():
            deps = r.get("DependsOn", []) if isinstance(r, dict) else []
            used.update([deps] if isinstance(deps, str) else [d for d in deps if isinstance(d, str)])
        undefined = {n for n in used if n not in defined and n not in PSEUDO}
        used_conditions = set()
        conditions(output.get("Resources", {}), used_conditions)
        conditions(output.get("Outputs", {}), used_conditions)
        conditions(output.get("Conditions", {}), used_conditions)
        undefined |= used_conditions - set(output.get("Conditions", {}) or {})
        undefined = sorted(undefined)
        print(json.dumps({"template": path, "undefined": undefined, "defined": sorted(defined)}))


main()
