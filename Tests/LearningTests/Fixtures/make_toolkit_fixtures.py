"""Generates parity/toolkit.json: scikit-learn's DummyClassifier, KFold, StratifiedKFold, cross_val_score,
cross_validate, validation_curve, learning_curve and the metrics of issue #16 (balanced accuracy, Cohen's
kappa, ROC curve and AUC, log loss, Brier score, calibration curve) plus numpy's mean and std, on fixed inputs.

Run from the repository root with the versions recorded in the file (and in parity/versions.json):
    python3 -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install scikit-learn==1.9.1 numpy
    /tmp/skvenv/bin/python Tests/LearningTests/Fixtures/make_toolkit_fixtures.py
The output is committed; tests never need Python. Floats are written with Python's repr (shortest text
that round-trips), so the Swift tests compare with ==. Non-finite values are left out (a ROC curve's first
threshold, always +inf, is dropped).
"""
import json
import os
import platform
import sys
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import (auc, balanced_accuracy_score, brier_score_loss, cohen_kappa_score, log_loss,
                             roc_auc_score, roc_curve)
from sklearn.model_selection import (KFold, StratifiedKFold, cross_val_score, cross_validate, learning_curve,
                                     validation_curve)
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "parity", "toolkit.json")


def load(name):
    data = np.loadtxt(os.path.join(HERE, "datasets", name + ".csv"), delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1].astype(int)


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=float).ravel()]


def dummy_cases():
    rng = np.random.RandomState(3)
    labels = np.array([7, 2, 2, 9, 7, 7, 2, 9, 7, 4, 7, 2])  # 7 most frequent; classes 2, 4, 7, 9
    y_sets = {
        "small": labels.tolist(),
        "skewed": rng.choice([1, 5, 8], size=40, p=[0.6, 0.3, 0.1]).tolist(),
        "tied": [3, 1, 3, 1, 2],  # 1 and 3 tie; argmax picks 1
        "one_class": [4, 4, 4],
    }
    cases = []
    for name, y in y_sets.items():
        x = np.zeros((len(y), 2))
        for strategy in ["most_frequent", "prior", "stratified", "uniform"]:
            for seed in [0, 42, 2024]:
                if strategy in ("most_frequent", "prior") and seed != 0:
                    continue
                model = DummyClassifier(strategy=strategy, random_state=seed).fit(x, y)
                test = np.zeros((25, 2))
                cases.append({
                    "name": name, "strategy": strategy, "seed": seed, "y": y,
                    "testRows": 25,
                    "classes": model.classes_.tolist(), "classPrior": floats(model.class_prior_),
                    "predict": model.predict(test).tolist(),
                    "proba": model.predict_proba(test).tolist(),
                })
    return cases


def kfold_cases():
    cases = []
    for n in [7, 10, 17, 150]:
        for k in [2, 3, 5]:
            for shuffle, seed in [(False, None), (True, 0), (True, 42)]:
                cv = KFold(k, shuffle=shuffle, random_state=seed)
                cases.append({"n": n, "k": k, "shuffle": shuffle, "seed": seed,
                              "test": [t.tolist() for _, t in cv.split(np.zeros(n))]})
    return cases


def stratified_cases():
    _, iris = load("iris")
    _, cancer = load("breast_cancer")
    rng = np.random.RandomState(11)
    odd = rng.choice([9, 2, 5], size=53, p=[0.5, 0.35, 0.15])
    ys = {"iris": iris, "breast_cancer": cancer, "odd": odd, "few": np.array([1, 1, 1, 0, 0, 2, 1, 1, 0, 1, 2, 1])}
    cases = []
    for name, y in ys.items():
        for k in [2, 3, 5, 10]:
            if k > len(y):
                continue
            for shuffle, seed in [(False, None), (True, 0), (True, 7)]:
                cv = StratifiedKFold(k, shuffle=shuffle, random_state=seed)
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    try:
                        folds = cv._make_test_folds(np.zeros(len(y)), y).tolist()
                    except ValueError as e:
                        folds = None
                        error = str(e)
                cases.append({"name": name, "y": y.tolist(), "k": k, "shuffle": shuffle, "seed": seed,
                              "folds": folds, "warned": len(caught) > 0})
    return cases


