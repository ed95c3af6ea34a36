"""Generates parity/averaged_metrics.json: scikit-learn's precision_score, recall_score, f1_score and
fbeta_score with every `average` and `zero_division` (values and UndefinedMetricWarning messages), and the
multiclass roc_auc_score (multi_class "ovr"/"ovo", average "macro"/"weighted"/"micro", labels), on fixed
inputs drawn from numpy's RandomState.

Run from the repository root with the versions recorded in the file:
    python3 -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install scikit-learn==1.9.1 numpy
    /tmp/skvenv/bin/python Tests/LearningTests/Fixtures/make_averaged_metrics_fixtures.py
The output is committed; tests never need Python. Floats are written with Python's repr (shortest text that
round-trips); NaN is written as null.
"""
import json
import os
import platform
import sys
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import f1_score, fbeta_score, precision_score, recall_score, roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "parity", "averaged_metrics.json")


def num(v):
    v = float(v)
    return None if np.isnan(v) else v


def prf_cases():
    rng = np.random.RandomState(5)
    pairs = {
        "binary": ([0, 1, 1, 0, 1, 1, 0, 0, 1, 1], [0, 1, 0, 0, 1, 1, 1, 0, 1, 0]),
        "binary_no_positive_predicted": ([0, 1, 1, 0], [0, 0, 0, 0]),
        "binary_no_positive_at_all": ([0, 0, 0], [0, 0, 0]),
        "three": (rng.randint(0, 3, 30).tolist(), rng.randint(0, 3, 30).tolist()),
        "never_predicted": ([0, 1, 2, 2, 1, 0, 2, 1], [0, 1, 1, 1, 1, 0, 0, 1]),
        "absent_from_truth": ([0, 0, 1, 1, 0, 1], [0, 2, 1, 1, 2, 0]),
        "skewed_labels": ([3, 3, 3, 7, 9, 9, 3, 7, 3, 3, 9, 3], [3, 7, 3, 7, 9, 3, 3, 3, 3, 9, 9, 3]),
    }
    functions = {"precision": precision_score, "recall": recall_score, "f1": f1_score}
    cases = []
    for name, (yt, yp) in pairs.items():
        binary = len(set(yt) | set(yp)) <= 2
        averages = (["binary"] if binary else []) + ["micro", "macro", "weighted"]
        label_sets = [None]
        if name == "never_predicted":
            label_sets.append([2, 0])
        if name == "skewed_labels":
            label_sets.append([3, 9, 5])
        for labels in label_sets:
            for average in averages:
                if labels is not None and average == "binary":
                    continue
                for zd in ["warn", 0, 1, "nan"]:
                    zero_division = np.nan if zd == "nan" else zd
                    for metric, fn in list(functions.items()) + [("fbeta2", None), ("fbeta05", None)]:
                        with warnings.catch_warnings(record=True) as caught:
                            warnings.simplefilter("always")
                            kwargs = dict(average=average, zero_division=zero_division, labels=labels)
                            if metric == "fbeta2":
                                value = fbeta_score(yt, yp, beta=2, **kwargs)
                            elif metric == "fbeta05":
                                value = fbeta_score(yt, yp, beta=0.5, **kwargs)
                            else:
                                value = fn(yt, yp, **kwargs)
                        messages = [str(w.message) for w in caught if issubclass(w.category, UndefinedMetricWarning)]
                        cases.append({"name": name, "yTrue": yt, "yPred": yp, "labels": labels, "average": average,
                                      "zeroDivision": str(zd), "metric": metric, "value": num(value),
                                      "warnings": messages})
    return cases


def roc_cases():
    rng = np.random.RandomState(11)
    sets = []
    # Continuous probabilities, 3 and 4 classes.
    for k, n in [(3, 40), (4, 60)]:
        y = rng.randint(0, k, n)
        p = rng.rand(n, k) + 0.3 * np.eye(k)[y]
        p = p / p.sum(axis=1, keepdims=True)
        sets.append((f"continuous{k}", y.tolist(), p.tolist(), None))
    # Forest-like probabilities with many ties (multiples of 1/5), labels 2, 5, 9.
    y = rng.choice([2, 5, 9], size=35, p=[0.5, 0.3, 0.2])
    counts = rng.multinomial(5, [1 / 3] * 3, size=35)
    sets.append(("ties", y.tolist(), (counts / 5).tolist(), None))
    # A class declared in labels but absent from y_true.
    y = rng.randint(0, 3, 20)
    p = rng.dirichlet([1, 1, 1, 1], size=20)
    sets.append(("absent_class", y.tolist(), p.tolist(), [0, 1, 2, 3]))
    cases = []
    for name, y, p, labels in sets:
        for mc, average in [("ovr", "macro"), ("ovr", "weighted"), ("ovr", "micro"), ("ovo", "macro"), ("ovo", "weighted")]:
            with warnings.catch_warnings(record=True):
                warnings.simplefilter("always")
                value = roc_auc_score(y, p, multi_class=mc, average=average, labels=labels)
            cases.append({"name": name, "y": y, "proba": p, "labels": labels, "multiClass": mc, "average": average,
                          "auc": num(value)})
    return cases


def main():
    versions = {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
                "scikit-learn": sklearn.__version__, "platform": platform.platform()}
    result = {"versions": versions, "prf": prf_cases(), "roc": roc_cases()}
    with open(OUT, "w") as f:
        json.dump(result, f, separators=(",", ":"), allow_nan=False)
    print("wrote", OUT, os.path.getsize(OUT), "bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
