"""The handover at the end of a round (移交): one zip of the round's clues for the bodies that take them over."""
