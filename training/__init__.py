"""Code that builds what the package ships (the reference parser's model) and the benchmarks'
data. It is not part of the wheel: run it from the repository's root (``python -m
training.refparse.train``)."""