def cross_cases():
    cases = []
    X_iris, y_iris = load("iris")
    X_cancer, y_cancer = load("breast_cancer")
    X_wine, y_wine = load("wine")
    specs = [
        ("tree", "iris", {"random_state": 0}, None, "accuracy"),
        ("tree", "wine", {"max_depth": 3, "random_state": 1}, ("kfold", 4, True, 3), "accuracy"),
        ("tree", "breast_cancer", {"min_samples_leaf": 5, "random_state": 0}, ("stratified", 5, True, 1), "roc_auc"),
        ("tree", "breast_cancer", {"max_depth": 4, "random_state": 0}, ("stratified", 3, False, None), "neg_log_loss"),
        ("forest", "breast_cancer", {"n_estimators": 15, "random_state": 0}, ("stratified", 5, True, 1), "accuracy"),
        ("forest", "breast_cancer", {"n_estimators": 15, "random_state": 0}, ("stratified", 5, True, 1), "roc_auc"),
        ("forest", "breast_cancer", {"n_estimators": 15, "random_state": 0}, ("stratified", 5, True, 1), "neg_brier_score"),
        ("forest", "wine", {"n_estimators": 10, "random_state": 5}, None, "neg_log_loss"),
        ("forest", "wine", {"n_estimators": 10, "random_state": 5}, None, "balanced_accuracy"),
        ("dummy", "iris", {"strategy": "stratified", "random_state": 4}, ("kfold", 5, True, 0), "accuracy"),
        ("dummy", "breast_cancer", {"strategy": "prior"}, None, "neg_log_loss"),
    ]
    data = {"iris": (X_iris, y_iris), "breast_cancer": (X_cancer, y_cancer), "wine": (X_wine, y_wine)}
    for model_name, dataset, params, cv_spec, scoring in specs:
        model = {"tree": DecisionTreeClassifier, "forest": RandomForestClassifier, "dummy": DummyClassifier}[model_name](**params)
        if cv_spec is None:
            cv = None
        else:
            kind, k, shuffle, seed = cv_spec
            cv = (KFold if kind == "kfold" else StratifiedKFold)(k, shuffle=shuffle, random_state=seed)
        X, y = data[dataset]
        result = cross_validate(model, X, y, cv=cv if cv is not None else 5, scoring=scoring, return_train_score=True)
        assert np.array_equal(result["test_score"], cross_val_score(model, X, y, cv=cv if cv is not None else 5, scoring=scoring))
        cases.append({"model": model_name, "dataset": dataset, "params": params,
                      "cv": None if cv_spec is None else {"kind": cv_spec[0], "k": cv_spec[1], "shuffle": cv_spec[2], "seed": cv_spec[3]},
                      "scoring": scoring, "test": floats(result["test_score"]), "train": floats(result["train_score"])})
    return cases


def curve_cases():
    X_wine, y_wine = load("wine")
    X_cancer, y_cancer = load("breast_cancer")
    depths = [1, 2, 3, None]
    train, test = validation_curve(DecisionTreeClassifier(random_state=0), X_wine, y_wine, param_name="max_depth",
                                   param_range=depths, cv=StratifiedKFold(3))
    validation = {"depths": depths, "train": train.tolist(), "test": test.tolist()}
    learning = []
    for sizes, shuffle, seed in [(None, False, None), (None, True, 0), ([10, 50, 100, 100], True, 3)]:
        kwargs = {} if sizes is None else {"train_sizes": sizes}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ticks, tr, te = learning_curve(DecisionTreeClassifier(random_state=0), X_cancer, y_cancer, cv=5,
                                           shuffle=shuffle, random_state=seed, **kwargs)
        learning.append({"sizes": sizes, "shuffle": shuffle, "seed": seed, "ticks": ticks.tolist(),
                         "train": tr.tolist(), "test": te.tolist()})
    return {"validation": validation, "learning": learning}


