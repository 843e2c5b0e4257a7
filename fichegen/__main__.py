"""Run the command line as ``python -m fichegen``."""

from fichegen.cli.process import run

if __name__ == "__main__":
    run()
