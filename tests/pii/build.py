#!/usr/bin/env python3
# Builds a labelled JSONL file from marked-up notes: {{LABEL|text}} marks a span.
# usage: build.py SOURCE.src.txt OUT.jsonl OUT_registry.jsonl DOC_ID_PREFIX
import json, re, sys
src, out, reg_out, prefix = sys.argv[1:5]
blocks = open(src, encoding="utf-8").read().split("\n=====\n")
M = re.compile(r"\{\{([A-Z_]+)\|(.*?)\}\}", re.S)
docs, regs = [], []
for k, b in enumerate(blocks, 1):
    head, body = b.split("\n", 1)
    meta = json.loads(head)
    text, spans, pos = "", [], 0
    for m in M.finditer(body):
        text += body[pos:m.start()]
        s = len(text); text += m.group(2)
        spans.append({"start": s, "end": len(text), "label": m.group(1), "text": m.group(2)})
        pos = m.end()
    text += body[pos:]
    for sp in spans: assert text[sp["start"]:sp["end"]] == sp["text"]
    did = f"{prefix}{k:02d}"
    docs.append({"doc_id": did, "split": "dev", "kind": meta["kind"], "text": text, "spans": spans})
    regs.append({"doc_id": did, "split": "dev", "names": meta.get("registry", [])})
with open(out, "w", encoding="utf-8") as f:
    for d in docs: f.write(json.dumps(d, ensure_ascii=False) + "\n")
with open(reg_out, "w", encoding="utf-8") as f:
    for r in regs: f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(docs), "docs,", sum(len(d["spans"]) for d in docs), "spans")
