"""Generates parity/crossval_digits.json: the folds and scores of scikit-learn's
cross_val_score(RandomForestClassifier(n_estimators=100, random_state=0), X, y, cv=5) on digits, the
comparison `learning-bench` times (issue #16). cv=5 is StratifiedKFold(5) without shuffling for a classifier.

Run from the repository root with the versions recorded in the file:
    python3 -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install scikit-learn==1.9.1 numpy
    /tmp/skvenv/bin/python Tests/LearningTests/Fixtures/make_crossval_fixtures.py
The output is committed; tests never need Python. Scores are written with Python's repr.
"""
import json
import os
import platform
import sys

import numpy as np
import scipy
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "parity", "crossval_digits.json")


def main():
    data = np.loadtxt(os.path.join(HERE, "datasets", "digits.csv"), delimiter=",", skiprows=1)
    X, y = data[:, :-1], data[:, -1].astype(int)
    model = RandomForestClassifier(n_estimators=100, random_state=0)
    scores = cross_val_score(model, X, y, cv=5)
    folds = [test.tolist() for _, test in StratifiedKFold(5).split(X, y)]
    versions = {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
                "scikit-learn": sklearn.__version__, "platform": platform.platform()}
    result = {"versions": versions, "dataset": "digits", "nEstimators": 100, "randomState": 0, "cv": 5,
              "testFolds": folds, "scores": [float(s) for s in scores]}
    with open(OUT, "w") as f:
        json.dump(result, f, separators=(",", ":"), allow_nan=False)
    print("wrote", OUT, os.path.getsize(OUT), "bytes; scores", scores.tolist(), file=sys.stderr)


if __name__ == "__main__":
    main()
