"""Run the command line as ``python -m fichegen``."""

from fichegen.cli import main

if __name__ == "__main__":
    main()
