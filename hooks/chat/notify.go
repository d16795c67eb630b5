package chat

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
)

// KindService is a read-only chat in which Plaza itself tells one member
// things (the wallet's Pay Notifications). Its name is an i18n key.
const KindService = "service"

// ServiceChat returns the member's service chat named by the i18n key
// nameKey, creating it on first use, inside the caller's transaction. key
// tells one service chat of a member from another ("pay").
func ServiceChat(txApp core.App, memberID, key, nameKey string) (string, error) {
	dm := key + ":" + memberID
	var id string
	err := txApp.DB().NewQuery("SELECT id FROM conversations WHERE dm_key = {:k}").Bind(dbx.Params{"k": dm}).Row(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("find service chat: %w", err)
	}
	return createConversation(txApp, KindService, nameKey, "", dm, []string{memberID}, time.Now())
}

// NotifyInTx stores a card from Plaza (no sender) in a service chat inside
// the caller's transaction; pass the result to Announce after the commit.
func (s *Service) NotifyInTx(txApp core.App, convID string, card *Card) (SendResult, error) {
	if _, ok := s.reg.Card(card.Type); !ok {
		return SendResult{}, fmt.Errorf("chat: card type %q is not registered", card.Type)
	}
	if err := checkCard(card); err != nil {
		return SendResult{}, err
	}
	row, _, err := appendMessage(txApp, direct{txApp}, messageRow{Conversation: convID, Kind: MsgCard, Meta: messageMeta{Card: card}.json()}, s.clock(), KindService)
	if err != nil {
		return SendResult{}, fmt.Errorf("service chat: %w", err)
	}
	return SendResult{Message: row.message(), New: true}, nil
}

// errReadOnly refuses what members try to send into a service chat.
func errReadOnly() error { return problem.New(http.StatusForbidden, "chat.read_only") }
