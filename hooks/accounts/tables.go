package accounts

// Tables are the tables only this package's SQL may name (docs/ARCHITECTURE.md,
// "Each table has one owner"); other modules call its operations.
func Tables() []string { return []string{Collection, "invite_codes"} }
