package main

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/pb_migrations"
)

// Official Accounts' seeded data, for (f): two approved accounts owned by
// member 0, a subscription account and a service account, each followed
// by members 0…Followers-1, every follower with the chat Plaza makes on a
// follow (hooks/chat/accountchat.go: a conversation of kind "oa", dm_key
// "oa:<account>:<member>", whose only member is the follower, folded and
// muted for a subscription account), and Articles drafts per account.
// The community's broadcast quotas are raised to their maximum.

// The quotas' maximum (pb_migrations/1764600000_oa.go): they bound the
// rounds of (f).
const (
	oaSubscriptionQuota = 100  // broadcasts per UTC day
	oaServiceQuota      = 1000 // broadcasts per UTC month
)

// oaLayout is what (f) seeds; zero Followers: nothing.
type oaLayout struct {
	Followers int // members 0…Followers-1 follow both accounts
	Articles  int // drafts per account
}

// oaData is the seeded accounts: subscription first, then service.
type oaData struct {
	accounts [2]*oaAccount
}

// oaAccount is one seeded Official Account.
type oaAccount struct {
	id, handle, name, kind string
	articles               []string       // draft ids, one per round
	titles                 []string       // their titles
	chats                  map[string]int // follower's chat id → member index
	chatOf                 []string       // member index → chat id
}

// seedOA seeds l's accounts, follows, chats and drafts in one transaction
// with raw SQL, after raising the quotas. ids are the members' record ids.
func seedOA(app core.App, ids []string, l oaLayout, now string) (*oaData, error) {
	row, err := app.FindRecordById("settings", pb_migrations.SettingsRecordID)
	if err != nil {
		return nil, fmt.Errorf("seed: settings row: %w", err)
	}
	row.Set("oa_subscription_per_day", oaSubscriptionQuota)
	row.Set("oa_service_per_month", oaServiceQuota)
	if err := app.Save(row); err != nil {
		return nil, fmt.Errorf("seed: raise the broadcast quotas: %w", err)
	}
	d := &oaData{accounts: [2]*oaAccount{
		{id: core.GenerateDefaultRandomId(), handle: "bench_news", name: "Bench News", kind: "subscription"},
		{id: core.GenerateDefaultRandomId(), handle: "bench_cafe", name: "Bench Cafe", kind: "service"},
	}}
	err = app.RunInTransaction(func(tx core.App) error {
		for _, a := range d.accounts {
			if err := seedAccount(tx, a, ids, l, now); err != nil {
				return fmt.Errorf("account %s: %w", a.handle, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("seed: official accounts: %w", err)
	}
	return d, nil
}

// seedAccount inserts one approved account owned by member 0, its drafts,
// and its followers with their chats.
func seedAccount(tx core.App, a *oaAccount, ids []string, l oaLayout, now string) error {
	db := tx.DB()
	_, err := db.NewQuery(`INSERT INTO oa_accounts (id, owner, name, handle, description, category, kind, status, followers, menu,
			webhook_secret, created, updated)
		VALUES ({:id}, {:owner}, {:name}, {:handle}, 'Load test account', 'community', {:kind}, 'approved', {:n}, '[]',
			{:secret}, {:now}, {:now})`).
		Bind(dbx.Params{"id": a.id, "owner": ids[0], "name": a.name, "handle": a.handle, "kind": a.kind,
			"n": l.Followers, "secret": randomKey(), "now": now}).Execute()
	if err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	article := db.NewQuery(`INSERT INTO oa_articles (id, account, title, author, digest, body_md, body_html, comments_open, published_at, created, updated)
		VALUES ({:id}, {:a}, {:title}, 'Bench', 'A load test article', {:md}, {:html}, 0, '', {:now}, {:now})`).Prepare()
	defer article.Close()
	for i := range l.Articles {
		id, title := core.GenerateDefaultRandomId(), fmt.Sprintf("%s %d", a.name, i)
		_, err := article.Bind(dbx.Params{"id": id, "a": a.id, "title": title, "md": "Round " + fmt.Sprint(i) + " of the load test.",
			"html": "<p>Round " + fmt.Sprint(i) + " of the load test.</p>", "now": now}).Execute()
		if err != nil {
			return fmt.Errorf("insert article %d: %w", i, err)
		}
		a.articles, a.titles = append(a.articles, id), append(a.titles, title)
	}
	return seedFollowers(tx, a, ids[:l.Followers], now)
}

// seedFollowers inserts each follower's chat with the account, its member
// row (folded and muted for a subscription account) and the follow.
func seedFollowers(tx core.App, a *oaAccount, members []string, now string) error {
	db := tx.DB()
	folded := a.kind == "subscription"
	conv := db.NewQuery(`INSERT INTO conversations (id, kind, name, owner, dm_key, last_seq, last_at, created, updated)
		VALUES ({:id}, 'oa', {:name}, '', {:key}, 0, {:now}, {:now}, {:now})`).Prepare()
	defer conv.Close()
	member := db.NewQuery(`INSERT INTO conversation_members (id, conversation, member, role, folded, muted, created, updated)
		VALUES ({:id}, {:c}, {:m}, 'member', {:f}, {:f}, {:now}, {:now})`).Prepare()
	defer member.Close()
	follow := db.NewQuery(`INSERT INTO oa_follows (id, account, member, at, conversation, seen_at)
		VALUES ({:id}, {:a}, {:m}, {:now}, {:c}, {:now})`).Prepare()
	defer follow.Close()
	a.chats, a.chatOf = make(map[string]int, len(members)), make([]string, len(members))
	for i, m := range members {
		c := core.GenerateDefaultRandomId()
		if _, err := conv.Bind(dbx.Params{"id": c, "name": a.name, "key": "oa:" + a.id + ":" + m, "now": now}).Execute(); err != nil {
			return fmt.Errorf("insert chat of member %d: %w", i, err)
		}
		if _, err := member.Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "c": c, "m": m, "f": folded, "now": now}).Execute(); err != nil {
			return fmt.Errorf("insert chat member %d: %w", i, err)
		}
		if _, err := follow.Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "a": a.id, "m": m, "c": c, "now": now}).Execute(); err != nil {
			return fmt.Errorf("insert follow of member %d: %w", i, err)
		}
		a.chats[c], a.chatOf[i] = i, c
	}
	return nil
}
