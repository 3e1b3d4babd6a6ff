#!/usr/bin/env python3
"""The workspace's dependency rules (README, "Architecture"), checked on `cargo metadata`.

- postkamer-domain depends on no other postkamer crate.
- An engine crate (every crate under crates/ but domain, store, core and demo) reaches neither
  postkamer-store nor postkamer-core, through any kind of dependency (tests and benches too):
  it declares the storage it needs as a trait of its own.
- postkamer-store depends on no engine crate and not on core.
- app, server and frontend use the use cases through postkamer-core: their normal dependencies
  among the workspace's crates are core, domain and app only, and none of their dependencies,
  of any kind, is postkamer-store.

Prints each broken rule and exits 1; prints one line and exits 0 when all hold.
"""

import json
import os
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
meta = json.loads(
    subprocess.run(
        ["cargo", "metadata", "--format-version", "1"],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
)

members = set(meta["workspace_members"])
by_id = {p["id"]: p for p in meta["packages"]}
name_of = {i: by_id[i]["name"] for i in members}
id_of = {n: i for i, n in name_of.items()}
edges = {}  # id -> [(dep id, kinds)]
for node in meta["resolve"]["nodes"]:
    if node["id"] in members:
        edges[node["id"]] = [
            (d["pkg"], {k["kind"] or "normal" for k in d["dep_kinds"]})
            for d in node["deps"]
            if d["pkg"] in members
        ]


def direct(name, kinds=None):
    return {
        name_of[d]
        for d, k in edges[id_of[name]]
        if kinds is None or k & kinds
    }


def reachable(name):
    """Workspace crates `name` reaches through dependencies of any kind (its own dev and build
    dependencies, then everything those need to build)."""
    seen, todo = set(), [id_of[name]]
    first = True
    while todo:
        current = todo.pop()
        for dep, kinds in edges[current]:
            # Only the root's dev-dependencies are built with it.
            if not first and kinds == {"dev"}:
                continue
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
        first = False
    return {name_of[i] for i in seen}


def crate_dir(name):
    return os.path.relpath(os.path.dirname(by_id[id_of[name]]["manifest_path"]), root)


broken = []
foundation = {"postkamer-domain", "postkamer-store", "postkamer-core", "postkamer-demo"}
engines = sorted(
    n for n in id_of if crate_dir(n).startswith("crates/") and n not in foundation
)
front = ["postkamer-app", "postkamer-server", "postkamer-frontend"]

if direct("postkamer-domain"):
    broken.append(f"postkamer-domain depends on {sorted(direct('postkamer-domain'))}")
for engine in engines:
    bad = reachable(engine) & {"postkamer-store", "postkamer-core"}
    if bad:
        broken.append(f"{engine} (an engine) reaches {sorted(bad)}: declare a port instead")
bad = direct("postkamer-store") & (set(engines) | {"postkamer-core"})
if bad:
    broken.append(f"postkamer-store depends on {sorted(bad)}")
for crate in front:
    if "postkamer-store" in direct(crate):
        broken.append(f"{crate} depends on postkamer-store: go through postkamer-core")
    bad = direct(crate, {"normal"}) - {"postkamer-core", "postkamer-domain", "postkamer-app"}
    if bad:
        broken.append(f"{crate} depends on {sorted(bad)}: use what postkamer-core offers")

for line in broken:
    print(f"dependency rule broken: {line}")
if broken:
    sys.exit(1)
print(
    f"dependency rules hold: {len(engines)} engine crates ({', '.join(engines)}) without "
    "store or core; app, server and frontend through core and domain"
)
