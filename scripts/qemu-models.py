#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""qemu-models.py: write src/core/qemu_tcg_models.c from the QEMU installed here.

Starts qemu-system-x86_64 paused under TCG, asks it over QMP for every CPU
model libvirt's map also defines (query-cpu-model-expansion type=full for
the features the model turns on), then starts it once per model with that
-cpu to read the features QEMU warns TCG cannot give (query-cpu-definitions
leaves out those migration excludes, such as xsaves), and writes them as a
C table, in libvirt's feature names.  Run it when the QEMU version changes:
    scripts/qemu-models.py /usr/share/libvirt/cpu_map > src/core/qemu_tcg_models.c
"""
import json
import os
import re
import subprocess
import sys

SPELLING = {"cmp-legacy": "cmp_legacy", "ds-cpl": "ds_cpl", "fxsr-opt": "fxsr_opt",
            "kvm-pv-eoi": "kvm_pv_eoi", "kvm-pv-unhalt": "kvm_pv_unhalt",
            "lahf-lm": "lahf_lm", "nodeid-msr": "nodeid_msr", "pclmulqdq": "pclmuldq",
            "perfctr-core": "perfctr_core", "perfctr-nb": "perfctr_nb",
            "tsc-adjust": "tsc_adjust"}


def map_names(mapdir):
    feats, models = set(), set()
    for f in os.listdir(mapdir):
        if not f.startswith("x86_") or not f.endswith(".xml"):
            continue
        text = open(os.path.join(mapdir, f)).read()
        feats |= set(re.findall(r"<feature name='([^']+)'", text))
        models |= set(re.findall(r"<model name='([^']+)'>", text))
    return feats, models


def main():
    feats, models = map_names(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/libvirt/cpu_map")
    q = subprocess.Popen(["qemu-system-x86_64", "-machine", "pc,accel=tcg", "-nodefaults",
                          "-display", "none", "-S", "-qmp", "stdio"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def reply():
        while True:
            msg = json.loads(q.stdout.readline())
            if "event" not in msg:
                return msg

    def ask(cmd, args=None):
        msg = {"execute": cmd}
        if args:
            msg["arguments"] = args
        q.stdin.write(json.dumps(msg) + "\n")
        q.stdin.flush()
        return reply()

    def warned(model):
        run = subprocess.run(["qemu-system-x86_64", "-machine", "pc,accel=tcg", "-nodefaults",
                              "-display", "none", "-S", "-cpu", model, "-qmp", "stdio"],
                             input='{"execute": "qmp_capabilities"}\n{"execute": "quit"}\n',
                             capture_output=True, text=True, timeout=60)
        found = re.findall(r"doesn't support requested feature: \S*\.([^.: ]+) \[bit", run.stderr)
        return {SPELLING.get(f, f) for f in found}

    reply()
    ask("qmp_capabilities")
    version = ask("query-version")["return"]["qemu"]
    rows = []
    for d in sorted(ask("query-cpu-definitions")["return"], key=lambda d: d["name"]):
        if d["name"] not in models:
            continue
        exp = ask("query-cpu-model-expansion", {"type": "full", "model": {"name": d["name"]}})
        props = exp["return"]["model"]["props"]
        dropped = warned(d["name"])
        on = sorted(({SPELLING.get(k, k) for k, v in props.items() if v is True} | dropped) & feats)
        off = sorted(dropped & feats)
        rows.append((d["name"], " ".join(on), " ".join(off)))
    q.kill()
    q.wait()
    print("/* SPDX-License-Identifier: LGPL-2.1-or-later */")
    print("/* qemu_tcg_models.c: QEMU %d.%d's x86_64 CPU models under TCG, as QEMU reports them */"
          % (version["major"], version["minor"]))
    print('#include "qemu_tables.h"\n')
    print("/* Written by scripts/qemu-models.py from qemu-system-x86_64 %d.%d.%d: per model"
          % (version["major"], version["minor"], version["micro"]))
    print(" * of libvirt's map, the features QEMU's model turns on and those QEMU warns")
    print(" * TCG cannot give when it starts with that model, in libvirt's names. */")
    print("// clang-format off")
    print("const struct cs_qemu_model_row cs_qemu_tcg_models_%d_%d[] = {"
          % (version["major"], version["minor"]))
    for name, on, off in rows:
        print('\t{"%s",\n\t "%s",\n\t "%s"},' % (name, on, off))
    print("\t{NULL, NULL, NULL},\n};\n// clang-format on")


if __name__ == "__main__":
    main()
