package chat

// The history queries, for the plan test in chat_test.
var HistorySQL = map[string]string{"after": historyAfterSQL, "before": historyBeforeSQL}
