"""Line numbers for plan-file errors: a pydantic error path (`targets.1.kpi`) back to the
line of the YAML file it came from, through the node marks of yaml.compose.
"""

from __future__ import annotations

from collections.abc import Sequence

import yaml


def _child(node: yaml.Node, key: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == str(key):
                return value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None


def line_of(text: str, path: Sequence[str | int]) -> int | None:
    """1-based line of the deepest node of `path` found in the YAML text (None if unparsable)."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in path:
        key = int(part) if isinstance(part, str) and part.isdigit() else part
        found = _child(node, key)
        if found is None:
            break  # a missing field: point at its parent, where it should be
        node, line = found, found.start_mark.line + 1
    return line


def dotted_line(text: str, dotted: str) -> int | None:
    """line_of for a path written `targets.0.task_group`."""
    return line_of(text, dotted.split("."))
