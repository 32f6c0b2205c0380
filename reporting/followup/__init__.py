"""Follow-through: where transfers go, what came of clues and transfers, and chasing late answers (督办)."""
