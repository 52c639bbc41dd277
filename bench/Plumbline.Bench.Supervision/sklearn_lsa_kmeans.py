#!/usr/bin/env python3
"""Baseline for the behaviour-diff benchmark: TfidfVectorizer + TruncatedSVD + Normalizer + KMeans
(scikit-learn from Debian's python3-sklearn) on the same texts with the same k and dimensions.
Usage: sklearn_lsa_kmeans.py TEXTS.jsonl K DIMS LABELS_OUT → prints {"seconds", "cpu_seconds", "embed_seconds", "peak_mib"}"""
import json, resource, sys, time
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import Normalizer
from sklearn.cluster import KMeans

path, k, dims, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8")]
start = time.perf_counter()
cpu_start = time.process_time()
x = TfidfVectorizer().fit_transform(texts)
x = TruncatedSVD(n_components=dims, algorithm="randomized", n_iter=5, random_state=0).fit_transform(x)
x = Normalizer(copy=False).fit_transform(x)
embedded = time.perf_counter()
labels = KMeans(n_clusters=k, n_init=4, init="k-means++", algorithm="lloyd", random_state=0).fit_predict(x)
end = time.perf_counter()
cpu_end = time.process_time()
with open(out, "w") as f:
    f.write("\n".join(str(l) for l in labels))
print(json.dumps({"seconds": end - start, "cpu_seconds": cpu_end - cpu_start, "embed_seconds": embedded - start,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
