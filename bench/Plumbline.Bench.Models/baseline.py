"""Peer baselines for bench/Plumbline.Bench.Models, run in the same session by the C# bench.

usage: /usr/bin/python3 baseline.py LSA_TEXTS NGRAM_SUBSET DIMENSIONS SEED
prints one JSON document.
  lsa: scikit-learn TfidfVectorizer() + TruncatedSVD(n_components=D, algorithm="randomized", n_iter=5)
       (fit_transform on all texts), timed separately and together.
  ngram: NLTK KneserNeyInterpolated(order=3) fit on the subset (pre-tokenized with a regex like
       Plumbline's tokenizer; tokenization is timed separately), then score() per token on the first
       2,000 tokens and generate() of up to 200 tokens.
"""
import json
import re
import sys
import time

lsa_path, ngram_path, dims, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
result = {}

import sklearn
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

with open(lsa_path, encoding="utf-8") as f:
    texts = [line.rstrip("\n") for line in f]
t0 = time.perf_counter()
tfidf = TfidfVectorizer()
x = tfidf.fit_transform(texts)
t1 = time.perf_counter()
svd = TruncatedSVD(n_components=dims, algorithm="randomized", n_iter=5, random_state=seed)
embedded = svd.fit_transform(x)
t2 = time.perf_counter()
result["lsa"] = {
    "library": f"scikit-learn {sklearn.__version__}",
    "texts": len(texts),
    "terms": len(tfidf.vocabulary_),
    "tfidf_seconds": t1 - t0,
    "svd_seconds": t2 - t1,
    "total_seconds": t2 - t0,
    "singular_values": [float(v) for v in svd.singular_values_[:5]],
}

try:
    import nltk
    from nltk.lm import KneserNeyInterpolated
    from nltk.lm.preprocessing import padded_everygram_pipeline

    token = re.compile(r"\w+(?:['\u2019-]\w+)*|[^\w\s]")
    with open(ngram_path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f]
    t0 = time.perf_counter()
    sentences = [token.findall(line) for line in lines]
    t1 = time.perf_counter()
    tokens = sum(len(s) + 1 for s in sentences)
    train, vocab = padded_everygram_pipeline(3, sentences)
    lm = KneserNeyInterpolated(3)
    lm.fit(train, vocab)
    t2 = time.perf_counter()
    scored = 0
    flat = [w for s in sentences for w in ["<s>", "<s>"] + s + ["</s>"]]
    t3 = time.perf_counter()
    for i in range(2, len(flat)):
        if flat[i] == "<s>":
            continue
        lm.score(flat[i], flat[i - 2:i])
        scored += 1
        if scored >= 2000:
            break
    t4 = time.perf_counter()
    generated = lm.generate(200, text_seed=["<s>", "<s>"], random_seed=seed)
    t5 = time.perf_counter()
    result["ngram"] = {
        "library": f"NLTK {nltk.__version__} KneserNeyInterpolated(3)",
        "bytes": sum(len(line.encode("utf-8")) + 1 for line in lines),
        "tokens": tokens,
        "tokenize_seconds": t1 - t0,
        "train_seconds": t2 - t1,
        "score_tokens": scored,
        "score_seconds": t4 - t3,
        "generate_tokens": len(generated),
        "generate_seconds": t5 - t4,
    }
except ImportError as e:
    result["ngram"] = {"error": f"NLTK not installed ({e}); apt-get install python3-nltk"}

print(json.dumps(result))
