package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"golang.org/x/crypto/bcrypt"

	_ "plaza/pb_migrations" // Plaza's schema, applied to the bench data dir
)

// benchCollection is the bench-only collection the SSE comparison creates
// records in (it exists only in the bench data dir).
const benchCollection = "bench_events"

// layout is who is where in the seeded data. Members are numbered 0…Users-1:
//
//   - group g (0 ≤ g < Groups) holds members g·GroupSize … (g+1)·GroupSize-1,
//     owned by its first member; group 0 is the fan-out group of (a) and (c);
//   - small group k (0 ≤ k < Smalls) holds members 2k and 2k+1 (both in
//     group 0): the 2-member groups of (c);
//   - 1:1 pair p (0 ≤ p < Pairs) is members PairBase+2p and PairBase+2p+1,
//     who are friends (one contacts row per direction) and share a direct chat.
type layout struct {
	Users     int
	GroupSize int
	Groups    int
	Smalls    int
	Pairs     int
	PairBase  int
	OA        oaLayout // (f): seed_oa.go
}

// dataset is the seeded data the scenarios need.
type dataset struct {
	layout
	tokens  []string // auth token per member (session cookie value / Authorization)
	groups  []string // conversation ids
	smalls  []string
	directs []string
	oa      *oaData // (f), when seeded
}

// groupMembers lists the members of group g.
func (d *dataset) groupMembers(g int) []int { return span(g*d.GroupSize, d.GroupSize) }

// pairMembers lists the two members of 1:1 pair p.
func (d *dataset) pairMembers(p int) [2]int { return [2]int{d.PairBase + 2*p, d.PairBase + 2*p + 1} }

func span(from, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = from + i
	}
	return out
}

// seed creates a fresh Plaza data dir: migrations, then (in one
// transaction, with raw SQL and a single precomputed password hash) the
// members, groups, 2-member groups, friendships and 1:1 chats of l, a
// superuser (so the server opens no installer), the bench collection for
// the SSE comparison, and the rate limiter turned off. It returns a fresh
// auth token for every member.
//
// One piece: a load scenario reads as one script (set up, warm up,
// measure, report), as docs/PERFORMANCE.md describes it.
func seed(dir string, l layout) (*dataset, error) {
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir, IsDev: false})
	if err := app.Bootstrap(); err != nil {
		return nil, fmt.Errorf("seed: open data dir: %w", err)
	}
	defer app.ResetBootstrapState()
	if err := app.RunAllMigrations(); err != nil {
		return nil, fmt.Errorf("seed: migrations: %w", err)
	}

	// Bench data dir only: /ws is limited to 60 handshakes a minute per IP
	// and every client here is 127.0.0.1.
	app.Settings().RateLimits.Enabled = false
	if err := app.Save(app.Settings()); err != nil {
		return nil, fmt.Errorf("seed: turn the rate limiter off: %w", err)
	}
	if err := seedSuperuser(app); err != nil {
		return nil, err
	}
	if err := seedBenchCollection(app); err != nil {
		return nil, err
	}

	hash, err := bcrypt.GenerateFromPassword([]byte("bench-password-1"), bcrypt.DefaultCost)
	if err != nil {
		return nil, fmt.Errorf("seed: password hash: %w", err)
	}
	d := &dataset{layout: l}
	ids := make([]string, l.Users)
	for i := range ids {
		ids[i] = core.GenerateDefaultRandomId()
	}
	now := time.Now().UTC().Format("2006-01-02 15:04:05.000Z")
	err = app.RunInTransaction(func(tx core.App) error {
		db := tx.DB()
		for i, id := range ids {
			_, err := db.NewQuery(`INSERT INTO users (id, email, emailVisibility, verified, password, tokenKey, name, plaza_id, created, updated)
				VALUES ({:id}, {:email}, 0, 1, {:pw}, {:key}, {:name}, {:pid}, {:now}, {:now})`).
				Bind(dbx.Params{"id": id, "email": fmt.Sprintf("bench%05d@example.test", i), "pw": string(hash),
					"key": randomKey(), "name": fmt.Sprintf("Bench %d", i), "pid": fmt.Sprintf("bench_%05d", i), "now": now}).Execute()
			if err != nil {
				return fmt.Errorf("insert member %d: %w", i, err)
			}
		}
		for g := range l.Groups {
			members := make([]string, l.GroupSize)
			for j := range members {
				members[j] = ids[g*l.GroupSize+j]
			}
			id, err := insertConversation(tx, "group", fmt.Sprintf("Bench group %d", g), members, "", now)
			if err != nil {
				return err
			}
			d.groups = append(d.groups, id)
		}
		for k := range l.Smalls {
			id, err := insertConversation(tx, "group", fmt.Sprintf("Bench pair group %d", k), []string{ids[2*k], ids[2*k+1]}, "", now)
			if err != nil {
				return err
			}
			d.smalls = append(d.smalls, id)
		}
		for p := range l.Pairs {
			pm := d.pairMembers(p)
			a, b := ids[pm[0]], ids[pm[1]]
			for _, dir := range [][2]string{{a, b}, {b, a}} {
				_, err := db.NewQuery(`INSERT INTO contacts (id, owner, friend, source, created, updated)
					VALUES ({:id}, {:o}, {:f}, 'id', {:now}, {:now})`).
					Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "o": dir[0], "f": dir[1], "now": now}).Execute()
				if err != nil {
					return fmt.Errorf("insert friendship %d: %w", p, err)
				}
			}
			key := a + ":" + b
			if a > b {
				key = b + ":" + a
			}
			id, err := insertConversation(tx, "direct", "", []string{a, b}, key, now)
			if err != nil {
				return err
			}
			d.directs = append(d.directs, id)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	if l.OA.Followers > 0 {
		if d.oa, err = seedOA(app, ids, l.OA, now); err != nil {
			return nil, err
		}
	}

	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	records, err := app.FindAllRecords(users)
	if err != nil {
		return nil, fmt.Errorf("seed: load members: %w", err)
	}
	byID := make(map[string]*core.Record, len(records))
	for _, r := range records {
		byID[r.Id] = r
	}
	d.tokens = make([]string, l.Users)
	for i, id := range ids {
		r := byID[id]
		if r == nil {
			return nil, fmt.Errorf("seed: member %d not stored", i)
		}
		if d.tokens[i], err = r.NewAuthToken(); err != nil {
			return nil, fmt.Errorf("seed: token for member %d: %w", i, err)
		}
	}
	return d, nil
}

