package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/oa"
)

// oaRefusals are the refused side of Official Accounts' JSON routes: Ann
// owns the approved account "riders" (a draft, a published article with
// Dee's hidden comment, a scheduled broadcast, an auto-reply) and made Bo
// its operator; Dee owns the pending "dees". Cy runs nothing; visitors
// see nothing unapproved or unpublished; operators do not change what
// only the owner may.
func oaRefusals(t *testing.T, w *refusalWorld) []testapp.Refusal {
	t.Helper()
	svc := testapp.Services(t, w.app).OA
	acct, err := svc.Apply(w.ann.Id, oa.ApplyInput{Handle: "riders", Name: "Riders", Category: "sports", Kind: oa.KindSubscription})
	oaMust(t, err)
	_, err = svc.Apply(w.dee.Id, oa.ApplyInput{Handle: "dees", Name: "Dee's", Category: "food", Kind: oa.KindService})
	oaMust(t, err)
	rec, err := w.app.FindRecordById("oa_accounts", acct.ID)
	oaMust(t, err)
	rec.Set("status", oa.StatusApproved)
	oaMust(t, w.app.Save(rec))
	oaMust(t, svc.AddOperator(w.ann.Id, acct.ID, w.bo.Id))
	draft, err := svc.WriteArticle(w.ann.Id, acct.ID, oa.ArticleInput{Title: "Draft"})
	oaMust(t, err)
	out, err := svc.WriteArticle(w.ann.Id, acct.ID, oa.ArticleInput{Title: "Out", CommentsOpen: true})
	oaMust(t, err)
	_, err = svc.Broadcast(w.ann.Id, out.ID, time.Time{})
	oaMust(t, err)
	later, err := svc.Broadcast(w.ann.Id, draft.ID, time.Now().Add(72*time.Hour))
	oaMust(t, err)
	comment, err := svc.Comment(w.dee.Id, out.ID, "Hidden until shown")
	oaMust(t, err)
	rule, err := svc.SetAutoReply(w.ann.Id, acct.ID, oa.AutoReplyRule{Keyword: "hi", Match: oa.MatchExact, Reply: "Hello"})
	oaMust(t, err)

	cy, bo := testapp.Token(t, w.cy), testapp.Token(t, w.bo)
	const noAuth, authCode = http.StatusUnauthorized, "auth.required"
	const nf, oaNF = http.StatusNotFound, "oa.not_found"
	a, r := "/api/plaza/oa/accounts/riders", "/api/plaza/oa/articles/"
	return []testapp.Refusal{
		{Name: "a directory of no category", Route: "GET /api/plaza/oa/accounts", URL: "/api/plaza/oa/accounts?category=toys", Status: 400, Code: "request.invalid"},
		{Name: "a pending account signed out", Route: "GET /api/plaza/oa/accounts/{handle}", URL: "/api/plaza/oa/accounts/dees", Status: nf, Code: oaNF},
		{Name: "a pending account's articles", Route: "GET /api/plaza/oa/accounts/{handle}/articles", URL: "/api/plaza/oa/accounts/dees/articles", Token: cy, Status: nf, Code: oaNF},
		{Name: "a draft signed out", Route: "GET /api/plaza/oa/articles/{id}", URL: r + draft.ID, Status: nf, Code: oaNF},
		{Name: "a draft's comments", Route: "GET /api/plaza/oa/articles/{id}/comments", URL: r + draft.ID + "/comments", Token: cy, Status: nf, Code: oaNF},
		{Name: "applying without a session", Route: "POST /api/plaza/oa/accounts", Body: `{"handle":"cycy"}`, Status: noAuth, Code: authCode},
		{Name: "my accounts without a session", Route: "GET /api/plaza/oa/me/accounts", Status: noAuth, Code: authCode},
		{Name: "following list without a session", Route: "GET /api/plaza/oa/following", Status: noAuth, Code: authCode},
		{Name: "following a pending account", Route: "POST /api/plaza/oa/accounts/{handle}/follow", URL: "/api/plaza/oa/accounts/dees/follow", Token: cy, Status: nf, Code: oaNF},
		{Name: "unfollowing without a session", Route: "DELETE /api/plaza/oa/accounts/{handle}/follow", URL: a + "/follow", Status: noAuth, Code: authCode},
		{Name: "reporting a pending account", Route: "POST /api/plaza/oa/accounts/{handle}/report", URL: "/api/plaza/oa/accounts/dees/report", Body: `{"reason":"spam"}`, Token: cy, Status: nf, Code: oaNF},
		{Name: "liking a draft", Route: "PUT /api/plaza/oa/articles/{id}/reactions/{kind}", URL: r + draft.ID + "/reactions/like", Token: cy, Status: nf, Code: oaNF},
		{Name: "a reaction without a session", Route: "DELETE /api/plaza/oa/articles/{id}/reactions/{kind}", URL: r + out.ID + "/reactions/like", Status: noAuth, Code: authCode},
		{Name: "commenting on a draft", Route: "POST /api/plaza/oa/articles/{id}/comments", URL: r + draft.ID + "/comments", Body: `{"text":"x"}`, Token: cy, Status: nf, Code: oaNF},
		{Name: "sharing a draft", Route: "POST /api/plaza/oa/articles/{id}/share", URL: r + draft.ID + "/share", Body: `{"to":["` + w.direct + `"]}`, Token: bo, Status: nf, Code: oaNF},
		{Name: "reporting a draft", Route: "POST /api/plaza/oa/articles/{id}/report", URL: r + draft.ID + "/report", Body: `{"reason":"spam"}`, Token: cy, Status: nf, Code: oaNF},
		{Name: "reporting a hidden comment", Route: "POST /api/plaza/oa/comments/{id}/report", URL: "/api/plaza/oa/comments/" + comment.ID + "/report", Body: `{"reason":"spam"}`, Token: cy, Status: nf, Code: oaNF},

		{Name: "a stranger writes an article", Route: "POST /api/plaza/oa/accounts/{handle}/articles", URL: a + "/articles", Body: `{"title":"x"}`, Token: cy, Status: nf, Code: oaNF},
		{Name: "a stranger edits an article", Route: "PATCH /api/plaza/oa/articles/{id}", URL: r + out.ID, Body: `{"title":"x"}`, Token: cy, Status: nf, Code: oaNF},
		{Name: "a stranger deletes an article", Route: "DELETE /api/plaza/oa/articles/{id}", URL: r + out.ID, Token: cy, Status: nf, Code: oaNF},
		{Name: "a stranger broadcasts", Route: "POST /api/plaza/oa/articles/{id}/broadcast", URL: r + draft.ID + "/broadcast", Body: `{}`, Token: cy, Status: nf, Code: oaNF},
		{Name: "a stranger lists broadcasts", Route: "GET /api/plaza/oa/accounts/{handle}/broadcasts", URL: a + "/broadcasts", Token: cy, Status: nf, Code: oaNF},
		{Name: "a stranger cancels a broadcast", Route: "DELETE /api/plaza/oa/broadcasts/{id}", URL: "/api/plaza/oa/broadcasts/" + later.ID, Token: cy, Status: nf, Code: oaNF},
		{Name: "an upload without a session", Route: "POST /api/plaza/oa/accounts/{handle}/media", URL: a + "/media", Status: noAuth, Code: authCode},
		{Name: "a stranger shows a comment", Route: "PATCH /api/plaza/oa/comments/{id}", URL: "/api/plaza/oa/comments/" + comment.ID, Body: `{"shown":true}`, Token: cy, Status: nf, Code: oaNF},
		{Name: "a stranger reads auto-replies", Route: "GET /api/plaza/oa/accounts/{handle}/autoreplies", URL: a + "/autoreplies", Token: cy, Status: nf, Code: oaNF},
		{Name: "a stranger adds an auto-reply", Route: "POST /api/plaza/oa/accounts/{handle}/autoreplies", URL: a + "/autoreplies",
			Body: `{"keyword":"x","match":"exact","reply":"y"}`, Token: cy, Status: nf, Code: oaNF},
		{Name: "a stranger deletes an auto-reply", Route: "DELETE /api/plaza/oa/accounts/{handle}/autoreplies/{id}", URL: a + "/autoreplies/" + rule.ID, Token: cy, Status: nf, Code: oaNF},
		{Name: "a stranger reads the texts", Route: "GET /api/plaza/oa/accounts/{handle}/texts", URL: a + "/texts", Token: cy, Status: nf, Code: oaNF},
		{Name: "a stranger sets the welcome", Route: "PUT /api/plaza/oa/accounts/{handle}/texts", URL: a + "/texts", Body: `{"welcome":"x"}`, Token: cy, Status: nf, Code: oaNF},
		{Name: "a stranger sets the menu", Route: "PUT /api/plaza/oa/accounts/{handle}/menu", URL: a + "/menu", Body: `{"menu":[]}`, Token: cy, Status: nf, Code: oaNF},
		{Name: "a stranger reads the stats", Route: "GET /api/plaza/oa/accounts/{handle}/stats", URL: a + "/stats", Token: cy, Status: nf, Code: oaNF},
		{Name: "a stranger lists the operators", Route: "GET /api/plaza/oa/accounts/{handle}/operators", URL: a + "/operators", Token: cy, Status: nf, Code: oaNF},
		{Name: "an operator adds an operator", Route: "POST /api/plaza/oa/accounts/{handle}/operators", URL: a + "/operators", Body: `{"member":"` + w.cy.Id + `"}`, Token: bo, Status: nf, Code: oaNF},
		{Name: "an operator removes an operator", Route: "DELETE /api/plaza/oa/accounts/{handle}/operators/{member}", URL: a + "/operators/" + w.bo.Id, Token: bo, Status: nf, Code: oaNF},
		{Name: "an operator sets the webhook", Route: "PUT /api/plaza/oa/accounts/{handle}/webhook", URL: a + "/webhook", Body: `{"url":"https://example.org/h"}`, Token: bo, Status: nf, Code: oaNF},
	}
}

func oaMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
