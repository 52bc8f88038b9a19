"""Who may act for whom, sharing grants, the policy check every service calls, and the audit log."""
