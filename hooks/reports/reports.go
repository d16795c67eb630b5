// Package reports is the moderators' queue: members report a message, a
// person, a Moments post or comment (and later modules' objects); the
// superusers review the queue in /_/ (collection "reports") and resolve
// or dismiss each report. Every module files through File, so one queue
// holds them all.
package reports

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
)

// Collection holds the reports.
const Collection = "reports"

// Tables are the tables only this package's SQL may name
// (docs/ARCHITECTURE.md, "Each table has one owner").
func Tables() []string { return []string{Collection} }

// Reasons a member can pick.
var Reasons = []string{"spam", "harassment", "fraud", "illegal", "other"}

// NoteMax is the length of the reporter's note, in characters.
const NoteMax = 500

// Kinds of reported things.
const (
	KindMessage         = "message"
	KindPerson          = "person"
	KindMomentsPost     = "moments_post"
	KindMomentsComment  = "moments_comment"
	KindChannelsPost    = "channels_post"
	KindChannelsComment = "channels_comment"
	KindOAAccount       = "oa_account"
	KindOAArticle       = "oa_article"
	KindOAComment       = "oa_comment"
	KindMiniProgram     = "mp_app"
)

// Input is what a member says in a report.
type Input struct {
	Reason string
	Note   string
}

// Check trims the note and refuses a missing reason or a long note.
func (in *Input) Check() error {
	in.Note = strings.TrimSpace(in.Note)
	p := &problem.Problem{Status: http.StatusBadRequest}
	if !slices.Contains(Reasons, in.Reason) {
		p.Add("reason", "chat.report_reason_required", nil)
	}
	if utf8.RuneCountInString(in.Note) > NoteMax {
		p.Add("note", "profile.too_long", map[string]any{"max": NoteMax})
	}
	if problem.HasNUL(in.Note) {
		p.Add("note", "errors.nul_byte", nil)
	}
	return p.OrNil()
}

// Subject is the reported thing, as the module that owns it describes it
// for the moderators.
type Subject struct {
	Kind         string // KindMessage, KindPerson, KindMomentsPost…
	Person       string // the member responsible (the sender, the author)
	Conversation string // a message's chat
	Message      string // a message's id
	Ref          string // another module's object (a post, a comment)
	Excerpt      string // its text as it is now
}

// File stores a report of reporterID's about s; the caller has checked
// that the reporter can see what they report.
func File(app core.App, reporterID string, s Subject, in Input) error {
	if err := in.Check(); err != nil {
		return err
	}
	c, err := app.FindCachedCollectionByNameOrId(Collection)
	if err != nil {
		return fmt.Errorf("reports collection: %w", err)
	}
	r := core.NewRecord(c)
	r.Set("reporter", reporterID)
	r.Set("kind", s.Kind)
	r.Set("person", s.Person)
	r.Set("conversation", s.Conversation)
	r.Set("message", s.Message)
	r.Set("ref", s.Ref)
	r.Set("excerpt", s.Excerpt)
	r.Set("reason", in.Reason)
	r.Set("note", in.Note)
	r.Set("status", "open")
	if err := app.Save(r); err != nil {
		return fmt.Errorf("save report: %w", err)
	}
	return nil
}
