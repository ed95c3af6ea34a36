"""Generates the models' fixtures (metrics.json, trees.json) with scikit-learn.

Run from the repository root:  /work/venv-sk/bin/python Tests/LearningTests/Fixtures/make_model_fixtures.py
The outputs are committed; tests and CI never need Python.
"""
import json
import os

import numpy as np
from sklearn.tree import DecisionTreeClassifier
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


# Fully grown trees (every feature at every node) on the exported data sets: their shape and importances.
trees = []
for name in ["iris", "wine", "breast_cancer", "digits"]:
    data = np.loadtxt(os.path.join(HERE, "datasets", name + ".csv"), delimiter=",", skiprows=1)
    x, y = data[:, :-1], data[:, -1].astype(int)
    for criterion in ["gini", "entropy"]:
        tree = DecisionTreeClassifier(criterion=criterion, random_state=0).fit(x, y)
        trees.append({
            "dataset": name,
            "criterion": criterion,
            "nodeCount": int(tree.tree_.node_count),
            "depth": int(tree.get_depth()),
            "leafCount": int(tree.get_n_leaves()),
            "rootImpurity": float(tree.tree_.impurity[0]),
            "featureImportances": [float(v) for v in tree.feature_importances_],
        })
with open(os.path.join(HERE, "trees.json"), "w") as f:
    json.dump({"trees": trees}, f, indent=1, sort_keys=True)
    f.write("\n")
print("wrote trees.json")
