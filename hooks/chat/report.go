package chat

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/problem"
)

// ReportsCollection holds reports for the moderators (superusers, in /_/).
const ReportsCollection = "reports"

// ReportReasons a member can pick.
var ReportReasons = []string{"spam", "harassment", "fraud", "illegal", "other"}

// ReportNoteMax is the length of the reporter's note, in characters.
const ReportNoteMax = 500

// ReportInput is what a member says in a report.
type ReportInput struct {
	Reason string
	Note   string
}

func (in *ReportInput) check() error {
	in.Note = strings.TrimSpace(in.Note)
	p := &problem.Problem{Status: http.StatusBadRequest}
	if !slices.Contains(ReportReasons, in.Reason) {
		p.Add("reason", "chat.report_reason_required", nil)
	}
	if utf8.RuneCountInString(in.Note) > ReportNoteMax {
		p.Add("note", "profile.too_long", map[string]any{"max": ReportNoteMax})
	}
	return p.OrNil()
}

// ReportMessage files a report about a message the reporter can see; the
// moderators get a copy of its text as it is now.
func ReportMessage(app core.App, reporterID, convID, messageID string, in ReportInput) error {
	if err := in.check(); err != nil {
		return err
	}
	m, err := memberOf(app, reporterID, convID)
	if err != nil {
		return err
	}
	var row messageRow
	err = app.DB().NewQuery("SELECT " + messageColumns + " FROM messages WHERE id = {:id} AND conversation = {:c} AND seq > {:from} AND kind != 'system'").
		Bind(dbx.Params{"id": messageID, "c": convID, "from": max(m.JoinedSeq, m.Cleared)}).One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return NotFound()
	} else if err != nil {
		return fmt.Errorf("find reported message: %w", err)
	}
	return saveReport(app, reporterID, map[string]any{"kind": "message", "conversation": convID, "message": messageID,
		"person": row.Sender, "excerpt": row.Text}, in)
}

// ReportPerson files a report about a member.
func ReportPerson(app core.App, reporterID, personID string, in ReportInput) error {
	if err := in.check(); err != nil {
		return err
	}
	if personID == reporterID {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	if _, err := app.FindRecordById(accounts.Collection, personID); err != nil {
		return NotFound()
	}
	return saveReport(app, reporterID, map[string]any{"kind": "person", "person": personID}, in)
}

func saveReport(app core.App, reporterID string, fields map[string]any, in ReportInput) error {
	c, err := app.FindCachedCollectionByNameOrId(ReportsCollection)
	if err != nil {
		return err
	}
	r := core.NewRecord(c)
	for k, v := range fields {
		r.Set(k, v)
	}
	r.Set("reporter", reporterID)
	r.Set("reason", in.Reason)
	r.Set("note", in.Note)
	r.Set("status", "open")
	if err := app.Save(r); err != nil {
		return fmt.Errorf("save report: %w", err)
	}
	return nil
}

// ReportableText is the text of a message the member may report (one they
// can see, not recalled, not a notice), or a not-found problem.
func ReportableText(app core.App, memberID, convID, messageID string) (string, error) {
	mine, err := memberOf(app, memberID, convID)
	if err != nil {
		return "", err
	}
	var text string
	if err := app.DB().NewQuery("SELECT text FROM messages WHERE id = {:id} AND conversation = {:c} AND recalled = 0 AND kind != 'system' AND seq > {:from}").
		Bind(dbx.Params{"id": messageID, "c": convID, "from": max(mine.JoinedSeq, mine.Cleared)}).Row(&text); err != nil {
		return "", NotFound()
	}
	return text, nil
}
