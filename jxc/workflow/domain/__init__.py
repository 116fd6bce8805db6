"""Pure code of approvals: conditions, rule matching, levels. No ORM."""
