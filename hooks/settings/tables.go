package settings

// Tables are the tables only this package's SQL may name (docs/ARCHITECTURE.md,
// "Each table has one owner").
func Tables() []string { return []string{"settings"} }
