#!/usr/bin/env python
"""Django's command-line utility; `civicgrid …` is the same thing, installed."""

from civicgrid.__main__ import main

if __name__ == "__main__":
    main()
