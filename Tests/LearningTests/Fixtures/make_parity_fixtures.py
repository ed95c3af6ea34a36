"""Generates the parity fixtures (parity/*.json, datasets/near_equal.csv) with scikit-learn.

Run from the repository root, with scikit-learn installed (see parity/versions.json for the versions
the committed files were made with):
    python3 -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install scikit-learn
    /tmp/skvenv/bin/python Tests/LearningTests/Fixtures/make_parity_fixtures.py
The outputs are committed; tests never need Python.

Each tree is recorded as its nodes in scikit-learn's order (left, right, feature, threshold, n_node_samples,
weighted_n_node_samples, impurity, value) and as a 64-bit FNV-1a digest of a canonical text of those nodes
with every float written as the hex of its IEEE-754 bits (see `canonical`); the Swift tests build the same
text, so a digest match means every field is equal bit for bit.
"""
import json
import os
import platform
import struct
import sys

import numpy as np
import scipy
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "parity")


def bits(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def canonical(tree):
    t = tree.tree_
    parts = []
    for i in range(t.node_count):
        leaf = t.children_left[i] == -1
        values = t.value[i, 0, :]
        parts.append(",".join([
            str(int(t.children_left[i])), str(int(t.children_right[i])),
            "-1" if leaf else str(int(t.feature[i])), bits(0.0) if leaf else bits(t.threshold[i]),
            str(int(t.n_node_samples[i])), bits(t.weighted_n_node_samples[i]), bits(t.impurity[i]),
        ] + [bits(v) for v in values]))
    return ";".join(parts)


def fnv1a(text):
    h = 0xcbf29ce484222325
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def nodes(tree, values=True):
    t = tree.tree_
    leaf = t.children_left == -1
    record = {
        "left": t.children_left.tolist(),
        "right": t.children_right.tolist(),
        "feature": np.where(leaf, -1, t.feature).tolist(),
        "threshold": np.where(leaf, 0.0, t.threshold).tolist(),
        "samples": t.n_node_samples.tolist(),
        "weighted": t.weighted_n_node_samples.tolist(),
        "impurity": t.impurity.tolist(),
    }
    if values:
        record["value"] = t.value[:, 0, :].tolist()
    return record


def load(name):
    data = np.loadtxt(os.path.join(HERE, "datasets", name + ".csv"), delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1].astype(int)


def near_equal_dataset():
    """Constant features, values 1e-9 apart, values one float32 step apart near 1, ties, three classes."""
    rs = np.random.RandomState(7)
    n = 300
    base = rs.randn(n)
    x = np.empty((n, 8))
    x[:, 0] = 1.0                                   # constant everywhere
    x[:, 1] = np.round(base, 1)                     # many ties
    x[:, 2] = np.where(rs.rand(n) < 0.5, 0.0, 1e-9) # 1e-9 apart: one value for scikit-learn
    x[:, 3] = 1.0 + rs.randint(0, 4, n) * 1.1920928955078125e-07  # float32 steps above 1 (within 1e-7 in float32)
    x[:, 4] = rs.randn(n)
    x[:, 5] = (base > 0).astype(float)              # constant within each side of a split on base
    x[:, 6] = 0.1 + rs.randint(0, 3, n) * 1e-9      # 0.1, 0.1+1e-9, 0.1+2e-9
    x[:, 7] = np.round(rs.rand(n) * 4) / 4 + 0.15   # thresholds between float32 values such as 0.15 / 0.4
    score = base + 0.5 * x[:, 4] + 0.3 * (x[:, 3] > 1.0000002)
    y = np.digitize(score, [-0.5, 0.5])
    flip = rs.rand(n) < 0.1
    y[flip] = rs.randint(0, 3, flip.sum())
    with open(os.path.join(HERE, "datasets", "near_equal.csv"), "w") as f:
        f.write(",".join("f%d" % j for j in range(x.shape[1])) + ",target\n")
        for row, label in zip(x, y):
            f.write(",".join(repr(float(v)) for v in row) + ",%d\n" % label)
    return x, y


def forest_case(name, x, y, seed, full_trees):
    xtr_i, xte_i = train_test_split(np.arange(len(y)), test_size=0.25, random_state=seed)
    xtr, xte, ytr = x[xtr_i], x[xte_i], y[xtr_i]
    forest = RandomForestClassifier(n_estimators=100, random_state=seed, n_jobs=1).fit(xtr, ytr)
    return {
        "dataset": name, "seed": seed, "train": xtr_i.tolist(), "test": xte_i.tolist(),
        "nodeCounts": [int(e.tree_.node_count) for e in forest.estimators_],
        "digests": [fnv1a(canonical(e)) for e in forest.estimators_],
        "firstTree": nodes(forest.estimators_[0]) if full_trees else None,
        "proba": forest.predict_proba(xte).tolist(),
        "predict": forest.predict(xte).tolist(),
        "importances": forest.feature_importances_.tolist(),
    }


TREE_VARIANTS = [
    {"criterion": "gini"},
    {"criterion": "entropy"},
    {"criterion": "gini", "max_depth": 3},
    {"criterion": "entropy", "min_samples_leaf": 5},
    {"criterion": "gini", "max_features": "sqrt"},
    {"criterion": "entropy", "max_features": "log2", "max_depth": 6},
    {"criterion": "gini", "max_features": 0.5, "min_samples_split": 10},
    {"criterion": "gini", "max_features": 2, "min_samples_leaf": 3},
]


def tree_case(name, x, y, params, seed):
    xtr_i, xte_i = train_test_split(np.arange(len(y)), test_size=0.25, random_state=seed)
    tree = DecisionTreeClassifier(random_state=seed, **params).fit(x[xtr_i], y[xtr_i])
    return {
        "dataset": name, "seed": seed, "params": params, "train": xtr_i.tolist(), "test": xte_i.tolist(),
        "digest": fnv1a(canonical(tree)), "nodes": nodes(tree, values=False) if seed == 0 else None,
        "probaDigest": fnv1a(";".join(",".join(bits(v) for v in row) for row in tree.predict_proba(x[xte_i]))),
        "predict": tree.predict(x[xte_i]).tolist(),
        "importances": tree.feature_importances_.tolist(),
    }


def tutorial():
    """The tutorial's main program (feedback_system.py) on sample_data.csv: its five printed numbers."""
    data = np.loadtxt(os.path.join(HERE, "sample_data.csv"), delimiter=",", skiprows=1)
    x, y = data[:, :3], data[:, 3].astype(int)
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, random_state=42)
    model = RandomForestClassifier(n_estimators=100, random_state=42).fit(xtr, ytr)
    lines = [float((model.predict(xte) == yte).mean())]
    for _ in range(2):
        predictions = model.predict(xte)
        lines.append(float((predictions == yte).mean()))
        wrong = np.where(predictions != yte)[0]
        lines.append(int(len(wrong)))
        model.fit(xte[wrong], yte[wrong])
        lines.append(float((model.predict(xte) == yte).mean()))
    first = RandomForestClassifier(n_estimators=100, random_state=42).fit(xtr, ytr)
    return {"initialAccuracy": lines[0], "rounds": [lines[1:4], lines[4:7]],
            "digests": [fnv1a(canonical(e)) for e in first.estimators_],
            "proba": first.predict_proba(xte).tolist(), "importances": first.feature_importances_.tolist()}


