package web

// Tables are the tables only this package's SQL may name (docs/ARCHITECTURE.md,
// "Each table has one owner"): the revoked sessions behind sign-out.
func Tables() []string { return []string{"revoked_sessions"} }
