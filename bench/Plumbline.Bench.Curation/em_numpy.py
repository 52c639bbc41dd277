"""The same Dawid-Skene EM and Krippendorff's alpha (nominal) as Plumbline.Core.Curation, in NumPy.

    python3 em_numpy.py ds|alpha DIR ITERATIONS

Reads DIR/task.i32, worker.i32, label.i32 (little-endian int32) and DIR/meta.json; prints one JSON line
with the seconds of the algorithm alone (loading excluded), the peak resident set size and a check value.
The EM follows crowd-kit's form, like the C# one: majority-vote start, M-step (confusions clipped at 1e-10
and normalised per true class, priors = mean posterior), E-step in log space, the evidence lower bound
computed every iteration; a fixed number of iterations so both sides do the same work.
"""
import json
import resource
import sys
import time

import numpy as np


def load(folder):
    meta = json.load(open(f"{folder}/meta.json"))
    t = np.fromfile(f"{folder}/task.i32", dtype="<i4").astype(np.int64)
    w = np.fromfile(f"{folder}/worker.i32", dtype="<i4").astype(np.int64)
    y = np.fromfile(f"{folder}/label.i32", dtype="<i4").astype(np.int64)
    return meta, t, w, y


def dawid_skene(t, w, y, T, W, K, iterations):
    post = np.bincount(t * K + y, minlength=T * K).reshape(T, K).astype(np.float64)
    post /= post.sum(axis=1, keepdims=True)
    wy = w * K + y

    def m_step(post):
        errors = np.stack([np.bincount(wy, weights=post[t, c], minlength=W * K) for c in range(K)], axis=-1).reshape(W, K, K)
        np.maximum(errors, 1e-10, out=errors)
        errors /= errors.sum(axis=1, keepdims=True)
        return errors

    priors = post.mean(axis=0)
    errors = m_step(post)
    for _ in range(iterations):
        log_errors = np.log(errors)
        per_label = log_errors[w, y, :]
        ll = np.stack([np.bincount(t, weights=per_label[:, c], minlength=T) for c in range(K)], axis=-1)
        ll += np.log(priors)
        ll -= ll.max(axis=1, keepdims=True)
        post = np.exp(ll)
        post /= post.sum(axis=1, keepdims=True)
        priors = post.mean(axis=0)
        errors = m_step(post)
        log_errors = np.log(errors)
        joint = (post[t] * (log_errors[w, y, :] + np.log(priors))).sum()
        nz = post[post > 0]
        elbo = (joint - (nz * np.log(nz)).sum()) / len(t)
    return post, errors, elbo


def alpha_nominal(t, y, T, K):
    n = np.bincount(t * K + y, minlength=T * K).reshape(T, K).astype(np.float64)
    m = n.sum(axis=1)
    keep = m >= 2
    n, m = n[keep], m[keep]
    scaled = n / (m - 1)[:, None]
    o = scaled.T @ n - np.diag(scaled.sum(axis=0))
    marginal = o.sum(axis=1)
    total = marginal.sum()
    observed = o.sum() - np.trace(o)
    expected = total * total - (marginal ** 2).sum()
    return 1 - (total - 1) * observed / expected


def main():
    task, folder, iterations = sys.argv[1], sys.argv[2], int(sys.argv[3])
    meta, t, w, y = load(folder)
    T, W, K = meta["tasks"], meta["workers"], meta["classes"]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    if task == "ds":
        post, errors, elbo = dawid_skene(t, w, y, T, W, K, iterations)
        seconds = time.perf_counter() - start
        labels = post.argmax(axis=1).astype("<i4")
        labels.tofile(f"{folder}/labels-numpy.i32")
        truth = np.fromfile(f"{folder}/truth.i32", dtype="<i4")
        check = {"accuracy": float((labels == truth).mean()), "elbo": float(elbo)}
    else:
        value = alpha_nominal(t, y, T, K)
        seconds = time.perf_counter() - start
        check = {"alpha": float(value)}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"impl": "numpy", "task": task, "seconds": seconds, "peak_rss_mb": peak, "rss_before_mb": rss_before, "check": check, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
