"""The quality pages: catalogue, self-evaluation, quality dialogues and the analysis basis."""
