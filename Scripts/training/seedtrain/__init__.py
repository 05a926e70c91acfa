"""Seed training of posepipe's five top-down pose families, distilled from its BlazePose pipeline.

Run through Scripts/training/train-seed.sh; see Pipelines/<family>/MODEL.md for what each run produced.
"""
