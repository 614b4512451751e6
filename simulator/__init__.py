"""Bundled simulator of provincial administrative-procedure (DVC) systems.

Product code: the main job pulls from it by default. It serves synthetic,
deterministic dossiers for the partner provinces of the seed plans over HTTP
(see `simulator.server`); the data itself comes from `simulator.generator`.
"""
