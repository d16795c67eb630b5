package oa

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/chat"
	"plaza/hooks/module"
	"plaza/hooks/problem"
)

// Conversations: each follower has one chat with each account they follow
// (chat.KindAccount), made when they follow it. A subscription account's
// is folded into Subscriptions (silent); a service account's is in the
// chat list. A follower's message opens the 48-hour reply window and is
// answered by the account's webhook, else its keyword or default reply;
// operators answer from the inbox inside the window
// (docs/OFFICIAL_ACCOUNTS.md, "Conversations").

// SubscriptionsFolder is the chat list's folder row of subscription
// accounts (module.ChatFolder).
const SubscriptionsFolder = "subscriptions"

// UseChat connects the service to chat: followers' chats, the welcome,
// the answers to followers' messages, broadcasts delivered, and the
// Subscriptions row in the chat list.
func (s *Service) UseChat(c *chat.Service) {
	s.chat = c
	c.OnAccountMessage(s.answer)
	s.reg.AddChatFolder(module.ChatFolder{ID: SubscriptionsFolder, Owner: "oa", Label: "oa.conv_subscriptions",
		Href: "/oa/subscriptions", Row: s.subscriptionsRow})
}

// openChat makes (or brings back) memberID's chat with the account inside
// tx, remembers it on the follow, and stores the welcome in it when there
// is one; the message to announce after the commit, if any.
func (s *Service) openChat(tx core.App, a Account, memberID, welcome string) (*chat.SendResult, error) {
	if s.chat == nil {
		return nil, nil
	}
	conv, err := chat.AccountChat(tx, a.ID, memberID, a.Name, a.Kind == KindSubscription)
	if err != nil {
		return nil, err
	}
	if _, err := tx.DB().NewQuery(`UPDATE oa_follows SET conversation = {:c}, seen_at = {:at} WHERE member = {:m} AND account = {:a}`).
		Bind(dbx.Params{"c": conv, "at": s.stamp(), "m": memberID, "a": a.ID}).Execute(); err != nil {
		return nil, fmt.Errorf("remember the chat: %w", err)
	}
	if welcome == "" {
		return nil, nil
	}
	res, err := s.chat.PostAsAccountInTx(tx, conv, "", welcome, nil)
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// announce delivers what openChat or a reply stored, after its commit.
func (s *Service) announce(res *chat.SendResult) {
	if res != nil && s.chat != nil {
		s.chat.Announce(res.Message.Conversation, *res)
	}
}

// answer is the account's answer to a follower's message in its chat:
// the reply window opens before the send returns; then, on a goroutine of
// its own (a webhook may take 3 × 5 s), the webhook's reply, else the
// keyword or default reply, is posted as the account. A member who no
// longer follows gets nothing.
func (s *Service) answer(convID string, m chat.Message) {
	accountID, memberID, err := chat.AccountChatOf(s.app, convID)
	if err != nil || accountID == "" || memberID != m.Sender {
		return
	}
	if err := s.TouchFollowerMessage(memberID, accountID); err != nil {
		return
	}
	s.delivery.replies.Add(1)
	go func() {
		defer s.delivery.replies.Done()
		s.reply(convID, accountID, memberID, m)
	}()
}

// reply posts the account's automatic answer to a follower's message.
func (s *Service) reply(convID, accountID, memberID string, m chat.Message) {
	text := m.Text
	if m.Kind != chat.MsgText {
		text = ""
	}
	reply, ok, err := s.Forward(memberID, accountID, m.ID, text)
	if err == nil && !ok {
		reply, ok, err = s.AutoReply(accountID, text)
	}
	if err != nil {
		s.app.Logger().Warn("oa: answer a follower", "account", accountID, "error", err.Error())
		return
	}
	if ok && reply != "" {
		if _, err := s.postAsAccount(convID, "", reply); err != nil {
			s.app.Logger().Error("oa: post an answer", "account", accountID, "error", err.Error())
		}
	}
}

// postAsAccount stores a text from the account in convID and delivers it.
func (s *Service) postAsAccount(convID, by, text string) (chat.Message, error) {
	var res chat.SendResult
	err := s.app.RunInTransaction(func(tx core.App) error {
		var err error
		res, err = s.chat.PostAsAccountInTx(tx, convID, by, text, nil)
		return err
	})
	if err != nil {
		return chat.Message{}, err
	}
	s.announce(&res)
	return res.Message, nil
}

// Reply is an operator's answer to a follower, inside the 48-hour window
// (oa.reply_window_closed, 403, outside it; oa.not_found for one who does
// not run the account or a member who does not follow it).
func (s *Service) Reply(operatorID, accountID, followerID, text string) (chat.Message, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return chat.Message{}, problem.Invalid("text", "chat.empty", nil)
	case utf8.RuneCountInString(text) > chat.TextMax:
		return chat.Message{}, problem.Invalid("text", "profile.too_long", map[string]any{"max": chat.TextMax})
	case problem.HasNUL(text):
		return chat.Message{}, problem.Invalid("text", "errors.nul_byte", nil)
	}
	if _, err := s.CanReply(operatorID, accountID, followerID); err != nil {
		return chat.Message{}, err
	}
	conv, err := s.followChat(accountID, followerID)
	if err != nil {
		return chat.Message{}, err
	}
	return s.postAsAccount(conv, operatorID, text)
}

