"""Generates the metrics fixture for the models' tests with scikit-learn.

Run from the repository root:  /work/venv-sk/bin/python Tests/LearningTests/Fixtures/make_model_fixtures.py
The output (metrics.json) is committed; tests and CI never need Python.
"""
import json
import os

import numpy as np
from sklearn.metrics import accuracy_score, classification_report, confusion_matrix, precision_recall_fscore_support

HERE = os.path.dirname(os.path.abspath(__file__))


def case(name, y_true, y_pred, labels=None, target_names=None, digits=2):
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    return {
        "name": name,
        "yTrue": [int(v) for v in y_true],
        "yPred": [int(v) for v in y_pred],
        "labels": labels,
        "targetNames": target_names,
        "digits": digits,
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        "precision": [float(v) for v in p],
        "recall": [float(v) for v in r],
        "f1": [float(v) for v in f],
        "support": [int(v) for v in s],
        "report": classification_report(y_true, y_pred, labels=labels, target_names=target_names,
                                         digits=digits, zero_division=0),
    }


rs = np.random.RandomState(5)
y_true = rs.randint(0, 3, 60)
y_pred = np.where(rs.rand(60) < 0.7, y_true, rs.randint(0, 3, 60))
binary_true = rs.randint(0, 2, 25)
binary_pred = np.where(rs.rand(25) < 0.6, binary_true, 1 - binary_true)
cases = [
    case("three classes", y_true, y_pred),
    case("three classes, names, 3 digits", y_true, y_pred, target_names=["setosa", "versicolor", "virginica"], digits=3),
    case("two of three labels (micro avg)", y_true, y_pred, labels=[2, 0]),
    case("binary", binary_true, binary_pred),
    case("a class never predicted", [0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 1, 1]),
]
with open(os.path.join(HERE, "metrics.json"), "w") as f:
    json.dump({"cases": cases}, f, indent=1, sort_keys=True)
    f.write("\n")
print("wrote metrics.json")
