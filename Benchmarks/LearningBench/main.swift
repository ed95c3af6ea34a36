import Learning
print("learning-bench: not yet written")
