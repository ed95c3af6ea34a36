"""Generates parity/drift.json: river's DDM and ADWIN detections on fixed streams.

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
from river.drift import ADWIN
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
    adwin = []
    rng = np.random.RandomState(21)
    values = {"errors": [float(e) for e in streams()[0][1]],
              "gaussian": np.concatenate([rng.randn(1500) * 0.5 + 1, rng.randn(1500) * 0.5 + 1.4, rng.randn(1000) * 0.5 + 0.9]).tolist(),
              "steady": (rng.rand(3000) < 0.3).astype(float).tolist(),
              "ramp": (np.linspace(0, 1, 4000) + rng.randn(4000) * 0.3).tolist()}
    for name, stream in values.items():
        for params in [{}, {"delta": 0.01, "clock": 1, "max_buckets": 3, "min_window_length": 3, "grace_period": 5}]:
            detector = ADWIN(**params)
            drifts, widths = [], []
            for i, v in enumerate(stream):
                detector.update(v)
                if detector.drift_detected:
                    drifts.append(i)
                widths.append(int(detector.width))
            adwin.append({"name": name, "params": params, "values": stream, "drifts": drifts, "widths": widths,
                          "estimation": detector.estimation})
    versions = {"python": platform.python_version(), "numpy": np.__version__, "river": river.__version__,
                "platform": platform.platform()}
    with open(OUT, "w") as f:
        json.dump({"versions": versions, "ddm": cases, "adwin": adwin}, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
