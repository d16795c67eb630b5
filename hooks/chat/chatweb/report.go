package chatweb

import (
	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/reports/reportsweb"
	"plaza/hooks/web"
	views "plaza/views/chat"
	"plaza/views/layout"
)

// Reporting a message or a member.

// reportMessagePage shows and files a report about a message.
func (s *site) reportMessagePage(e *core.RequestEvent) error {
	me := web.Member(e)
	convID, mid := e.Request.PathValue("conv"), e.Request.PathValue("mid")
	text, err := chat.ReportableText(s.app, me.Id, convID, mid)
	if err != nil {
		return err
	}
	m := views.ReportForm{Action: e.Request.URL.Path, Subject: text, Back: "/chats/" + convID}
	return s.report(e, m, func(in chat.ReportInput) error { return chat.ReportMessage(s.app, me.Id, convID, mid, in) })
}

// reportPersonPage shows and files a report about a member.
func (s *site) reportPersonPage(e *core.RequestEvent) error {
	otherID := e.Request.PathValue("id")
	name := s.NameOf(otherID)
	if name == "" {
		return chat.NotFound()
	}
	m := views.ReportForm{Action: e.Request.URL.Path, Subject: name, Back: "/contacts"}
	return s.report(e, m, func(in chat.ReportInput) error { return chat.ReportPerson(s.app, web.Member(e).Id, otherID, in) })
}

func (s *site) report(e *core.RequestEvent, m views.ReportForm, file func(chat.ReportInput) error) error {
	status, m, err := reportsweb.Submit(e, m, file)
	if err != nil {
		return err
	}
	return s.render(e, status, "", layout.FocusDetail, func([]views.Row) templ.Component { return views.ReportPage(m) })
}
