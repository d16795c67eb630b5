package chat

import "time"

// The history queries, for the plan test in chat_test.
var HistorySQL = map[string]string{"after": historyAfterSQL, "before": historyBeforeSQL}

// PlanSQL is every query of a history page (Messages) and the send's
// read-position and un-hide updates, with the index each must be served
// by (plan_test.go).
var PlanSQL = []struct{ Name, SQL, Index string }{
	{"membership", memberOfSQL, "idx_conversation_members_conv_member"},
	{"history after", historyAfterSQL, "idx_messages_conv_seq"},
	{"history before", historyBeforeSQL, "idx_messages_conv_seq"},
	{"quoted messages", quotesSQL(3), "sqlite_autoindex_messages_1"},
	{"reactions", reactionsSQL([]string{"{:m0}", "{:m1}", "{:m2}"}), "idx_message_reactions_unique"},
	{"sender's read position", sendReadSQL, "sqlite_autoindex_conversation_members_1"},
	{"un-hide the chat", unhideSQL, "idx_conversation_members_hidden"},
}

// SetFanout replaces the service's fan-out (tests record who gets what).
func (s *Service) SetFanout(f Fanout) { s.out = f }

// SetClock moves the service's clock (tests of time windows).
func (s *Service) SetClock(f func() time.Time) { s.clock = f }
