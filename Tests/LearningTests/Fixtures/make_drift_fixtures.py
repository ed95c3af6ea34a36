"""Generates parity/drift.json: river's DDM detections on fixed error streams.

Run from the repository root (river is kept apart from the scikit-learn venv, whose numpy it could change):
    python3 -m venv /tmp/rivervenv && /tmp/rivervenv/bin/pip install river==0.22.0
    /tmp/rivervenv/bin/python Tests/LearningTests/Fixtures/make_drift_fixtures.py
The output is committed, with the versions used; tests never need Python.
"""
import json
import os
import platform

import numpy as np
import river
from river.drift.binary import DDM

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "parity", "drift.json")


def streams():
    rng = np.random.RandomState(12)
    out = []
    for name, rates, length in [("jump", [0.1, 0.4], 1000), ("gentle", [0.2, 0.3], 1500), ("steady", [0.15], 3000),
                                ("low", [0.02, 0.1, 0.5], 700), ("recover", [0.3, 0.05, 0.35], 800)]:
        errors = np.concatenate([rng.rand(length) < r for r in rates])
        out.append((name, errors.tolist()))
    return out


def main():
    cases = []
    for name, errors in streams():
        for params in [{}, {"warm_start": 10, "warning_threshold": 1.5, "drift_threshold": 2.5}]:
            ddm = DDM(**params)
            drifts, warnings = [], []
            for i, e in enumerate(errors):
                ddm.update(e)
                if ddm.drift_detected:
                    drifts.append(i)
                if ddm.warning_detected:
                    warnings.append(i)
            cases.append({"name": name, "params": params, "errors": "".join("1" if e else "0" for e in errors),
                          "drifts": drifts, "warnings": warnings})
    versions = {"python": platform.python_version(), "numpy": np.__version__, "river": river.__version__,
                "platform": platform.platform()}
    with open(OUT, "w") as f:
        json.dump({"versions": versions, "ddm": cases}, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
