"""How long free text may be, in one place. Models take their limits from here (and enforce them in
`full_clean`), forms and the API read them from the models, the importer too: every way in has the same bound.

The bounds are generous for people and small for machines: the synergy engine reads titles and descriptions in
every request that searches the network, so a 2 MB "description" must never get that far."""

TITLE = 200
SUMMARY = 500
DESCRIPTION = 20_000  # a project's or idea's description: about eight pages
LONG_TEXT = 10_000  # introductions, prefaces, instructions, notes
MESSAGE = 5_000  # comments, answers, messages
NAME = 200
SHORT = 40
# No German word is longer (the longest in use have some 60 letters); anything longer is not language.
LONGEST_WORD = 64