def behaviours():
    """Warnings and small cases: OOB rows never left out, zero_division, confusion_matrix labels, float32."""
    import warnings
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    def caught(fn):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            result = fn()
        return result, [{"category": x.category.__name__, "message": str(x.message)} for x in w]

    x, y = load("iris")
    oob = []
    for trees in (2, 4, 30):
        for seed in (0, 1):
            forest, w = caught(lambda: RandomForestClassifier(n_estimators=trees, oob_score=True,
                                                              random_state=seed).fit(x, y))
            oob.append({"trees": trees, "seed": seed, "score": float(forest.oob_score_), "warnings": w})
    prf = []
    for y_true, y_pred, labels in [([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 1, 1], None),
                                   ([0, 1, 1, 0], [1, 1, 1, 1], None),
                                   ([0, 1, 1, 0], [0, 1, 1, 0], [0, 1, 5]),
                                   ([1, 1], [1, 1], [1, 2])]:
        for zd in ["warn", 0, 1, "nan"]:
            (p, r, f, s), w = caught(lambda: precision_recall_fscore_support(
                y_true, y_pred, labels=labels, zero_division=np.nan if zd == "nan" else zd))
            prf.append({"yTrue": y_true, "yPred": y_pred, "labels": labels, "zeroDivision": str(zd),
                        "precision": [None if np.isnan(v) else float(v) for v in p],
                        "recall": [None if np.isnan(v) else float(v) for v in r],
                        "f1": [None if np.isnan(v) else float(v) for v in f],
                        "support": s.tolist(), "warnings": w})
    confusion = []
    for y_true, y_pred, labels in [([0, 1, 2], [0, 2, 2], [2, 7]), ([0, 1, 2], [0, 2, 2], [7, 8])]:
        try:
            confusion.append({"yTrue": y_true, "yPred": y_pred, "labels": labels,
                              "counts": confusion_matrix(y_true, y_pred, labels=labels).tolist(), "error": None})
        except ValueError as e:
            confusion.append({"yTrue": y_true, "yPred": y_pred, "labels": labels, "counts": None, "error": str(e)})
    near = DecisionTreeClassifier(random_state=0).fit([[0.0], [1e-9]], [0, 1])
    mid = DecisionTreeClassifier(random_state=0).fit([[0.1], [0.2]], [0, 1])
    return {"oob": oob, "prf": prf, "confusion": confusion,
            "nearEqualNodeCount": int(near.tree_.node_count),
            "midpointThreshold": float(mid.tree_.threshold[0]),
            "midpointPredict": mid.predict([[0.1499999999], [0.15], [0.15000000223517418], [0.1500000023]]).tolist()}


def dump(name, payload):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", name)


def main():
    os.makedirs(OUT, exist_ok=True)
    dump("versions.json", {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
                           "scikit-learn": sklearn.__version__, "platform": platform.platform()})
    datasets = {name: load(name) for name in ["iris", "wine", "breast_cancer", "digits"]}
    datasets["near_equal"] = near_equal_dataset()
    for name, (x, y) in datasets.items():
        dump("forest_%s.json" % name, {"cases": [forest_case(name, x, y, s, s == 0) for s in range(5)]})
        dump("trees_%s.json" % name, {"cases": [tree_case(name, x, y, p, s) for s in (0, 1) for p in TREE_VARIANTS]})
    dump("tutorial.json", tutorial())
    dump("behaviours.json", behaviours())


if __name__ == "__main__":
    main()
