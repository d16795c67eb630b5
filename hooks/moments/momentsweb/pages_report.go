package momentsweb

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/reports"
	"plaza/hooks/reports/reportsweb"
	"plaza/hooks/web"
	chatviews "plaza/views/chat"
)

// Reporting a post or a comment from the page: the chat's report form,
// filed into the one queue (hooks/reports) by Moments' operations.

func (h handlers) registerReportPages(pages *router.RouterGroup[*core.RequestEvent]) {
	pages.GET("/moments/posts/{id}/report", h.reportPostPage)
	pages.POST("/moments/posts/{id}/report", h.reportPostPage)
	pages.GET("/moments/comments/{id}/report", h.reportCommentPage)
	pages.POST("/moments/comments/{id}/report", h.reportCommentPage)
}

// reportPostPage shows and files a report about a post one can see.
func (h handlers) reportPostPage(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	p, err := h.m.PostFor(e.Auth.Id, id)
	if err != nil {
		return err
	}
	m := chatviews.ReportForm{Action: e.Request.URL.Path, Subject: p.Text, Back: "/moments/posts/" + id}
	return h.report(e, m, func(in reports.Input) error { return h.m.ReportPost(e.Auth.Id, id, in) })
}

// reportCommentPage shows and files a report about a comment one can see.
func (h handlers) reportCommentPage(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	m := chatviews.ReportForm{Action: e.Request.URL.Path, Subject: web.T(e, "moments.report_comment"), Back: "/moments"}
	return h.report(e, m, func(in reports.Input) error { return h.m.ReportComment(e.Auth.Id, id, in) })
}

func (h handlers) report(e *core.RequestEvent, m chatviews.ReportForm, file func(reports.Input) error) error {
	status, m, err := reportsweb.Submit(e, m, file)
	if err != nil {
		return err
	}
	return render(e, status, web.T(e, "chat.report"), chatviews.ReportPage(m))
}
