// Package reportsweb is the report form every module's pages share: it
// binds the reason and note, files the report through the module's
// operation (which checks that the reporter can see what they report), and
// says what to show.
package reportsweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
	"plaza/hooks/reports"
	"plaza/hooks/web"
	views "plaza/views/chat"
)

// Submit handles a report form: on POST it files the report with file and
// marks m done, or puts a refused field's message on m (status 400). It
// returns the status to render m with; an error other than a 400 problem
// (a 404 for something the reporter cannot see) is returned as it is.
func Submit(e *core.RequestEvent, m views.ReportForm, file func(reports.Input) error) (int, views.ReportForm, error) {
	if e.Request.Method != http.MethodPost {
		return http.StatusOK, m, nil
	}
	in := reports.Input{Reason: e.Request.FormValue("reason"), Note: e.Request.FormValue("note")}
	err := file(in)
	if p, ok := problem.As(err); ok && p.Status == http.StatusBadRequest {
		m.Reason, m.Note, m.Errors = in.Reason, in.Note, web.FieldErrors(e, p)
		return p.Status, m, nil
	}
	if err != nil {
		return 0, m, err
	}
	m.Done = true
	return http.StatusOK, m, nil
}