// insertConversation adds a conversation (last_seq 0) and its members; a
// group's first member is its owner.
func insertConversation(tx core.App, kind, name string, members []string, dmKey, now string) (string, error) {
	id := core.GenerateDefaultRandomId()
	owner := ""
	if kind == "group" {
		owner = members[0]
	}
	_, err := tx.DB().NewQuery(`INSERT INTO conversations (id, kind, name, owner, dm_key, last_seq, last_at, created, updated)
		VALUES ({:id}, {:kind}, {:name}, {:owner}, {:key}, 0, {:now}, {:now}, {:now})`).
		Bind(dbx.Params{"id": id, "kind": kind, "name": name, "owner": owner, "key": dmKey, "now": now}).Execute()
	if err != nil {
		return "", fmt.Errorf("insert conversation %q: %w", name, err)
	}
	for i, m := range members {
		role := "member"
		if i == 0 && kind == "group" {
			role = "owner"
		}
		_, err := tx.DB().NewQuery(`INSERT INTO conversation_members (id, conversation, member, role, created, updated)
			VALUES ({:id}, {:c}, {:m}, {:role}, {:now}, {:now})`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "c": id, "m": m, "role": role, "now": now}).Execute()
		if err != nil {
			return "", fmt.Errorf("insert member of %q: %w", name, err)
		}
	}
	return id, nil
}

func seedSuperuser(app core.App) error {
	c, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	r := core.NewRecord(c)
	r.SetEmail("bench@example.test")
	r.SetPassword(randomKey())
	if err := app.Save(r); err != nil {
		return fmt.Errorf("seed: superuser: %w", err)
	}
	return nil
}

// seedBenchCollection creates the SSE comparison's collection: members may
// list, view and create its records, so every subscriber must pass the
// list rule for every event (as a members-only collection would).
func seedBenchCollection(app core.App) error {
	c := core.NewBaseCollection(benchCollection)
	rule := types.Pointer("@request.auth.id != ''")
	c.ListRule, c.ViewRule, c.CreateRule = rule, rule, rule
	c.Fields.Add(
		&core.NumberField{Name: "n", OnlyInt: true},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	if err := app.Save(c); err != nil {
		return fmt.Errorf("seed: bench collection: %w", err)
	}
	return nil
}

func randomKey() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
