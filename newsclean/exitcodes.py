"""Exit codes, in one place, as documented in the README.

Scripts over archive folders branch on these, so they never change meaning.

``partial`` (3) is for ``newsclean batch``: some pages failed (each listed in
OUTDIR/failures.jsonl) while the others were written, so a script can tell
"look at the failures" from "nothing worked" (``input_file``).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    ok = 0
    #: Options or arguments that make no sense (unknown stage, bad format...).
    bad_args = 1
    #: An input could not be read or decoded; other inputs were still processed.
    input_file = 2
    #: batch: some pages failed (see failures.jsonl), the others were written.
    partial = 3
    #: An output file could not be written.
    output_file = 5
    #: A dictionary or configuration file is invalid.
    invalid_config = 9
    #: A bug in newsclean: please report it with the input that caused it.
    other_error = 15
    #: Interrupted by the user (Ctrl-C).
    ctrl_c = 130
