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


if __name__ == "__main__":
    steps = sys.argv[1:] or ["datasets", "random", "sample", "split", "describe"]
    for step in steps:
        globals()["make_" + step]()
