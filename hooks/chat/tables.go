package chat

// Tables are the tables only this package's SQL may name (docs/ARCHITECTURE.md,
// "Each table has one owner"); other modules call its operations.
// messages_fts is an FTS5 table: its shadow tables (messages_fts_data, …)
// are its own.
func Tables() []string {
	return []string{"conversations", "conversation_members", "messages", "messages_fts", "chat_media", "favourites",
		"group_join_requests", "group_removals", "message_hides", "message_reactions"}
}
