"""Run the command line as ``python -m fichegen``."""

from fichegen.cli.commands import main

if __name__ == "__main__":
    main()
