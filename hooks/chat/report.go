package chat

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/problem"
	"plaza/hooks/reports"
)

// ReportInput is what a member says in a report (the one queue is
// hooks/reports).
type ReportInput = reports.Input

// ReportReasons a member can pick.
var ReportReasons = reports.Reasons

// ReportNoteMax is the length of the reporter's note, in characters.
const ReportNoteMax = reports.NoteMax

// ReportMessage files a report about a message the reporter can see; the
// moderators get a copy of its text as it is now.
func ReportMessage(app core.App, reporterID, convID, messageID string, in ReportInput) error {
	if err := in.Check(); err != nil {
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
	return reports.File(app, reporterID, reports.Subject{Kind: reports.KindMessage, Conversation: convID, Message: messageID,
		Person: row.Sender, Excerpt: row.Text}, in)
}

// ReportPerson files a report about a member.
func ReportPerson(app core.App, reporterID, personID string, in ReportInput) error {
	if err := in.Check(); err != nil {
		return err
	}
	if personID == reporterID {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	if _, err := app.FindRecordById(accounts.Collection, personID); err != nil {
		return NotFound()
	}
	return reports.File(app, reporterID, reports.Subject{Kind: reports.KindPerson, Person: personID}, in)
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
