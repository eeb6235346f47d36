#!/usr/bin/env python3
"""List the default-domain ONNX operators whose schema allows float32 but not float16 for some input
or output, per operator version: the source of the schema half of the fp16 transform's keep list
(src-main/inference/float16/policy.ts).

Run from the repository root:  /usr/bin/python3 scripts/list-float32-only-onnx-inputs.py
Needs onnx (1.12 here: opsets up to 17). Prints one line per operator: its versions and, for each,
the inputs (in) and outputs (out) typed float32-only.
"""
from onnx import defs


def main():
    found = {}
    for schema in defs.get_all_schemas_with_history():
        if schema.domain != '':
            continue
        allowed = {c.type_param_str: set(c.allowed_type_strs) for c in schema.type_constraints}
        only32 = []
        for kind, params in (('in', schema.inputs), ('out', schema.outputs)):
            for i, p in enumerate(params):
                types = allowed.get(p.typeStr, {p.typeStr})
                if 'tensor(float)' in types and 'tensor(float16)' not in types:
                    only32.append(f'{kind} {i} {p.name}')
        found.setdefault(schema.name, {})[schema.since_version] = only32
    for name in sorted(found):
        versions = found[name]
        if any(versions.values()):
            print(name, '; '.join(f'v{v}: {", ".join(versions[v]) or "-"}' for v in sorted(versions)))


if __name__ == '__main__':
    main()
