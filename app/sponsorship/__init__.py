"""Sponsors fund concession codes (by card through Stripe Checkout, or by invoice), and every funded unit is
traced to a code claimed and redeemed; a ledger says who owes whom what."""
