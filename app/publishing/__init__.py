"""What an organisation publishes as a corporate parent: its annual reports, signed off by an owner, frozen as
signed, corrected only by a new version, and submitted to the oversight body for its nation."""
