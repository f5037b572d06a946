"""The pure core: exercise library, tempo and cue schedule, session state, progression maths.

Nothing in this package may import Qt, pyqtgraph or TinyDB (tests/test_architecture.py checks).
"""
