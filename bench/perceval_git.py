"""Reads every commit of a git repository with GrimoireLab's Perceval git
backend (the comparison point of bench/import_git_perceval.sh) and prints the
number of commits, of merges (more than one parent) and the seconds it took.

    python perceval_git.py <uri> <path of a clone>

The clone is read as it is (no_update: no fetch from the uri); Perceval runs
`git log` itself and parses its output, which is what its users get.
"""

import sys
import time

from perceval.backends.core.git import Git


def main():
    uri, gitpath = sys.argv[1], sys.argv[2]
    started = time.monotonic()
    commits = merges = 0
    for item in Git(uri=uri, gitpath=gitpath).fetch(no_update=True):
        commits += 1
        if len(item["data"].get("parents", [])) > 1:
            merges += 1
    seconds = time.monotonic() - started
    print(f"perceval: {commits} commits ({merges} merges) in {seconds:.2f} s")
    print(f"seconds={seconds:.3f}")


if __name__ == "__main__":
    main()
