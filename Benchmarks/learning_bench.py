"""scikit-learn's side of `learning-bench`: the same fits, timed the same way, printed as JSON.

Called by the Swift benchmark (Benchmarks/LearningBench/main.swift); run it by hand with
  python Benchmarks/learning_bench.py --fixtures Tests/LearningTests/Fixtures/datasets \
      --synthetic /tmp/synthetic.csv --repeats 3 --splits 5
Each data set is split with train_test_split(test_size=0.25, random_state=s) for s in 0..splits-1; accuracy
is the mean over those splits with RandomForestClassifier(n_estimators=100, random_state=s). Times are
medians over `repeats` fits on split 0: n_jobs=1 fit and predict in processor time (time.process_time,
robust on a shared machine), n_jobs=-1 fit and predict in wall time. With --predict-only each forest is
fitted once on split 0 and only prediction is timed (fit times 0, accuracy that split's).
With --crossval the script instead times cross_val_score(RandomForestClassifier(n_estimators=trees,
random_state=0), X, y, cv=5) on --crossval's data set (scikit-learn's default StratifiedKFold(5)): n_jobs=1
in processor time, n_jobs=-1 (trees in parallel) in wall time, medians over `repeats`, plus the scores.
"""
import argparse
import json
import os
import statistics
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score, train_test_split


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1].astype(int)


def median_time(fn, repeats, clock=time.perf_counter):
    times = []
    for _ in range(repeats):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def bench(x, y, repeats, splits, trees):
    accuracies = []
    for s in range(splits):
        xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.25, random_state=s)
        model = RandomForestClassifier(n_estimators=trees, random_state=s, n_jobs=1).fit(xtr, ytr)
        accuracies.append(float((model.predict(xte) == yte).mean()))
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.25, random_state=0)
    serial = RandomForestClassifier(n_estimators=trees, random_state=0, n_jobs=1)
    parallel = RandomForestClassifier(n_estimators=trees, random_state=0, n_jobs=-1)
    fit1 = median_time(lambda: serial.fit(xtr, ytr), repeats, time.process_time)
    fit_all = median_time(lambda: parallel.fit(xtr, ytr), repeats)
    predict = median_time(lambda: serial.predict(xte), repeats, time.process_time)
    predict_all = median_time(lambda: parallel.predict(xte), repeats)
    return {"fit1": fit1, "fitAll": fit_all, "predict": predict, "predictAll": predict_all,
            "accuracy": statistics.mean(accuracies), "accuracies": accuracies}


def bench_predict(x, y, repeats, trees):
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.25, random_state=0)
    serial = RandomForestClassifier(n_estimators=trees, random_state=0, n_jobs=1).fit(xtr, ytr)
    parallel = RandomForestClassifier(n_estimators=trees, random_state=0, n_jobs=-1).fit(xtr, ytr)
    predict = median_time(lambda: serial.predict(xte), repeats, time.process_time)
    predict_all = median_time(lambda: parallel.predict(xte), repeats)
    accuracy = float((serial.predict(xte) == yte).mean())
    return {"fit1": 0, "fitAll": 0, "predict": predict, "predictAll": predict_all, "accuracy": accuracy,
            "accuracies": [accuracy]}


def bench_crossval(x, y, repeats, trees):
    serial = RandomForestClassifier(n_estimators=trees, random_state=0, n_jobs=1)
    parallel = RandomForestClassifier(n_estimators=trees, random_state=0, n_jobs=-1)
    scores = cross_val_score(serial, x, y, cv=5)
    cv1 = median_time(lambda: cross_val_score(serial, x, y, cv=5), repeats, time.process_time)
    cv_all = median_time(lambda: cross_val_score(parallel, x, y, cv=5), repeats)
    return {"cv1": cv1, "cvAll": cv_all, "scores": [float(s) for s in scores]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--synthetic")
    parser.add_argument("--datasets", default="iris,wine,breast_cancer,digits")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--splits", type=int, default=5)
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument("--predict-only", action="store_true")
    parser.add_argument("--crossval", metavar="DATASET")
    args = parser.parse_args()

    if args.crossval:
        x, y = load(os.path.join(args.fixtures, args.crossval + ".csv"))
        print(json.dumps(bench_crossval(x, y, args.repeats, args.trees)))
        return

    def run(x, y, splits):
        if args.predict_only:
            return bench_predict(x, y, args.repeats, args.trees)
        return bench(x, y, args.repeats, splits, args.trees)

    results = {}
    for name in [n for n in args.datasets.split(",") if n]:
        x, y = load(os.path.join(args.fixtures, name + ".csv"))
        results[name] = run(x, y, args.splits)
    if args.synthetic:
        x, y = load(args.synthetic)
        results["synthetic"] = run(x, y, 1)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
