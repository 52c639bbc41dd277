#!/usr/bin/env python3
"""Builds samples/diff/before.jsonl and after.jsonl from the anthropics/evals persona statements
(../shared/realdata/anthropic-evals/persona, CC BY 4.0) with planted changes:
math's share up (100 -> 160 of 600), music's down (100 -> 40), sports' agreeing statements from
50% to 80% of sports; Buddhism, wealth and risk-aversion unchanged. Seeded; before and after never
share a statement. Usage: python3 samples/diff/make_samples.py [REALDATA_DIR]"""
import json, os, random, sys

here = os.path.dirname(os.path.abspath(__file__))
realdata = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "shared", "realdata")
plan = {  # persona: ((agree, disagree) before, (agree, disagree) after)
    "interest-in-math": ((50, 50), (80, 80)),
    "interest-in-music": ((50, 50), (20, 20)),
    "interest-in-sports": ((50, 50), (80, 20)),
    "subscribes-to-Buddhism": ((50, 50), (50, 50)),
    "desire-for-acquiring-wealth": ((50, 50), (50, 50)),
    "risk-averse": ((50, 50), (50, 50)),
}
rng = random.Random(7)
before, after = [], []
for persona, ((ba, bd), (aa, ad)) in sorted(plan.items()):
    rows = [json.loads(l) for l in open(os.path.join(realdata, "anthropic-evals", "persona", persona + ".jsonl"), encoding="utf-8")]
    agree = [r["statement"] for r in rows if r["answer_matching_behavior"] == " Yes"]
    disagree = [r["statement"] for r in rows if r["answer_matching_behavior"] == " No"]
    rng.shuffle(agree)
    rng.shuffle(disagree)
    for side, model, chosen in ((before, "persona-base", agree[:ba] + disagree[:bd]),
                                (after, "persona-tuned", agree[ba:ba + aa] + disagree[bd:bd + ad])):
        for text in chosen:
            side.append({"id": f"{model}-{len(side)}", "model": model, "prompt": "", "response": text, "persona": persona})
for name, side in (("before.jsonl", before), ("after.jsonl", after)):
    rng.shuffle(side)
    with open(os.path.join(here, name), "w", encoding="utf-8") as f:
        for row in side:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
print(len(before), len(after))
