"""The open data: offers published as Open Referral UK 3.0 (HSDS 3.0) under /openreferral."""