def metric_cases():
    rng = np.random.RandomState(2024)
    out = {"balanced": [], "kappa": [], "roc": [], "logLoss": [], "brier": [], "calibration": [], "summary": []}
    for i in range(6):
        n = [8, 20, 57, 100, 13, 40][i]
        classes = [[0, 1], [0, 1, 2], [3, 5, 9, 11], [0, 1, 2, 3, 4], [1, 2], [0, 1, 2]][i]
        y_true = rng.choice(classes, size=n)
        y_pred = np.where(rng.rand(n) < 0.6, y_true, rng.choice(classes + ([99] if i == 4 else []), size=n))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out["balanced"].append({"yTrue": y_true.tolist(), "yPred": y_pred.tolist(),
                                    "score": balanced_accuracy_score(y_true, y_pred),
                                    "adjusted": balanced_accuracy_score(y_true, y_pred, adjusted=True)})
        for weights in [None, "linear", "quadratic"]:
            labels = None if i != 2 else [11, 3, 9]
            out["kappa"].append({"y1": y_true.tolist(), "y2": y_pred.tolist(), "weights": weights, "labels": labels,
                                 "score": cohen_kappa_score(y_true, y_pred, weights=weights, labels=labels)})
    for i in range(8):
        n = [10, 30, 64, 200, 7, 51, 120, 33][i]
        y = rng.randint(0, 2, size=n)
        if i == 5:
            y = np.where(y == 1, 4, 2)
        score = np.clip(0.3 * (y == y.max()) + rng.rand(n) * 0.7, 0, 1)
        if i % 2 == 0:
            score = np.round(score, 1)  # ties
        pos = None if i != 5 else 4
        for drop in [True, False]:
            fpr, tpr, thr = roc_curve(y, score, pos_label=pos, drop_intermediate=drop)
            assert np.isinf(thr[0])
            out["roc"].append({"y": y.tolist(), "score": floats(score), "posLabel": pos, "drop": drop,
                               "fpr": floats(fpr), "tpr": floats(tpr), "thresholds": floats(thr[1:]),
                               "auc": roc_auc_score(y, score), "aucOfCurve": auc(fpr, tpr)})
        out["brier"].append({"y": y.tolist(), "proba": floats(score), "posLabel": None, "score": brier_score_loss(y, score)})
        out["logLoss"].append({"y": y.tolist(), "proba": [[float(s)] for s in score], "labels": None, "normalize": True,
                               "loss": log_loss(y, score)})
        for strategy in ["uniform", "quantile"]:
            for bins in [1, 5, 10]:
                if i == 5:
                    continue
                pt, pp = calibration_curve(y, score, n_bins=bins, strategy=strategy)
                out["calibration"].append({"y": y.tolist(), "prob": floats(score), "bins": bins, "strategy": strategy,
                                           "probTrue": floats(pt), "probPred": floats(pp)})
    for i in range(6):
        n, k = [(12, 3), (40, 4), (9, 2), (30, 3), (25, 5), (16, 3)][i]
        raw = rng.rand(n, k) ** 2
        proba = raw / raw.sum(axis=1, keepdims=True)
        if i == 3:
            proba[0] = [1.0, 0.0, 0.0]  # clipped to eps
        y = rng.randint(0, k, size=n) * 2 + 1  # labels 1, 3, 5, ...
        labels = list(range(1, 2 * k, 2))
        if i == 5:
            y = np.where(y == labels[-1], labels[0], y)  # a class absent from y: labels needed
        pass_labels = labels if i == 5 else None
        out["logLoss"].append({"y": y.tolist(), "proba": proba.tolist(), "labels": pass_labels, "normalize": True,
                               "loss": log_loss(y, proba, labels=pass_labels)})
        out["logLoss"].append({"y": y.tolist(), "proba": proba.tolist(), "labels": pass_labels, "normalize": False,
                               "loss": log_loss(y, proba, labels=pass_labels, normalize=False)})
        out["brier"].append({"y": y.tolist(), "proba2d": proba.tolist(), "labels": pass_labels,
                             "score": brier_score_loss(y, proba, labels=pass_labels)})
    for n in [1, 2, 7, 8, 9, 100, 1000]:
        values = rng.randn(n) * 10 + 3
        out["summary"].append({"values": floats(values), "mean": float(np.mean(values)), "std": float(np.std(values)),
                               "std1": float(np.std(values, ddof=1)) if n > 1 else None})
    return out


