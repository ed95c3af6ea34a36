"""Generates the LearningTests fixtures with numpy, pandas and scikit-learn.

Run from the repository root:  /work/venv-sk/bin/python Tests/LearningTests/Fixtures/make_fixtures.py
The outputs are committed; tests and CI never need Python.
"""
import json
import math
import os
import sys

import numpy as np
from sklearn import datasets

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def fmt(x):
    """Shortest round-trip text, as Swift's Double.description and pandas' to_csv write it."""
    return repr(float(x))


def write_dataset(name, bunch):
    header = [str(f) for f in bunch.feature_names] + ["target"]
    lines = [",".join(csv_field(h) for h in header)]
    for row, label in zip(bunch.data, bunch.target):
        lines.append(",".join(fmt(v) for v in row) + "," + str(int(label)))
    path = os.path.join(HERE, "datasets", name + ".csv")
    with open(path, "w", newline="") as f:
        f.write("\n".join(lines) + "\n")
    return path


def csv_field(text):
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def make_datasets():
    os.makedirs(os.path.join(HERE, "datasets"), exist_ok=True)
    loaders = {
        "iris": datasets.load_iris,
        "wine": datasets.load_wine,
        "breast_cancer": datasets.load_breast_cancer,
        "digits": datasets.load_digits,
    }
    for name, load in loaders.items():
        path = write_dataset(name, load())
        print("wrote", os.path.relpath(path, ROOT))


def bits(values):
    """Doubles as their IEEE-754 bit patterns (hex strings), so comparisons are exact."""
    return ["%016x" % np.float64(v).view(np.uint64) for v in values]


def write_json(name, obj):
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", os.path.relpath(path, ROOT))


def make_random():
    cases = []
    # The tutorial's sample data.
    rs = np.random.RandomState(42)
    cases.append({
        "name": "tutorial seed 42: three randn(100), randint(0, 2, 100)",
        "seed": 42,
        "calls": [
            {"op": "randn", "count": 100, "doubles": bits(rs.randn(100))},
            {"op": "randn", "count": 100, "doubles": bits(rs.randn(100))},
            {"op": "randn", "count": 100, "doubles": bits(rs.randn(100))},
            {"op": "randint", "low": 0, "high": 2, "count": 100, "ints": rs.randint(0, 2, 100).tolist()},
        ],
    })
    for seed in [0, 1, 7, 12345, 4294967295]:
        rs = np.random.RandomState(seed)
        cases.append({
            "name": "seed %d: rand, randn, randint, permutation" % seed,
            "seed": seed,
            "calls": [
                {"op": "rand", "count": 20, "doubles": bits(rs.rand(20))},
                {"op": "randn", "count": 21, "doubles": bits(rs.randn(21))},
                {"op": "randint", "low": -5, "high": 17, "count": 30, "ints": rs.randint(-5, 17, 30).tolist()},
                {"op": "permutation", "count": 50, "ints": rs.permutation(50).tolist()},
            ],
        })
    # Wide ranges: 64-bit rejection sampling.
    rs = np.random.RandomState(3)
    calls = []
    for low, high in [(0, 2**32 + 1), (0, 2**40), (-(2**62), 2**62), (10, 2**33 + 10), (0, 2**32), (0, 2**31 - 1)]:
        calls.append({"op": "randint", "low": low, "high": high, "count": 10,
                      "ints": [int(v) for v in rs.randint(low, high, 10, dtype=np.int64)]})
    cases.append({"name": "seed 3: randint with ranges beyond 2^32", "seed": 3, "calls": calls})
    # Mixed: an odd number of normals leaves one cached; uniform draws in between must not drop it.
    rs = np.random.RandomState(2024)
    calls = [
        {"op": "randn", "count": 3, "doubles": bits(rs.randn(3))},
        {"op": "rand", "count": 2, "doubles": bits(rs.rand(2))},
        {"op": "randn", "count": 1, "doubles": bits(rs.randn(1))},
        {"op": "randint", "low": 0, "high": 10, "count": 3, "ints": rs.randint(0, 10, 3).tolist()},
        {"op": "randn", "count": 5, "doubles": bits(rs.randn(5))},
    ]
    arr = list(range(15))
    rs.shuffle(arr)
    calls.append({"op": "shuffle", "count": 15, "ints": arr})
    calls.append({"op": "randn", "count": 2, "doubles": bits(rs.randn(2))})
    cases.append({"name": "seed 2024: mixed sequence with a cached gaussian", "seed": 2024, "calls": calls})
    # Permutations of sizes around powers of two.
    rs = np.random.RandomState(99)
    calls = [{"op": "permutation", "count": n, "ints": rs.permutation(n).tolist()} for n in [0, 1, 2, 3, 8, 9, 100]]
    cases.append({"name": "seed 99: permutations of several sizes", "seed": 99, "calls": calls})
    write_json("random.json", {"cases": cases})



