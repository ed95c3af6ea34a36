"""The tutorial's three files (dataset.py, ai_model.py, feedback_system.py) run as one program,
with the one line the original is missing (the import of train_test_split), followed by the
further measurements chapter 5 makes. Run it in an empty folder:

    python3 -m venv venv && venv/bin/pip install scikit-learn pandas numpy
    venv/bin/python tutorial.py > tutorial-output.txt

Everything above the line "# chapter 5" is what the tutorial prints, line for line; chapters 5
and 6 compare it with what the Swift program prints.
"""
import copy
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split  # missing in the original feedback_system.py

# dataset.py
np.random.seed(42)
pd.DataFrame({"feature1": np.random.randn(100), "feature2": np.random.randn(100),
              "feature3": np.random.randn(100), "target": np.random.randint(0, 2, 100)}
             ).to_csv("sample_data.csv", index=False)
print("Sample dataset created!")

# ai_model.py: SimpleAI, reduced to what the program calls
class SimpleAI:
    def __init__(self):
        self.model = RandomForestClassifier(n_estimators=100, random_state=42)

    def train(self, X, y):
        self.model.fit(X, y)

    def get_accuracy(self, X, y):
        return accuracy_score(y, self.model.predict(X))

    def update_model(self, new_X, new_y):   # the tutorial's feedback: refit on the new rows only
        self.model.fit(new_X, new_y)
        print("Model updated with new feedback data")

# feedback_system.py
corrected_rows = []   # positions in the test rows, per round (for chapter 5's checks)
forests = []          # the forest after each stage

def simulate_feedback(model, X_test, y_test):
    predictions = model.model.predict(X_test)
    print(f"Current model accuracy: {model.get_accuracy(X_test, y_test):.2f}")
    wrong = np.where(predictions != y_test)[0]
    if len(wrong) > 0:
        print(f"Found {len(wrong)} wrong predictions")
        model.update_model(X_test.iloc[wrong], y_test.iloc[wrong])
        corrected_rows.append(wrong)
        print(f"New model accuracy after feedback: {model.get_accuracy(X_test, y_test):.2f}")
    else:
        print("No errors found in predictions")

df = pd.read_csv("sample_data.csv")
X, y = df[["feature1", "feature2", "feature3"]], df["target"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
model = SimpleAI()
model.train(X_train, y_train)
forests.append(copy.deepcopy(model.model))
print("Initial model performance:")
print(f"Accuracy: {model.get_accuracy(X_test, y_test):.2f}")
print("\n--- Simulating Feedback Loop ---")
simulate_feedback(model, X_test, y_test)
forests.append(copy.deepcopy(model.model))
print("\n--- Second Feedback Loop ---")
simulate_feedback(model, X_test, y_test)
forests.append(copy.deepcopy(model.model))

# chapter 5: the further measurements, as "key value" lines
print("# chapter 5")
print("python", ".".join(map(str, sys.version_info[:3])))
print("scikit-learn", sklearn.__version__, "numpy", np.__version__, "pandas", pd.__version__)
acc = lambda f, X, y: accuracy_score(y, f.predict(X))
print("testRows", " ".join(map(str, X_test.index)))
for round_, rows in enumerate(corrected_rows, 1):
    print(f"corrected{round_}", " ".join(map(str, X_test.index[rows])))
for stage, f in enumerate(forests):
    print(f"onTraining{stage}", f"{acc(f, X_train, y_train):.4f}")
mask = np.zeros(len(y_test), bool); mask[corrected_rows[0]] = True
print("onCorrected", f"{acc(forests[1], X_test[mask], y_test[mask]):.4f}")
print("onOthers", f"{acc(forests[1], X_test[~mask], y_test[~mask]):.4f}")
np.random.seed(2024)
fresh = np.column_stack([np.random.randn(1000), np.random.randn(1000), np.random.randn(1000)])
fresh_y = np.random.randint(0, 2, 1000)
fresh = pd.DataFrame(fresh, columns=["feature1", "feature2", "feature3"])
for stage, f in enumerate(forests):
    print(f"fresh{stage}", f"{acc(f, fresh, fresh_y):.4f}")