def knn_cases():
    rng = np.random.RandomState(5)
    X = rng.randn(200, 5)
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int) + (X[:, 2] > 1).astype(int) * 2  # classes 0..3
    y = np.where(rng.rand(200) < 0.1, rng.randint(0, 4, 200), y)
    X_train, y_train, X_test = X[:150], y[:150], np.vstack([X[150:], X[:5]])  # 5 test rows at distance 0
    X_cancer, y_cancer = load("breast_cancer")
    cases = []
    for k in [1, 5, 15]:
        for weights in ["uniform", "distance"]:
            for p in [1, 2]:
                model = KNeighborsClassifier(n_neighbors=k, weights=weights, p=p).fit(X_train, y_train)
                assert model._fit_method == "kd_tree"
                dist, ind = model.kneighbors(X_test)
                cases.append({"name": "random", "k": k, "weights": weights, "p": p, "method": model._fit_method,
                              "predict": model.predict(X_test).tolist(), "proba": model.predict_proba(X_test).tolist(),
                              "indices": ind.tolist(), "distances": dist.tolist()})
    for weights in ["uniform", "distance"]:
        model = KNeighborsClassifier(n_neighbors=7, weights=weights).fit(X_cancer[:400], y_cancer[:400])
        assert model._fit_method == "brute"
        dist, ind = model.kneighbors(X_cancer[400:])
        cases.append({"name": "breast_cancer", "k": 7, "weights": weights, "p": 2, "method": model._fit_method,
                      "predict": model.predict(X_cancer[400:]).tolist(),
                      "proba": model.predict_proba(X_cancer[400:]).tolist(),
                      "indices": ind.tolist(), "distances": dist.tolist()})
    data = {"random": {"xTrain": X_train.tolist(), "yTrain": y_train.tolist(), "xTest": X_test.tolist()},
            "breast_cancer": {"xTrain": X_cancer[:400].tolist(), "yTrain": y_cancer[:400].tolist(),
                              "xTest": X_cancer[400:].tolist()}}
    return {"data": data, "cases": cases}


def paired_cases():
    from scipy.stats import ttest_rel
    rng = np.random.RandomState(8)
    cases = []
    for n, shift, level in [(2, 0.1, 0.95), (3, 0.02, 0.95), (5, 0.01, 0.9), (10, 0.003, 0.95), (10, -0.02, 0.99),
                            (30, 0.001, 0.95), (200, 0.0005, 0.8)]:
        a = 0.8 + 0.02 * rng.randn(n)
        b = a - shift + 0.01 * rng.randn(n)
        r = ttest_rel(a, b)
        ci = r.confidence_interval(confidence_level=level)
        cases.append({"a": floats(a), "b": floats(b), "level": level, "t": float(r.statistic), "p": float(r.pvalue),
                      "df": int(r.df), "low": float(ci.low), "high": float(ci.high)})
    return cases


def logistic_cases():
    cases, data = [], {}
    for name in ["iris", "wine", "breast_cancer"]:
        X, y = load(name)
        X = (X - X.mean(axis=0)) / X.std(axis=0)  # standardised, so the default solver converges
        X_train, y_train, X_test = X[::2], y[::2], X[1::2]
        data[name] = {"xTrain": X_train.tolist(), "yTrain": y_train.tolist(), "xTest": X_test.tolist()}
        for C in [1.0, 0.1, 10.0]:
            tight = LogisticRegression(C=C, tol=1e-12, max_iter=100000).fit(X_train, y_train)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                default = LogisticRegression(C=C).fit(X_train, y_train)
            cases.append({"name": name, "C": C, "coef": tight.coef_.tolist(), "intercept": floats(tight.intercept_),
                          "defaultCoef": default.coef_.tolist(), "defaultIntercept": floats(default.intercept_),
                          "proba": tight.predict_proba(X_test).tolist(), "predict": tight.predict(X_test).tolist()})
    return {"data": data, "cases": cases}


def main():
    versions = {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
                "scikit-learn": sklearn.__version__, "platform": platform.platform()}
    result = {"versions": versions, "dummy": dummy_cases(), "kfold": kfold_cases(),
              "stratified": stratified_cases(), "cross": cross_cases(), "curves": curve_cases(),
              "metrics": metric_cases(), "knn": knn_cases(), "paired": paired_cases(), "logistic": logistic_cases()}
    with open(OUT, "w") as f:
        json.dump(result, f, separators=(",", ":"), allow_nan=False)
    print("wrote", OUT, os.path.getsize(OUT), "bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
