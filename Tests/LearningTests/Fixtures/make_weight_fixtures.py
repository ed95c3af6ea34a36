"""Generates parity/weights.json: scikit-learn's DecisionTreeClassifier and RandomForestClassifier fitted with
sample_weight, class_weight (a dict, "balanced", "balanced_subsample") and min_weight_fraction_leaf, plus
compute_class_weight / compute_sample_weight, on the datasets in datasets/ (issue #16, weights).

Run from the repository root with the versions recorded in the file:
    python3 -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install scikit-learn==1.9.1 numpy
    /tmp/skvenv/bin/python Tests/LearningTests/Fixtures/make_weight_fixtures.py
The output is committed; tests never need Python. Floats are written with Python's repr (shortest text that
round-trips). Each case says whether its weights are whole numbers ("exact": Swift's integer tree builder) or
fractional (its weighted builder, which adds weights in scikit-learn's order); both must give the same bits.
"""
import json
import os
import platform
import sys

import numpy as np
import scipy
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.class_weight import compute_class_weight, compute_sample_weight

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "parity", "weights.json")


def load(name):
    data = np.loadtxt(os.path.join(HERE, "datasets", name + ".csv"), delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1].astype(int)


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=float).ravel()]


def nodes(tree):
    t = tree.tree_
    return {"left": t.children_left.tolist(), "right": t.children_right.tolist(), "feature": t.feature.tolist(),
            "threshold": floats(t.threshold), "samples": t.n_node_samples.tolist(),
            "weighted": floats(t.weighted_n_node_samples), "impurity": floats(t.impurity),
            "value": [floats(v) for v in t.value[:, 0, :]]}


def weights(kind, n, seed):
    rng = np.random.RandomState(seed)
    if kind is None:
        return None
    if kind == "uniform":  # fractional
        return rng.uniform(0.2, 3.0, n)
    if kind == "integers":  # whole numbers with zeros
        return rng.randint(0, 4, n).astype(float)
    if kind == "quarters":  # dyadic fractions: every sum exact
        return rng.randint(1, 12, n) / 4.0
    raise ValueError(kind)


def class_weight_json(cw):
    if cw is None or isinstance(cw, str):
        return cw
    return {str(k): v for k, v in cw.items()}


TREE_CASES = [
    # name, dataset, params, sample weight kind, class_weight, exact
    ("iris-dict", "iris", {"random_state": 0}, None, {0: 1, 1: 3, 2: 2}, True),
    ("iris-integers-partial-dict", "iris", {"random_state": 3, "max_depth": 4}, "integers", {1: 2.0}, True),
    ("wine-balanced", "wine", {"random_state": 1}, None, "balanced", False),
    ("wine-entropy-uniform-balanced", "wine", {"random_state": 2, "criterion": "entropy",
                                                "min_weight_fraction_leaf": 0.05}, "uniform", "balanced", False),
    ("cancer-uniform", "breast_cancer", {"random_state": 4}, "uniform", None, False),
    ("cancer-uniform-leaf", "breast_cancer", {"random_state": 5, "min_samples_leaf": 5, "max_depth": 6,
                                              "min_weight_fraction_leaf": 0.1}, "uniform", None, False),
    ("cancer-quarters-sqrt", "breast_cancer", {"random_state": 6, "max_features": "sqrt"}, "quarters", None, True),
    ("digits-quarters", "digits", {"random_state": 7, "max_features": "sqrt"}, "quarters", "balanced", False),
    ("digits-integers-fraction", "digits", {"random_state": 8, "min_weight_fraction_leaf": 0.01}, "integers",
     None, True),
]

FOREST_CASES = [
    ("iris-balanced", "iris", {"n_estimators": 10, "random_state": 0}, None, "balanced", True),
    ("wine-balanced-subsample", "wine", {"n_estimators": 10, "random_state": 1}, None, "balanced_subsample", False),
    ("cancer-uniform-oob", "breast_cancer", {"n_estimators": 15, "random_state": 2, "oob_score": True}, "uniform",
     None, True),
    ("iris-no-bootstrap-dict", "iris", {"n_estimators": 5, "random_state": 3, "bootstrap": False}, "uniform",
     {0: 2, 1: 1, 2: 5}, False),
    ("wine-subsample-no-bootstrap", "wine", {"n_estimators": 5, "random_state": 4, "bootstrap": False}, None,
     "balanced_subsample", False),
    ("digits-integers-subsample", "digits", {"n_estimators": 10, "random_state": 5, "min_weight_fraction_leaf": 0.002},
     "integers", "balanced_subsample", False),
]


def tree_cases():
    cases = []
    for i, (name, dataset, params, kind, cw, exact) in enumerate(TREE_CASES):
        X, y = load(dataset)
        sw = weights(kind, len(y), 100 + i)
        model = DecisionTreeClassifier(class_weight=cw, **params).fit(X, y, sample_weight=sw)
        cases.append({"name": name, "dataset": dataset, "params": params, "sampleWeight": None if sw is None else floats(sw),
                      "classWeight": class_weight_json(cw), "exact": exact, "nodes": nodes(model),
                      "proba": model.predict_proba(X).tolist(), "predict": model.predict(X).tolist(),
                      "importances": floats(model.feature_importances_)})
    return cases


def forest_cases():
    cases = []
    for i, (name, dataset, params, kind, cw, exact) in enumerate(FOREST_CASES):
        X, y = load(dataset)
        sw = weights(kind, len(y), 200 + i)
        model = RandomForestClassifier(class_weight=cw, **params).fit(X, y, sample_weight=sw)
        cases.append({"name": name, "dataset": dataset, "params": params, "sampleWeight": None if sw is None else floats(sw),
                      "classWeight": class_weight_json(cw), "exact": exact,
                      "firstTree": nodes(model.estimators_[0]),
                      "nodeCounts": [e.tree_.node_count for e in model.estimators_],
                      "proba": model.predict_proba(X).tolist(), "predict": model.predict(X).tolist(),
                      "importances": floats(model.feature_importances_),
                      "oobScore": float(model.oob_score_) if params.get("oob_score") else None})
    return cases


def helper_cases():
    rng = np.random.RandomState(9)
    y = rng.choice([2, 5, 9], size=40, p=[0.6, 0.3, 0.1])
    sw = rng.uniform(0.5, 2.0, 40)
    indices = rng.randint(0, 40, 40)
    return {"y": y.tolist(), "sampleWeight": floats(sw), "indices": indices.tolist(),
            "balanced": floats(compute_class_weight("balanced", classes=np.unique(y), y=y)),
            "balancedWeighted": floats(compute_class_weight("balanced", classes=np.unique(y), y=y, sample_weight=sw)),
            "sampleBalanced": floats(compute_sample_weight("balanced", y)),
            "sampleDict": floats(compute_sample_weight({2: 0.5, 5: 3.0}, y)),
            "sampleSubsample": floats(compute_sample_weight("balanced", y, indices=indices[indices % 7 != 0]))}


def main():
    versions = {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
                "scikit-learn": sklearn.__version__, "platform": platform.platform()}
    result = {"versions": versions, "trees": tree_cases(), "forests": forest_cases(), "helpers": helper_cases()}
    with open(OUT, "w") as f:
        json.dump(result, f, separators=(",", ":"), allow_nan=False)
    print("wrote", OUT, os.path.getsize(OUT), "bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
