package oa

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/media"
	"plaza/hooks/problem"
	"plaza/pb_migrations"
)

// Limits of an account's profile and texts.
const (
	NameMax        = 30
	DescriptionMax = 200
	TextMax        = 600 // a welcome, a default reply, an auto-reply, a comment or its reply
	DirectoryMax   = 50  // accounts one directory or search answer lists
)

// Kinds of account.
const (
	KindSubscription = "subscription" // broadcasts land folded and silent in Subscriptions
	KindService      = "service"      // broadcasts land as a chat with notification
)

// Statuses of an account; superusers set them in /_/.
const (
	StatusPending  = "pending"
	StatusApproved = "approved"
	StatusRejected = "rejected"
)

// Categories are the directory's categories.
var Categories = slices.Clone(pb_migrations.OACategories)

var handlePattern = regexp.MustCompile(`^[a-z0-9_]{3,30}$`)

// reservedHandles are the words the pages under /oa/ use where a handle
// could stand: an account so named would be shadowed.
var reservedHandles = map[string]bool{"apply": true, "mine": true, "following": true, "subscriptions": true,
	"media": true, "search": true, "console": true, "new": true, "admin": true, "open": true}

// Account is an Official Account as a viewer sees it.
type Account struct {
	ID           string `json:"id"`
	Owner        string `json:"-"`
	Handle       string `json:"handle"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	Category     string `json:"category"`
	Kind         string `json:"kind"`
	Status       string `json:"status"`
	RejectReason string `json:"reject_reason,omitempty"` // its owner only
	Verified     bool   `json:"verified"`
	Followers    int    `json:"followers"`
	HasAvatar    bool   `json:"has_avatar"`
	Menu         Menu   `json:"menu"`
	Following    bool   `json:"following"` // the viewer follows it
	Mine         bool   `json:"mine"`      // the viewer owns it
	Operator     bool   `json:"operator"`  // the viewer may run it
}

// ApplyInput is a member's application for an account.
type ApplyInput struct {
	Handle, Name, Description, Category, Kind string
	Avatar                                    *filesystem.File
}

const accountColumns = `a.id, a.owner, a.handle, a.name, a.description, a.category, a.kind, a.status, a.reject_reason,
	a.verified, a.followers, (a.avatar != '') AS has_avatar, a.menu`

type accountRow struct {
	ID           string `db:"id"`
	Owner        string `db:"owner"`
	Handle       string `db:"handle"`
	Name         string `db:"name"`
	Description  string `db:"description"`
	Category     string `db:"category"`
	Kind         string `db:"kind"`
	Status       string `db:"status"`
	RejectReason string `db:"reject_reason"`
	Verified     bool   `db:"verified"`
	Followers    int    `db:"followers"`
	HasAvatar    bool   `db:"has_avatar"`
	Menu         string `db:"menu"`
}

func (r accountRow) account() Account {
	return Account{ID: r.ID, Owner: r.Owner, Handle: r.Handle, Name: r.Name, Description: r.Description, Category: r.Category,
		Kind: r.Kind, Status: r.Status, Verified: r.Verified, Followers: r.Followers, HasAvatar: r.HasAvatar, Menu: parseMenu(r.Menu)}
}

// Apply files memberID's application; the account is pending until a
// superuser approves it. A member has at most one pending or approved
// account.
func (s *Service) Apply(memberID string, in ApplyInput) (Account, error) {
	in.Handle = strings.ToLower(strings.TrimSpace(in.Handle))
	in.Name, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	if err := checkApplication(in); err != nil {
		return Account{}, err
	}
	avatar, err := cleanImage(in.Avatar, "avatar")
	if err != nil {
		return Account{}, err
	}
	col, err := s.app.FindCachedCollectionByNameOrId("oa_accounts")
	if err != nil {
		return Account{}, fmt.Errorf("oa_accounts collection: %w", err)
	}
	rec := core.NewRecord(col)
	rec.Load(map[string]any{"owner": memberID, "handle": in.Handle, "name": in.Name, "description": in.Description,
		"category": in.Category, "kind": in.Kind, "status": StatusPending, "webhook_secret": randomSecret(), "menu": "[]"})
	if avatar != nil {
		rec.Set("avatar", avatar)
	}
	err = s.app.RunInTransaction(func(tx core.App) error {
		var mine, taken int
		if err := tx.DB().NewQuery(`SELECT count(*) FROM oa_accounts WHERE owner = {:o} AND status != 'rejected'`).
			Bind(dbx.Params{"o": memberID}).Row(&mine); err != nil {
			return fmt.Errorf("count accounts: %w", err)
		}
		if mine > 0 {
			return problem.New(http.StatusConflict, "oa.already_have")
		}
		if err := tx.DB().NewQuery(`SELECT count(*) FROM oa_accounts WHERE handle = {:h}`).
			Bind(dbx.Params{"h": in.Handle}).Row(&taken); err != nil {
			return fmt.Errorf("check handle: %w", err)
		}
		if taken > 0 {
			return problem.Invalid("handle", "oa.handle_taken", nil)
		}
		return tx.Save(rec)
	})
	if err != nil {
		return Account{}, err
	}
	return s.AccountFor(memberID, in.Handle)
}

func checkApplication(in ApplyInput) error {
	p := &problem.Problem{Status: http.StatusBadRequest}
	if !handlePattern.MatchString(in.Handle) || reservedHandles[in.Handle] {
		p.Add("handle", "oa.bad_handle", nil)
	}
	if in.Name == "" {
		p.Add("name", "validation_required", nil)
	}
	tooLong(p, "name", in.Name, NameMax)
	tooLong(p, "description", in.Description, DescriptionMax)
	if !slices.Contains(Categories, in.Category) {
		p.Add("category", "oa.bad_category", nil)
	}
	if in.Kind != KindSubscription && in.Kind != KindService {
		p.Add("kind", "oa.bad_kind", nil)
	}
	return p.OrNil()
}

// tooLong adds a problem when text (or a NUL in it) does not fit.
func tooLong(p *problem.Problem, field, text string, max int) {
	if utf8.RuneCountInString(text) > max {
		p.Add(field, "profile.too_long", map[string]any{"max": max})
	}
	if problem.HasNUL(text) {
		p.Add(field, "errors.nul_byte", nil)
	}
}

func randomSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("oa: no randomness: %v", err)) // crypto/rand never fails on Linux
	}
	return hex.EncodeToString(b)
}

func cleanImage(f *filesystem.File, name string) (*filesystem.File, error) {
	if f == nil {
		return nil, nil
	}
	p, err := media.CleanUpload(f, name)
	if err != nil {
		return nil, err
	}
	clean, err := filesystem.NewFileFromBytes(p.Data, name+p.Ext)
	if err != nil {
		return nil, fmt.Errorf("%s file: %w", name, err)
	}
	return clean, nil
}

// AccountFor is the account of handle as viewerID ("" signed out) sees
// it: an account that is not approved exists for its owner only.
func (s *Service) AccountFor(viewerID, handle string) (Account, error) {
	return s.accountWhere(viewerID, "a.handle = {:k}", strings.ToLower(strings.TrimSpace(handle)))
}

// AccountByID is AccountFor by the account's id.
func (s *Service) AccountByID(viewerID, accountID string) (Account, error) {
	return s.accountWhere(viewerID, "a.id = {:k}", accountID)
}

func (s *Service) accountWhere(viewerID, where, key string) (Account, error) {
	var row accountRow
	err := s.app.DB().NewQuery(`SELECT ` + accountColumns + ` FROM oa_accounts a WHERE ` + where).Bind(dbx.Params{"k": key}).One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, notFound()
	}
	if err != nil {
		return Account{}, fmt.Errorf("load account: %w", err)
	}
	a := row.account()
	a.Mine = viewerID != "" && a.Owner == viewerID
	if a.Status != StatusApproved && !a.Mine {
		return Account{}, notFound()
	}
	if a.Mine {
		a.RejectReason = row.RejectReason
	}
	if viewerID == "" {
		return a, nil
	}
	var st struct {
		Following bool `db:"following"`
		Operator  bool `db:"operator"`
	}
	err = s.app.DB().NewQuery(`SELECT
		EXISTS (SELECT 1 FROM oa_follows WHERE member = {:m} AND account = {:a}) AS following,
		EXISTS (SELECT 1 FROM oa_operators WHERE account = {:a} AND member = {:m}) AS operator`).
		Bind(dbx.Params{"m": viewerID, "a": a.ID}).One(&st)
	if err != nil {
		return Account{}, fmt.Errorf("read standing: %w", err)
	}
	a.Following, a.Operator = st.Following, a.Mine || st.Operator
	return a, nil
}

// Directory lists approved accounts, most followed first: of category
// ("" for all) and matching query ("" for any) in name, handle or
// description.
func (s *Service) Directory(category, query string) ([]Account, error) {
	query = strings.TrimSpace(query)
	if category != "" && !slices.Contains(Categories, category) {
		return nil, problem.Invalid("category", "oa.bad_category", nil)
	}
	if problem.HasNUL(query) || utf8.RuneCountInString(query) > 100 {
		return nil, problem.Invalid("q", "oa.bad_query", nil)
	}
	where, params := `a.status = 'approved'`, dbx.Params{"n": DirectoryMax}
	if category != "" {
		where += ` AND a.category = {:c}`
		params["c"] = category
	}
	if query != "" {
		where += ` AND (a.name LIKE {:q} ESCAPE '\' OR a.handle LIKE {:q} ESCAPE '\' OR a.description LIKE {:q} ESCAPE '\')`
		params["q"] = "%" + likeEscaper.Replace(query) + "%"
	}
	var rows []accountRow
	err := s.app.DB().NewQuery(`SELECT ` + accountColumns + ` FROM oa_accounts a WHERE ` + where +
		` ORDER BY a.followers DESC, a.name LIMIT {:n}`).Bind(params).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("directory: %w", err)
	}
	out := make([]Account, len(rows))
	for i, r := range rows {
		out[i] = r.account()
	}
	return out, nil
}

// Search finds approved accounts of any category by name, handle or
// description.
func (s *Service) Search(query string) ([]Account, error) {
	if strings.TrimSpace(query) == "" {
		return nil, nil
	}
	return s.Directory("", query)
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