// followChat is the chat of a follow ("" before chats: made on demand).
func (s *Service) followChat(accountID, memberID string) (string, error) {
	var conv string
	err := s.app.RunInTransaction(func(tx core.App) error {
		a, err := accountIn(tx, accountID)
		if err != nil {
			return err
		}
		if err := tx.DB().NewQuery(`SELECT conversation FROM oa_follows WHERE member = {:m} AND account = {:a}`).
			Bind(dbx.Params{"m": memberID, "a": accountID}).Row(&conv); err != nil {
			return notFound()
		}
		if conv != "" || s.chat == nil {
			return nil
		}
		if _, err := s.openChat(tx, a, memberID, ""); err != nil {
			return err
		}
		return tx.DB().NewQuery(`SELECT conversation FROM oa_follows WHERE member = {:m} AND account = {:a}`).
			Bind(dbx.Params{"m": memberID, "a": accountID}).Row(&conv)
	})
	return conv, err
}

// ChatWith is memberID's chat with the approved account they follow (made
// now if it was not): where the account's "Message" button leads.
func (s *Service) ChatWith(memberID, accountID string) (string, error) {
	if memberID == "" {
		return "", notFound()
	}
	return s.followChat(accountID, memberID)
}

// accountIn reads an approved account inside tx.
func accountIn(tx core.App, accountID string) (Account, error) {
	var r accountRow
	err := tx.DB().NewQuery(`SELECT ` + accountColumns + ` FROM oa_accounts a WHERE a.id = {:a} AND a.status = 'approved'`).
		Bind(dbx.Params{"a": accountID}).One(&r)
	if err != nil {
		return Account{}, notFound()
	}
	return r.account(), nil
}

// Thread is one follower's chat in the inbox, with until when the
// operators may answer (zero: the window is closed).
type Thread struct {
	chat.AccountThread
	ReplyUntil time.Time `json:"reply_until"`
}

// Inbox are the chats in which followers wrote to the account, the latest
// first, for one who runs it.
func (s *Service) Inbox(operatorID, accountID string) ([]Thread, error) {
	if _, err := s.console(operatorID, accountID); err != nil {
		return nil, err
	}
	threads, err := chat.AccountThreads(s.app, accountID, 200)
	if err != nil {
		return nil, err
	}
	out := make([]Thread, len(threads))
	for i, t := range threads {
		out[i].AccountThread = t
		if until, err := s.CanReply(operatorID, accountID, t.Member); err == nil {
			out[i].ReplyUntil = until
		}
	}
	return out, nil
}

