package chat

// The history queries, for the plan test in chat_test.
var HistorySQL = map[string]string{"after": historyAfterSQL, "before": historyBeforeSQL}

// SetFanout replaces the service's fan-out (tests record who gets what).
func (s *Service) SetFanout(f Fanout) { s.out = f }
