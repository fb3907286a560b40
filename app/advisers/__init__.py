"""Personal advisers: a young person links the adviser who already helps them; the adviser sees only what the
young person chose to share, suggests opportunities, and hears each week what needs a nudge."""