def make_sample():
    """The tutorial's sample_data.csv, made exactly as the tutorial makes it (numpy + pandas)."""
    import pandas as pd
    np.random.seed(42)
    df = pd.DataFrame({
        "feature1": np.random.randn(100),
        "feature2": np.random.randn(100),
        "feature3": np.random.randn(100),
        "target": np.random.randint(0, 2, 100),
    })
    df.to_csv(os.path.join(HERE, "sample_data.csv"), index=False)
    print("wrote Tests/LearningTests/Fixtures/sample_data.csv (pandas %s)" % pd.__version__)
    # Awkward values and names, written by pandas: the CSV writer must produce the same bytes.
    rs = np.random.RandomState(5)
    specials = [0.0, -0.0, 1.0, 100.0, 1e16, 9999999999999998.0, 1e15, 2.0 ** 53, 2.0 ** 60, 1e-4, 1e-5,
                0.00012345, 1.5e-7, 5e-324, 1.7976931348623157e308, 0.1, 1 / 3, -2.5e-10, 12345678.9,
                1e22, float("inf"), -float("inf"), float("nan"), 123456.0, -7.0]
    n = len(specials)
    df = pd.DataFrame({
        "plain": specials,
        "with,comma": rs.randn(n) * 10.0 ** rs.randint(-8, 20, n),
        'with "quotes"': rs.rand(n),
        "integers as floats": rs.randint(-1000, 1000, n).astype(float),
        "label": rs.randint(-3, 1000, n),
    })
    df.to_csv(os.path.join(HERE, "awkward.csv"), index=False)
    print("wrote Tests/LearningTests/Fixtures/awkward.csv")
    # Python's repr of many doubles across the exponent range (bit patterns in, text out).
    bits_list = []
    for _ in range(3000):
        e = rs.randint(-323, 308)
        v = rs.rand() * 10.0 ** e * (1 if rs.rand() < 0.5 else -1)
        bits_list.append(v)
    for k in range(-30, 31):
        bits_list += [10.0 ** k, 2.0 ** k, 10.0 ** k * 0.999999, float(10 ** 16 - 2) if k == 0 else 3.0 * 10.0 ** k]
    bits_list += [float(i) for i in range(-20, 21)]
    # Edges where Swift's and Python's layouts could part: around 1e-4, 2^53 and 1e16.
    for edge in [1e-4, 2.0 ** 53, 1e16, 1e-5, 1e15]:
        for direction in [0.0, np.inf]:
            v = edge
            for _ in range(3):
                v = float(np.nextafter(v, direction))
                bits_list += [v, -v]
    bits_list += [2.0 ** 53 + 2, 5e15 + 1, 9.5e15, 1e16 - 2]
    write_json("float_repr.json", {"values": [{"bits": b, "repr": repr(float(v))}
                                               for b, v in zip(bits(bits_list), bits_list)]})


def make_describe():
    """pandas' describe() of the sample data and iris (bit patterns)."""
    import pandas as pd
    out = {}
    for name, path in [("sample_data", "sample_data.csv"), ("iris", "datasets/iris.csv"),
                       ("awkward", "awkward.csv")]:
        df = pd.read_csv(os.path.join(HERE, path))
        label = "target" if "target" in df.columns else "label"
        df = df.drop(columns=[label])
        if name == "awkward":
            df = df.drop(columns=["plain"])  # inf/nan: pandas' describe gives nan for inf-containing stats
        d = df.describe()
        out[name] = [{"column": str(c), "count": int(d[c]["count"]),
                      "stats": dict(zip(["mean", "std", "min", "p25", "p50", "p75", "max"],
                                        bits([d[c][k] for k in ["mean", "std", "min", "25%", "50%", "75%", "max"]])))}
                     for c in df.columns]
        counts = pd.read_csv(os.path.join(HERE, path))[label].value_counts().sort_index()
        out[name + "_label_counts"] = [[int(k), int(v)] for k, v in counts.items()]
    write_json("describe.json", out)


def make_split():
    """scikit-learn's train_test_split row indices (plain and stratified)."""
    from sklearn.model_selection import train_test_split
    import sklearn
    cases = []
    for n, test_size, seed in [(100, 0.2, 42), (100, 0.25, 0), (150, 0.3, 7), (10, 0.5, 1), (7, 0.1, 3),
                               (1000, 0.33, 12345), (569, 0.2, 42), (3, 0.34, 9), (100, 20, 42), (50, 1, 5),
                               (1797, 0.25, 2024), (2, 0.5, 0), (33, 0.95, 8)]:
        train, test = train_test_split(np.arange(n), test_size=test_size, random_state=seed, shuffle=True)
        cases.append({"n": n, "test_size": test_size, "is_count": isinstance(test_size, int), "seed": seed,
                      "train": train.tolist(), "test": test.tolist()})
    strat = []
    iris = datasets.load_iris().target
    rs = np.random.RandomState(11)
    ys = {
        "iris": iris.tolist(),
        "imbalanced": [0] * 90 + [1] * 10,
        "three uneven": rs.randint(0, 3, 77).tolist(),
        "ties": [0, 0, 1, 1, 2, 2, 3, 3, 3],
        "labels unsorted, negative": rs.choice([-4, 10, 3, 7], 60).tolist(),
        "tutorial target": np.random.RandomState(42).randint(0, 2, 400)[300:].tolist(),
    }
    for name, y in ys.items():
        for test_size, seed in [(0.2, 42), (0.25, 0), (0.5, 3), (0.33, 99)]:
            if name == "ties" and test_size < 0.5:
                continue
            y_arr = np.array(y)
            train, test = train_test_split(np.arange(len(y)), test_size=test_size, random_state=seed,
                                           shuffle=True, stratify=y_arr)
            strat.append({"name": name, "y": y, "test_size": test_size, "seed": seed,
                          "train": train.tolist(), "test": test.tolist()})
    write_json("split.json", {"sklearn": sklearn.__version__, "cases": cases, "stratified": strat})


if __name__ == "__main__":
    steps = sys.argv[1:] or ["datasets", "random", "sample", "split", "describe"]
    for step in steps:
        globals()["make_" + step]()