// ThreadMessages are the latest messages of a follower's chat with the
// account, for one who runs it.
func (s *Service) ThreadMessages(operatorID, accountID, followerID string) ([]chat.Message, error) {
	if _, err := s.console(operatorID, accountID); err != nil {
		return nil, err
	}
	var conv []string
	if err := s.app.DB().NewQuery(`SELECT conversation FROM oa_follows WHERE member = {:m} AND account = {:a} AND conversation != ''`).
		Bind(dbx.Params{"m": followerID, "a": accountID}).Column(&conv); err != nil {
		return nil, fmt.Errorf("read follow: %w", err)
	}
	if len(conv) == 0 {
		return nil, notFound()
	}
	return chat.AccountMessages(s.app, conv[0], 100)
}

// subscriptionsRow is the chat list's Subscriptions row: the newest
// article of the subscription accounts the member follows, and a dot when
// one came out since they last opened Subscriptions.
func (s *Service) subscriptionsRow(app core.App, memberID string) (module.FolderRow, bool, error) {
	var row struct {
		Follows int    `db:"follows"`
		Title   string `db:"title"`
		At      string `db:"at"`
		Unread  bool   `db:"unread"`
	}
	err := app.DB().NewQuery(`SELECT count(*) AS follows, coalesce(max(l.published_at), '') AS at,
			coalesce(max(l.published_at > coalesce(f.seen_at, '')), 0) AS unread,
			coalesce((SELECT a2.name || char(31) || x.title FROM oa_articles x JOIN oa_follows f2 ON f2.account = x.account AND f2.member = {:m}
				JOIN oa_accounts a2 ON a2.id = x.account AND a2.status = 'approved' AND a2.kind = 'subscription'
				WHERE x.published_at > '' ORDER BY x.published_at DESC LIMIT 1), '') AS title
		FROM oa_follows f
		JOIN oa_accounts a ON a.id = f.account AND a.status = 'approved' AND a.kind = 'subscription'
		LEFT JOIN oa_articles l ON l.id = (SELECT y.id FROM oa_articles y WHERE y.account = f.account AND y.published_at > ''
			ORDER BY y.published_at DESC LIMIT 1)
		WHERE f.member = {:m}`).Bind(dbx.Params{"m": memberID}).One(&row)
	if err != nil {
		return module.FolderRow{}, false, fmt.Errorf("subscriptions row: %w", err)
	}
	if row.Follows == 0 {
		return module.FolderRow{}, false, nil
	}
	out := module.FolderRow{Unread: row.Unread}
	if name, title, ok := strings.Cut(row.Title, "\x1f"); ok {
		out.Preview = name + ": " + title
	}
	if at, err := types.ParseDateTime(row.At); err == nil && !at.IsZero() {
		out.At = at.Time()
	}
	return out, true, nil
}

// SeeSubscriptions records that memberID opened Subscriptions now: the
// chat list's dot goes out.
func (s *Service) SeeSubscriptions(memberID string) error {
	_, err := s.app.DB().NewQuery(`UPDATE oa_follows SET seen_at = {:at} WHERE member = {:m}`).
		Bind(dbx.Params{"at": s.stamp(), "m": memberID}).Execute()
	if err != nil {
		return fmt.Errorf("see subscriptions: %w", err)
	}
	if s.chat != nil { // the member's other tabs put the dot out
		s.chat.Push([]string{memberID}, SubscriptionsFrame{T: "oa_subscriptions"})
	}
	return nil
}

// SubscriptionsFrame tells a member's tabs that Subscriptions changed: a
// new article (Preview, At: the row shows them and a dot) or, with no
// Preview, that they opened it (the dot goes out).
type SubscriptionsFrame struct {
	T       string `json:"t"` // "oa_subscriptions"
	Preview string `json:"preview,omitempty"`
	At      string `json:"at,omitempty"` // RFC 3339
}
