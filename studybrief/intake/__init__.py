"""The intake door: a new article becomes a registered seed and draft lessons, the files a person would write by hand.

It sits before load and adds no rule of its own: what it writes is validated by the package's
loader and checks, exactly as a hand-written registry entry or lesson would be.
"""
