package oaweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/oa"
	"plaza/hooks/problem"
	"plaza/hooks/reports"
	"plaza/hooks/web"
)

// apiArticles is GET /api/plaza/oa/accounts/{handle}/articles: its
// published articles, newest first, without bodies; those who run it see
// its drafts first.
func (h handlers) apiArticles(e *core.RequestEvent) error {
	a, err := h.apiAccountOf(e)
	if err != nil {
		return web.APIError(e, err)
	}
	list, err := h.oa.Articles(apiViewer(e), a.ID)
	if err != nil {
		return web.APIError(e, err)
	}
	items := make([]ArticleJSON, 0, len(list))
	for _, r := range list {
		items = append(items, articleJSON(r, a.Handle))
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// apiArticle is GET /api/plaza/oa/articles/{id}: the article, its read
// counted first (once per member, or per signed-out visitor, per day) so
// that reads includes it.
func (h handlers) apiArticle(e *core.RequestEvent) error {
	id, viewer := e.Request.PathValue("id"), apiViewer(e)
	r := oa.Reader{MemberID: viewer}
	if viewer == "" {
		r.Addr = e.RealIP()
	}
	if _, err := h.oa.CountRead(r, id); err != nil {
		return web.APIError(e, err)
	}
	return h.apiArticleJSON(e, http.StatusOK, id)
}

// apiArticleJSON answers articleID as the caller sees it now.
func (h handlers) apiArticleJSON(e *core.RequestEvent, status int, articleID string) error {
	viewer := apiViewer(e)
	a, err := h.oa.Article(viewer, articleID)
	if err != nil {
		return web.APIError(e, err)
	}
	acct, err := h.oa.AccountByID(viewer, a.Account)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(status, articleJSON(a, acct.Handle))
}

// apiComments is GET /api/plaza/oa/articles/{id}/comments: the shown
// comments, oldest first, with the caller's own; operators see all.
func (h handlers) apiComments(e *core.RequestEvent) error {
	viewer := apiViewer(e)
	list, err := h.oa.Comments(viewer, e.Request.PathValue("id"))
	if err != nil {
		return web.APIError(e, err)
	}
	items, err := commentsJSON(e.App, viewer, list)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// apiReact is PUT|DELETE /api/plaza/oa/articles/{id}/reactions/{kind}
// (like, wow): the article with its counts now.
func (h handlers) apiReact(on bool) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		id := e.Request.PathValue("id")
		if _, err := h.oa.React(e.Auth.Id, id, e.Request.PathValue("kind"), on); err != nil {
			return web.APIError(e, err)
		}
		return h.apiArticleJSON(e, http.StatusOK, id)
	}
}

// apiComment is POST /api/plaza/oa/articles/{id}/comments {"text"}: 201
// the comment, shown to others once an operator shows it.
func (h handlers) apiComment(e *core.RequestEvent) error {
	var body struct {
		Text string `json:"text"`
	}
	if err := web.BindJSON(e, &body); err != nil {
		return web.APIError(e, err)
	}
	c, err := h.oa.Comment(e.Auth.Id, e.Request.PathValue("id"), body.Text)
	if err != nil {
		return web.APIError(e, err)
	}
	items, err := commentsJSON(e.App, e.Auth.Id, []oa.Comment{c})
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusCreated, items[0])
}

// apiShareMax is how many chats one share may go to (as a forward).
const apiShareMax = chat.ForwardTargetsMax

// apiShare is POST /api/plaza/oa/articles/{id}/share {"to": [chat ids],
// "client_id"}: the article's card into each chat, once all of them are
// the caller's. A retry with the same client_id sends nothing twice.
func (h handlers) apiShare(e *core.RequestEvent) error {
	var body struct {
		To       []string `json:"to"`
		ClientID string   `json:"client_id"`
	}
	if err := web.BindJSON(e, &body); err != nil {
		return web.APIError(e, err)
	}
	id, me := e.Request.PathValue("id"), e.Auth.Id
	if a, err := h.oa.Article(me, id); err != nil || a.PublishedAt == "" {
		return web.APIError(e, problem.New(http.StatusNotFound, "oa.not_found"))
	}
	to := distinct(body.To)
	if len(to) == 0 || len(to) > apiShareMax {
		return web.APIError(e, problem.Invalid("to", "chat.forward_pick", map[string]any{"max": apiShareMax}))
	}
	if len(body.ClientID) > 40 {
		return web.APIError(e, problem.Invalid("client_id", "errors.bad_request", nil))
	}
	key := body.ClientID
	if key == "" {
		key = core.GenerateDefaultRandomId()
	}
	for _, c := range to {
		ok, err := chat.IsMember(e.App, me, c)
		if err == nil && !ok {
			err = chat.NotFound()
		}
		if err != nil {
			return web.APIError(e, err)
		}
	}
	sent := make([]map[string]string, 0, len(to))
	for _, c := range to {
		res, err := h.chat.Send(me, c, chat.SendInput{ClientID: "share:" + key, Kind: chat.MsgCard,
			Card: &chat.CardRequest{Type: oa.CardArticle, Ref: id}})
		if err != nil {
			return web.APIError(e, err)
		}
		sent = append(sent, map[string]string{"conversation": c, "message": res.Message.ID})
	}
	return e.JSON(http.StatusOK, map[string]any{"items": sent})
}

// reportAccount files a report about the account {handle} names.
func (h handlers) reportAccount(reporterID, handle string, in reports.Input) error {
	a, err := h.oa.AccountFor(reporterID, handle)
	if err != nil {
		return err
	}
	return h.oa.ReportAccount(reporterID, a.ID, in)
}

// apiReport is POST …/report {"reason", "note"}: 204 once the report is
// in the moderators' queue. The path's one parameter names the subject.
func (h handlers) apiReport(file func(reporterID, key string, in reports.Input) error) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		var body struct {
			Reason string `json:"reason"`
			Note   string `json:"note"`
		}
		if err := web.BindJSON(e, &body); err != nil {
			return web.APIError(e, err)
		}
		key := e.Request.PathValue("id")
		if key == "" {
			key = e.Request.PathValue("handle")
		}
		if err := file(e.Auth.Id, key, reports.Input{Reason: body.Reason, Note: body.Note}); err != nil {
			return web.APIError(e, err)
		}
		return e.NoContent(http.StatusNoContent)
	}
}

// distinct drops empty and repeated ids, keeping the order.
func distinct(ids []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
