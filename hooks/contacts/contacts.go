// Package contacts is friendships and everything around them: finding
// people, friend requests, remarks, tags, stars, per-friend permissions,
// blocking, privacy switches and the add-me QR code. It holds the records,
// the operations and their SQL; its pages and JSON routes are
// hooks/contacts/contactsweb.
package contacts

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/problem"
)

// RequestTTL is how long a friend request waits for an answer.
const RequestTTL = 7 * 24 * time.Hour

// Text limits, in characters.
const (
	GreetingMax = 100
	RemarkMax   = 40
	TagNameMax  = 20
	TagsMax     = 100
)

// NotFound is the answer for anything of contacts the caller may not see
// or that does not exist: the two are never told apart.
func NotFound() *problem.Problem { return problem.New(http.StatusNotFound, "contacts.not_found") }

// findOne returns the first record of collection matching filter, or nil.
func findOne(app core.App, collection, filter string, params dbx.Params) (*core.Record, error) {
	r, err := app.FindFirstRecordByFilter(collection, filter, params)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", collection, err)
	}
	return r, nil
}

func exists(app core.App, query string, params dbx.Params) (bool, error) {
	var n int
	if err := app.DB().NewQuery(query).Bind(params).Row(&n); err != nil {
		return false, fmt.Errorf("check relation: %w", err)
	}
	return n == 1, nil
}

// trimRemarkAndTag trims a remark and a new tag's name, as accepting a
// request and editing a friend take them, and checks their lengths.
func trimRemarkAndTag(remark, newTag *string) error {
	*remark = strings.TrimSpace(*remark)
	*newTag = strings.TrimSpace(*newTag)
	p := &problem.Problem{Status: http.StatusBadRequest}
	checkLen(p, "remark", *remark, RemarkMax)
	checkLen(p, "new_tag", *newTag, TagNameMax)
	if p.Has() {
		return p
	}
	return nil
}

func checkLen(p *problem.Problem, field, value string, max int) {
	if utf8.RuneCountInString(value) > max {
		p.Add(field, "profile.too_long", map[string]any{"max": max})
	}
}

// --- finding people ---------------------------------------------------------

// Find looks a member up by exact Plaza ID (any letter case) or, when the
// query holds an "@", by email — each only if that member allows being found
// that way. Not found and not allowed are the same answer, so privacy
// settings cannot be probed.
func (s *Service) Find(viewer *core.Record, query string) (*core.Record, error) {
	query = strings.TrimSpace(query)
	if problem.HasNUL(query) {
		return nil, problem.Invalid("q", "errors.nul_byte", nil)
	}
	if query == "" || len(query) > 254 {
		return nil, problem.Invalid("q", "contacts.search_empty", nil)
	}
	var (
		found *core.Record
		err   error
		hide  string
	)
	if strings.Contains(query, "@") {
		found, err = s.app.FindAuthRecordByEmail(accounts.Collection, query)
		hide = FieldNoFindByEmail
	} else {
		found, err = accounts.FindByPlazaID(s.app, query)
		hide = FieldNoFindByID
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFound()
	} else if err != nil {
		return nil, fmt.Errorf("find member: %w", err)
	}
	if found.Id != viewer.Id && found.GetBool(hide) {
		return nil, NotFound()
	}
	return found, nil
}

// FoundBy is how a member found by a search for query was found, as a
// friend request's source, and the proof that goes with it: the address
// searched for (email), or nothing (their Plaza ID).
func FoundBy(query string) (source, proof string) {
	if strings.Contains(query, "@") {
		return SourceEmail, query
	}
	return SourceID, ""
}
