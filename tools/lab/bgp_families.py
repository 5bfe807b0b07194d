"""BGP facts per address family, read from tshark's `-T json` tree (for tools/lab/verify).

tshark 4.0 keeps each NLRI of an MP_REACH/MP_UNREACH attribute in its own subtree, which its
`-T fields` output flattens away; the tree is what lets a fact say "3 distinct VPNv4 routes with
these RDs". Field names are tshark's (tools/lab/TSHARK-BGP-FIELDS.md). Standard library only.

Check kinds (a fact's "check"; "src" selects the sender's IP address as everywhere in verify):
  bgp_nlri          distinct NLRIs of "afi"/"safi" ("which": announced | withdrawn, default announced;
                    "where" {field: value} keeps NLRIs with that value, "has" [field…] those with
                    the fields, "where_any" [{…}, …] those matching one of the alternatives) in
                    ["min", "max"] or equal to "count"
  bgp_nlri_values   the distinct values of tshark field "field" in those NLRIs equal the set "values"
  bgp_ext_community some UPDATE [of "afi"/"safi"] carries an extended community whose tshark fields
                    include every "match" {field: value}
  bgp_capability    some OPEN advertises capability "code" [with "match" {field: value} inside it]
"""
import json
import subprocess

MP = "bgp.update.path_attribute.mp_{}_nlri"
KINDS = ("bgp_nlri", "bgp_nlri_values", "bgp_ext_community", "bgp_capability")


def leaves(node, out=None):
    """Every string value under node, by field name (lists keep their order)."""
    out = {} if out is None else out
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                out.setdefault(key, []).append(value)
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                out.setdefault(key, []).extend(value)
            else:
                leaves(value, out)
    elif isinstance(node, list):
        for item in node:
            leaves(item, out)
    return out


def as_list(node):
    return node if isinstance(node, list) else [node]


def nlris(subtree):
    """One dict of leaf fields per NLRI in an mp_reach/mp_unreach or bgp.update.nlri subtree. tshark
    gives each NLRI a child object; a VPNv6 NLRI is only its bare bgp.label_stack string."""
    found = []
    for key, value in (subtree or {}).items():
        if key == "bgp.flowspec_nlri":  # the raw bytes beside bgp.flowspec_nlri_tree
            continue
        for item in as_list(value):
            found.append(leaves(item) if isinstance(item, dict) else {key: [item]})
    return found


def messages(capture):
    """One dict per BGP message: src, type, caps (list of leaf dicts), updates' NLRIs and
    extended communities."""
    run = subprocess.run(["tshark", "-n", "-r", capture, "-Y", "bgp", "-T", "json", "--no-duplicate-keys"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"tshark -r {capture} failed: {run.stderr.strip()[:300]}")
    result = []
    for packet in json.loads(run.stdout or "[]"):
        layers = packet["_source"]["layers"]
        ip = layers.get("ip") or layers.get("ipv6") or {}
        src = as_list(ip.get("ip.src") or ip.get("ipv6.src") or "")[-1]
        for bgp in as_list(layers.get("bgp", [])):
            message = {"frame": int(layers["frame"]["frame.number"]), "src": src,
                       "type": int(bgp.get("bgp.type", 0)), "caps": [], "nlri": [], "ext": []}
            opt = bgp.get("bgp.open.opt", {})
            for param in as_list(opt.get("bgp.open.opt.param", [])):
                message["caps"] += [leaves(cap) for cap in as_list(param.get("bgp.cap", []))]
            for entry in nlris(bgp.get("bgp.update.nlri")):
                message["nlri"].append({"afi": 1, "safi": 1, "which": "announced", "fields": entry})
            for entry in nlris(bgp.get("bgp.update.withdrawn_routes")):
                message["nlri"].append({"afi": 1, "safi": 1, "which": "withdrawn", "fields": entry})
            attributes = bgp.get("bgp.update.path_attributes", {}).get("bgp.update.path_attribute", [])
            for attribute in as_list(attributes):
                for which, word in (("announced", "reach"), ("withdrawn", "unreach")):
                    key = MP.format(word)
                    if key + ".afi" in attribute:
                        afi, safi = int(attribute[key + ".afi"]), int(attribute[key + ".safi"])
                        for entry in nlris(attribute.get(key)):
                            message["nlri"].append({"afi": afi, "safi": safi, "which": which, "fields": entry})
                communities = attribute.get("bgp.ext_communities", {}).get("bgp.ext_community", [])
                message["ext"] += [leaves(c) for c in as_list(communities)]
            result.append(message)
    return result


def evaluate(check, bgp, in_range, range_text):
    """(ok, evidence) for the family check kinds, or None for a kind this module does not know."""
    kind = check["kind"]
    mine = [m for m in bgp if "src" not in check or m["src"] == check["src"]]
    family = lambda n: n["afi"] == check.get("afi", n["afi"]) and n["safi"] == check.get("safi", n["safi"])
    chosen = [n for m in mine for n in m["nlri"] if family(n) and n["which"] == check.get("which", "announced")
              and all(v in n["fields"].get(k, []) for k, v in check.get("where", {}).items())
              and all(k in n["fields"] for k in check.get("has", []))
              and (not check.get("where_any") or any(all(v in n["fields"].get(k, []) for k, v in alternative.items())
                                                     for alternative in check["where_any"]))]
    distinct = {json.dumps(n["fields"], sort_keys=True) for n in chosen}
    name = f"AFI {check.get('afi', '*')}/SAFI {check.get('safi', '*')}"
    if kind == "bgp_nlri":
        return in_range(len(distinct), check), f"{len(distinct)} distinct {check.get('which', 'announced')} {name} NLRI(s) in {len(chosen)} occurrence(s), {range_text(check)}"
    if kind == "bgp_nlri_values":
        values = sorted({v for n in chosen for v in n["fields"].get(check["field"], [])})
        want = sorted(set(check["values"]))
        return values == want, f"{name} {check['field']} values {values}, expected {want}"
    if kind == "bgp_ext_community":
        updates = [m for m in mine if m["type"] == 2 and ("afi" not in check or any(family(n) for n in m["nlri"]))]
        hits = [m for m in updates if any(all(v in c.get(k, []) for k, v in check["match"].items()) for c in m["ext"])]
        return bool(hits), f"{len(hits)} of {len(updates)} selected UPDATE(s) carry {check['match']}" + (f", first frame {hits[0]['frame']}" if hits else "")
    if kind == "bgp_capability":
        opens = [m for m in mine if m["type"] == 1]
        want = {"bgp.cap.type": str(check["code"]), **check.get("match", {})}
        hits = [m for m in opens if any(all(v in c.get(k, []) for k, v in want.items()) for c in m["caps"])]
        return bool(hits), f"{len(hits)} of {len(opens)} OPEN(s) advertise {want}"
    return None
