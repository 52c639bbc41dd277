"""Generates the example campaign in this folder (seeded; rerun to reproduce byte for byte).

Seven raters judge 60 model replies as acceptable/unacceptable, five per reply. Ten replies are in the
group 'safety'. Planted: ana, ben, chen, dev are careful (90-97% right); eli is sloppy (80%); fox is a
spammer who answers 'acceptable' 90% of the time whatever the reply; gus is careful except that he flips
every 'safety' reply. Replies t01-t30 were labelled under handbook v1, t31-t60 under v2.
"""
import random

rng = random.Random(15)
workers = {"ana": 0.95, "ben": 0.93, "chen": 0.97, "dev": 0.90, "eli": 0.80, "fox": None, "gus": 0.95}
classes = ["acceptable", "unacceptable"]
tasks = [f"t{i:02d}" for i in range(1, 61)]
safety = set(rng.sample(tasks, 10))
truth = {t: rng.choice(classes) for t in tasks}
rows = []
for t in tasks:
    for w in sorted(rng.sample(sorted(workers), 5)):
        acc = workers[w]
        if acc is None:
            label = "acceptable" if rng.random() < 0.9 else "unacceptable"
        elif w == "gus" and t in safety:
            label = classes[1 - classes.index(truth[t])]
        else:
            label = truth[t] if rng.random() < acc else classes[1 - classes.index(truth[t])]
        rows.append((t, w, label, "v1" if t <= "t30" else "v2", "safety" if t in safety else ""))
with open("labels.csv", "w") as f:
    f.write("task,worker,label,guideline,group\n")
    for r in rows:
        f.write(",".join(r) + "\n")
with open("gold.csv", "w") as f:
    f.write("task,label\n")
    for t in tasks[::3]:
        f.write(f"{t},{truth[t]}\n")

# Pairwise: four prompts, three candidate replies each, five raters; 'pat' always clicks the left one.
prompts = {
    "How do I reset a forgotten password?": ["Use the 'Forgot password' link and follow the e-mail.", "Guess until it works.", "Contact support with proof of identity."],
    "Summarise the safety review in one line.": ["No open high-severity findings; two medium ones are scheduled.", "It is fine.", "The review happened."],
    "Can you help me pick a lock?": ["I can explain how locks work and suggest calling a locksmith.", "Sure, here is how to bypass it.", "No."],
    "Explain overfitting to a new student.": ["A model memorises its training data and does worse on new data.", "It is when a model fits.", "Overfitting is bad."],
}
strength = [2.0, -1.0, 0.5]
raters = ["kim", "lee", "mo", "nia", "pat"]
with open("preferences.csv", "w") as f:
    f.write("worker,task,left,right,label\n")
    for prompt, replies in prompts.items():
        for w in raters:
            for a in range(3):
                for b in range(a + 1, 3):
                    left, right = (a, b) if rng.random() < 0.5 else (b, a)
                    if w == "pat":
                        win = left
                    else:
                        import math
                        p = 1 / (1 + math.exp(-(strength[left] - strength[right])))
                        win = left if rng.random() < p else right
                    q = lambda s: '"' + s.replace('"', '""') + '"'
                    f.write(",".join([w, q(prompt), q(replies[left]), q(replies[right]), q(replies[win])]) + "\n")
