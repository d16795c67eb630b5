package oa

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
)

// deliverChats posts a service account's article as a card in each
// follower's chat with it: the followers online now first, then all in
// id order from the broadcast's cursor (those reached already are skipped
// by the message's client id).
func (s *Service) deliverChats(b pendingBroadcast) error {
	if s.chat == nil {
		return s.markDelivered(b.ID)
	}
	reached := map[string]bool{}
	if b.Cursor == "" {
		var err error
		if reached, err = s.deliverOnlineFirst(b); err != nil {
			return err
		}
	}
	after := b.Cursor
	for {
		batch, err := s.followers(b.Account, after, deliveryBatch)
		if err != nil {
			return err
		}
		done := len(batch) < deliveryBatch
		next := after
		if len(batch) > 0 {
			next = batch[len(batch)-1].Member
		}
		var unreached []follower
		for _, f := range batch {
			if !reached[f.Member] {
				unreached = append(unreached, f)
			}
		}
		if err := s.deliverBatch(b, unreached, next, done); err != nil {
			return err
		}
		if done {
			return nil
		}
		after = next
	}
}

// deliverOnlineFirst reaches the followers with a socket open now before
// the others, in small transactions so the first sockets have it soon;
// it returns whom it reached (the walk after skips them; a restart's walk
// finds their messages by client id).
func (s *Service) deliverOnlineFirst(b pendingBroadcast) (map[string]bool, error) {
	var online []follower
	after := ""
	for {
		batch, err := s.followers(b.Account, after, 5000)
		if err != nil {
			return nil, err
		}
		for _, f := range batch {
			if s.chat.IsOnline(f.Member) {
				online = append(online, f)
			}
		}
		if len(batch) < 5000 {
			break
		}
		after = batch[len(batch)-1].Member
	}
	reached := make(map[string]bool, len(online))
	for len(online) > 0 {
		n := min(len(online), onlineBatch)
		if err := s.deliverBatch(b, online[:n], "", false); err != nil {
			return nil, err
		}
		for _, f := range online[:n] {
			reached[f.Member] = true
		}
		online = online[n:]
	}
	return reached, nil
}

// deliverBatch stores the card in each follower's chat in one
// transaction (a few statements for the whole batch), with the cursor
// (when set) and whether the walk is done, then delivers the new messages.
func (s *Service) deliverBatch(b pendingBroadcast, batch []follower, cursor string, done bool) error {
	ct, ok := s.reg.Card(CardArticle)
	if !ok || ct.Build == nil {
		return fmt.Errorf("card type %s is not registered", CardArticle)
	}
	var posted []chat.SendResult
	err := s.app.RunInTransaction(func(tx core.App) error {
		posted = nil
		a, err := accountIn(tx, b.Account)
		if err != nil {
			return s.markDeliveredIn(tx, b.ID) // the account is gone: nothing to deliver
		}
		convs := make([]string, 0, len(batch))
		for _, f := range batch {
			conv := f.Conv
			if conv == "" { // a follow from before chats: its chat is made now
				if conv, err = chat.AccountChat(tx, a.ID, f.Member, a.Name, false); err != nil {
					return err
				}
			}
			convs = append(convs, conv)
		}
		if len(convs) > 0 {
			card, err := ct.Build(tx, "", convs[0], b.Article) // the same for every follower: built once
			if err != nil {
				return fmt.Errorf("article card: %w", err)
			}
			if posted, err = s.chat.PostCardToAccountChatsInTx(tx, convs, "broadcast-"+b.ID, card); err != nil {
				return err
			}
		}
		if cursor == "" && !done {
			return nil
		}
		_, err = tx.DB().NewQuery(`UPDATE oa_broadcasts SET cursor = {:c}, delivered = {:d} WHERE id = {:b}`).
			Bind(dbx.Params{"c": cursor, "d": done, "b": b.ID}).Execute()
		return err
	})
	if err != nil {
		return err
	}
	for _, res := range posted {
		s.chat.Announce(res.Message.Conversation, res)
	}
	return nil
}

// markDeliveredIn is markDelivered inside tx.
func (s *Service) markDeliveredIn(tx core.App, broadcastID string) error {
	_, err := tx.DB().NewQuery(`UPDATE oa_broadcasts SET delivered = 1 WHERE id = {:b}`).
		Bind(dbx.Params{"b": broadcastID}).Execute()
	return err
}
