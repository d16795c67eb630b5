package contacts

// Tables are the tables only this package's SQL may name (docs/ARCHITECTURE.md,
// "Each table has one owner"); other modules call its operations.
func Tables() []string {
	return []string{"contacts", "friend_requests", "blocks", "contact_tags", "contacts_circle_version"}
}
