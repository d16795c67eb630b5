package hooks_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/channels"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/wallet"
)

// refusalWorld is a small community seen from the refused side: Ann owns
// the group "Riders" with Bo and Dee (her friends), Bo and Ann have their
// 1:1 chat, Ann has a tag, Dee asked Bo to be friends, and Cy is a
// stranger to everyone.
type refusalWorld struct {
	app                       core.App
	ann, bo, cy, dee          *core.Record
	group, direct, tag, reqID string
	moment, comment           string // Ann's Moments post (friends only) and Bo's comment on it
	// Channels: Ann's live post and Bo's comment on it; Ann's post taken
	// down in /_/ and Bo's comment on that.
	chPost, chComment, chDown, chDownComment string
}

func newRefusalWorld(t *testing.T) *refusalWorld {
	t.Helper()
	app := testapp.New(t)
	w := &refusalWorld{app: app}
	w.ann, w.bo, w.cy, w.dee = testapp.CreateMember(t, app, "ann001"), testapp.CreateMember(t, app, "bo0001"),
		testapp.CreateMember(t, app, "cy0001"), testapp.CreateMember(t, app, "dee001")
	testapp.Befriend(t, app, w.ann, w.bo)
	testapp.Befriend(t, app, w.ann, w.dee)
	w.group = w.post(t, w.ann, "/api/plaza/chats", `{"name":"Riders","members":["`+w.bo.Id+`","`+w.dee.Id+`"]}`)["id"].(string)
	w.direct = w.post(t, w.ann, "/api/plaza/chats/direct", `{"member":"`+w.bo.Id+`"}`)["id"].(string)
	w.tag = w.post(t, w.ann, "/api/plaza/tags", `{"name":"Family"}`)["id"].(string)
	w.reqID = w.post(t, w.dee, "/api/plaza/contacts/requests", `{"plaza_id":"bo0001"}`)["id"].(string)
	w.moment = w.post(t, w.ann, "/api/plaza/moments/posts", `{"text":"Riders assemble"}`)["id"].(string)
	w.comment = w.post(t, w.bo, "/api/plaza/moments/posts/"+w.moment+"/comments", `{"text":"On my way"}`)["id"].(string)
	return w
}

func (w *refusalWorld) post(t *testing.T, who *core.Record, path, body string) map[string]any {
	t.Helper()
	rec := testapp.Do(testapp.Handler(t, w.app), http.MethodPost, path, body,
		map[string]string{"Authorization": testapp.Token(t, who), "Content-Type": "application/json"})
	if rec.Code >= 300 {
		t.Fatalf("POST %s: %d %s", path, rec.Code, rec.Body.String())
	}
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEveryRouteRefusesWhoMustNotPass: each /api/plaza/ route has a row
// from the side of someone who must be refused (no session, a stranger,
// a member without the right), answering the documented status and code
// (and, through testapp.Handler, a body that matches docs/openapi.yaml).
// Each domain's own tests go deeper; this table is the floor, and a new
// route without a row fails here.
func TestEveryRouteRefusesWhoMustNotPass(t *testing.T) {
	w := newRefusalWorld(t)
	cy, bo := testapp.Token(t, w.cy), testapp.Token(t, w.bo)
	// Cy has money and a PIN: only the chat stops the payment.
	if err := testapp.Services(t, w.app).Wallet.SetPIN(w.cy.Id, "135792"); err != nil {
		t.Fatal(err)
	}
	if _, err := wallet.Mint(w.app, "cy0001", 10_000, "refusal test"); err != nil {
		t.Fatal(err)
	}
	g, d := "/api/plaza/chats/"+w.group, "/api/plaza/chats/"+w.direct
	mp, momentsNF := "/api/plaza/moments/posts/"+w.moment, "moments.not_found"
	const noAuth, authCode = http.StatusUnauthorized, "auth.required"
	const nf, chatNF = http.StatusNotFound, "chat.not_found"
	rows := []testapp.Refusal{
		{Name: "sign-up with no email", Route: "POST /api/plaza/signup", Body: `{"password":"correct-horse-9"}`, Status: 400, Code: "request.invalid"},
		{Name: "sign out without a session", Route: "POST /api/plaza/logout", Status: noAuth, Code: authCode},
		{Name: "profile without a session", Route: "GET /api/plaza/me", Status: noAuth, Code: authCode},
		{Name: "edit a profile without a session", Route: "PATCH /api/plaza/me", Body: `{"name":"x"}`, Status: noAuth, Code: authCode},
		{Name: "avatar without a session", Route: "POST /api/plaza/me/avatar", Status: noAuth, Code: authCode},
		{Name: "privacy without a session", Route: "GET /api/plaza/me/privacy", Status: noAuth, Code: authCode},
		{Name: "change privacy without a session", Route: "PATCH /api/plaza/me/privacy", Body: `{}`, Status: noAuth, Code: authCode},
		{Name: "QR link without a session", Route: "GET /api/plaza/me/qr-link", Status: noAuth, Code: authCode},
		{Name: "reset QR link without a session", Route: "POST /api/plaza/me/qr-link/reset", Status: noAuth, Code: authCode},

		{Name: "contacts without a session", Route: "GET /api/plaza/contacts", Status: noAuth, Code: authCode},
		{Name: "search without a session", Route: "GET /api/plaza/contacts/search", URL: "/api/plaza/contacts/search?q=bo", Status: noAuth, Code: authCode},
		{Name: "requests without a session", Route: "GET /api/plaza/contacts/requests", Status: noAuth, Code: authCode},
		{Name: "a request to no such member", Route: "POST /api/plaza/contacts/requests",
			Body: `{"plaza_id":"nosuchmember"}`, Token: cy, Status: nf, Code: "contacts.not_found"},
		{Name: "a stranger accepts a request made to someone else", Route: "POST /api/plaza/contacts/requests/{id}/accept",
			URL: "/api/plaza/contacts/requests/" + w.reqID + "/accept", Token: cy, Status: nf, Code: "contacts.not_found"},
		{Name: "a stranger ignores a request made to someone else", Route: "POST /api/plaza/contacts/requests/{id}/ignore",
			URL: "/api/plaza/contacts/requests/" + w.reqID + "/ignore", Token: cy, Status: nf, Code: "contacts.not_found"},
		{Name: "a stranger sets a remark on a non-friend", Route: "PATCH /api/plaza/contacts/{id}", URL: "/api/plaza/contacts/" + w.ann.Id,
			Body: `{"remark":"x"}`, Token: cy, Status: nf, Code: "contacts.not_found"},
		{Name: "a stranger deletes a non-friend", Route: "DELETE /api/plaza/contacts/{id}", URL: "/api/plaza/contacts/" + w.ann.Id,
			Token: cy, Status: nf, Code: "contacts.not_found"},
		{Name: "blocking without a session", Route: "POST /api/plaza/contacts/{id}/block", URL: "/api/plaza/contacts/" + w.ann.Id + "/block",
			Status: noAuth, Code: authCode},
		{Name: "unblocking without a session", Route: "DELETE /api/plaza/contacts/{id}/block", URL: "/api/plaza/contacts/" + w.ann.Id + "/block",
			Status: noAuth, Code: authCode},

		{Name: "tags without a session", Route: "GET /api/plaza/tags", Status: noAuth, Code: authCode},
		{Name: "a tag without a session", Route: "POST /api/plaza/tags", Body: `{"name":"Spies"}`, Status: noAuth, Code: authCode},
		{Name: "someone else's tag", Route: "GET /api/plaza/tags/{id}", URL: "/api/plaza/tags/" + w.tag, Token: bo, Status: nf, Code: "contacts.not_found"},
		{Name: "rename someone else's tag", Route: "PATCH /api/plaza/tags/{id}", URL: "/api/plaza/tags/" + w.tag, Body: `{"name":"x"}`, Token: bo,
			Status: nf, Code: "contacts.not_found"},
		{Name: "delete someone else's tag", Route: "DELETE /api/plaza/tags/{id}", URL: "/api/plaza/tags/" + w.tag, Token: bo, Status: nf, Code: "contacts.not_found"},

		{Name: "a socket ticket without a session", Route: "POST /api/plaza/ws-ticket", Status: noAuth, Code: authCode},
		{Name: "chats without a session", Route: "GET /api/plaza/chats", Status: noAuth, Code: authCode},
		{Name: "a group with a stranger's friends", Route: "POST /api/plaza/chats", Body: `{"members":["` + w.bo.Id + `","` + w.dee.Id + `"]}`, Token: cy,
			Status: 400, Code: "request.invalid"},
		{Name: "a 1:1 chat with a non-friend", Route: "POST /api/plaza/chats/direct", Body: `{"member":"` + w.ann.Id + `"}`, Token: cy, Status: nf, Code: chatNF},
		{Name: "a stranger reads a group", Route: "GET /api/plaza/chats/{id}", URL: g, Token: cy, Status: nf, Code: chatNF},
		{Name: "a stranger renames a group", Route: "PATCH /api/plaza/chats/{id}", URL: g, Body: `{"name":"x"}`, Token: cy, Status: nf, Code: chatNF},
		{Name: "a stranger reads a group's messages", Route: "GET /api/plaza/chats/{id}/messages", URL: g + "/messages", Token: cy, Status: nf, Code: chatNF},
		{Name: "a stranger asks for a group's join link", Route: "GET /api/plaza/chats/{id}/join-link", URL: g + "/join-link", Token: cy, Status: nf, Code: chatNF},
		{Name: "a plain member resets the join code", Route: "POST /api/plaza/chats/{id}/join-code/reset", URL: g + "/join-code/reset", Token: bo,
			Status: http.StatusForbidden, Code: "chat.admins_only"},
		{Name: "a stranger lists a group's members", Route: "GET /api/plaza/chats/{id}/members", URL: g + "/members", Token: cy, Status: nf, Code: chatNF},
		{Name: "a stranger invites into a group", Route: "POST /api/plaza/chats/{id}/members", URL: g + "/members", Body: `{"members":["` + w.cy.Id + `"]}`,
			Token: cy, Status: nf, Code: chatNF},
		{Name: "a plain member makes an admin", Route: "PATCH /api/plaza/chats/{id}/members/{member}", URL: g + "/members/" + w.dee.Id,
			Body: `{"role":"admin"}`, Token: bo, Status: http.StatusForbidden, Code: "chat.admins_only"},
		{Name: "a plain member removes another", Route: "DELETE /api/plaza/chats/{id}/members/{member}", URL: g + "/members/" + w.dee.Id,
			Token: bo, Status: http.StatusForbidden, Code: "chat.admins_only"},
		{Name: "a plain member hands over ownership", Route: "POST /api/plaza/chats/{id}/owner", URL: g + "/owner", Body: `{"member":"` + w.bo.Id + `"}`,
			Token: bo, Status: http.StatusForbidden, Code: "chat.admins_only"},
		{Name: "a stranger leaves a group", Route: "POST /api/plaza/chats/{id}/leave", URL: g + "/leave", Token: cy, Status: nf, Code: chatNF},
		{Name: "a plain member dissolves a group", Route: "POST /api/plaza/chats/{id}/dissolve", URL: g + "/dissolve", Token: bo,
			Status: http.StatusForbidden, Code: "chat.admins_only"},
		{Name: "a plain member turns approval on", Route: "POST /api/plaza/chats/{id}/approval", URL: g + "/approval", Body: `{"on":true}`, Token: bo,
			Status: http.StatusForbidden, Code: "chat.admins_only"},
		{Name: "a plain member lists join requests", Route: "GET /api/plaza/chats/{id}/requests", URL: g + "/requests", Token: bo,
			Status: http.StatusForbidden, Code: "chat.admins_only"},
		{Name: "a plain member approves a join request", Route: "POST /api/plaza/chats/{id}/requests/{rid}/approve", URL: g + "/requests/madeupmadeup123/approve",
			Token: bo, Status: http.StatusForbidden, Code: "chat.admins_only"},
		{Name: "a plain member declines a join request", Route: "POST /api/plaza/chats/{id}/requests/{rid}/decline", URL: g + "/requests/madeupmadeup123/decline",
			Token: bo, Status: http.StatusForbidden, Code: "chat.admins_only"},
		{Name: "a stranger reads an announcement", Route: "POST /api/plaza/chats/{id}/announcement/read", URL: g + "/announcement/read", Token: cy, Status: nf, Code: chatNF},
		{Name: "a stranger mutes someone's 1:1 chat", Route: "PATCH /api/plaza/chats/{id}/prefs", URL: d + "/prefs", Body: `{"muted":true}`, Token: cy, Status: nf, Code: chatNF},
		{Name: "a stranger marks someone's chat unread", Route: "POST /api/plaza/chats/{id}/unread", URL: d + "/unread", Body: `{"unread":true}`, Token: cy, Status: nf, Code: chatNF},
		{Name: "a stranger hides someone's chat", Route: "POST /api/plaza/chats/{id}/hide", URL: d + "/hide", Token: cy, Status: nf, Code: chatNF},
		{Name: "a stranger clears someone's chat", Route: "POST /api/plaza/chats/{id}/clear", URL: d + "/clear", Token: cy, Status: nf, Code: chatNF},

		{Name: "a wallet without a session", Route: "GET /api/plaza/wallet", Status: noAuth, Code: authCode},
		{Name: "a transfer into someone else's chat", Route: "POST /api/plaza/wallet/transfers", Body: `{"conversation":"` + w.direct + `","amount":100,"pin":"135792"}`,
			Header: map[string]string{"Idempotency-Key": "refusal-key-1"}, Token: cy, Status: nf, Code: "wallet.not_found"},
		{Name: "a transfer that does not exist", Route: "GET /api/plaza/wallet/transfers/{id}", URL: "/api/plaza/wallet/transfers/madeupmadeup123", Token: cy, Status: nf, Code: "wallet.not_found"},
		{Name: "accept a transfer that does not exist", Route: "POST /api/plaza/wallet/transfers/{id}/accept", URL: "/api/plaza/wallet/transfers/madeupmadeup123/accept",
			Token: cy, Status: nf, Code: "wallet.not_found"},
		{Name: "return a transfer that does not exist", Route: "POST /api/plaza/wallet/transfers/{id}/return", URL: "/api/plaza/wallet/transfers/madeupmadeup123/return",
			Token: cy, Status: nf, Code: "wallet.not_found"},
		{Name: "a red packet into someone else's group", Route: "POST /api/plaza/wallet/packets", Body: `{"conversation":"` + w.group + `","kind":"lucky","amount":100,"count":1,"pin":"135792"}`,
			Header: map[string]string{"Idempotency-Key": "refusal-key-2"}, Token: cy, Status: nf, Code: "wallet.not_found"},
		{Name: "a red packet that does not exist", Route: "GET /api/plaza/wallet/packets/{id}", URL: "/api/plaza/wallet/packets/madeupmadeup123", Token: cy, Status: nf, Code: "wallet.not_found"},
		{Name: "claim a red packet that does not exist", Route: "POST /api/plaza/wallet/packets/{id}/claim", URL: "/api/plaza/wallet/packets/madeupmadeup123/claim",
			Token: cy, Status: nf, Code: "wallet.not_found"},
		{Name: "pay without a session", Route: "POST /api/plaza/wallet/pay", Body: `{}`, Status: noAuth, Code: authCode},
		{Name: "a collect link without a session", Route: "GET /api/plaza/wallet/collect-link", Status: noAuth, Code: authCode},
		{Name: "reset a collect link without a session", Route: "POST /api/plaza/wallet/collect-link/reset", Status: noAuth, Code: authCode},
		{Name: "a member mints money", Route: "POST /api/plaza/admin/wallet/mint", Body: `{"member":"` + w.cy.Id + `","amount":100,"key":"refusal-key-3"}`, Token: cy,
			Status: http.StatusForbidden, Code: "forbidden"},
		{Name: "a feed without a session", Route: "GET /api/plaza/moments/feed", Status: noAuth, Code: authCode},
		{Name: "a cursor the server did not make", Route: "GET /api/plaza/moments/albums/{member}", URL: "/api/plaza/moments/albums/" + w.ann.Id + "?after=nonsense",
			Token: cy, Status: 400, Code: "request.invalid"},
		{Name: "publish without a session", Route: "POST /api/plaza/moments/posts", Body: `{"text":"x"}`, Status: noAuth, Code: authCode},
		{Name: "a stranger opens a friends-only post", Route: "GET /api/plaza/moments/posts/{id}", URL: mp, Token: cy, Status: nf, Code: momentsNF},
		{Name: "a friend deletes someone else's post", Route: "DELETE /api/plaza/moments/posts/{id}", URL: mp, Token: bo, Status: nf, Code: momentsNF},
		{Name: "a friend makes someone else's post private", Route: "POST /api/plaza/moments/posts/{id}/private", URL: mp + "/private", Token: bo,
			Status: nf, Code: momentsNF},
		{Name: "a stranger likes a friends-only post", Route: "POST /api/plaza/moments/posts/{id}/like", URL: mp + "/like", Token: cy, Status: nf, Code: momentsNF},
		{Name: "a stranger unlikes a friends-only post", Route: "DELETE /api/plaza/moments/posts/{id}/like", URL: mp + "/like", Token: cy, Status: nf, Code: momentsNF},
		{Name: "a stranger comments on a friends-only post", Route: "POST /api/plaza/moments/posts/{id}/comments", URL: mp + "/comments",
			Body: `{"text":"hi"}`, Token: cy, Status: nf, Code: momentsNF},
		{Name: "someone else deletes a comment on a post not theirs", Route: "DELETE /api/plaza/moments/comments/{id}",
			URL: "/api/plaza/moments/comments/" + w.comment, Token: testapp.Token(t, w.dee), Status: nf, Code: momentsNF},
		{Name: "a stranger reports a friends-only post", Route: "POST /api/plaza/moments/posts/{id}/report", URL: mp + "/report",
			Body: `{"reason":"spam"}`, Token: cy, Status: nf, Code: momentsNF},
		{Name: "a stranger reports a comment on a friends-only post", Route: "POST /api/plaza/moments/comments/{id}/report",
			URL: "/api/plaza/moments/comments/" + w.comment + "/report", Body: `{"reason":"spam"}`, Token: cy, Status: nf, Code: momentsNF},
		{Name: "notifications without a session", Route: "GET /api/plaza/moments/notifications", Status: noAuth, Code: authCode},
		{Name: "reading notifications without a session", Route: "POST /api/plaza/moments/notifications/read", Status: noAuth, Code: authCode},
		{Name: "settings without a session", Route: "GET /api/plaza/moments/settings", Status: noAuth, Code: authCode},
		{Name: "a range that does not exist", Route: "PATCH /api/plaza/moments/settings", Body: `{"range":"forever"}`, Token: cy, Status: 400, Code: "request.invalid"},
		{Name: "a cover without a session", Route: "POST /api/plaza/moments/cover", Status: noAuth, Code: authCode},

		{Name: "a member runs the verifier", Route: "GET /api/plaza/admin/wallet/verify", Token: cy, Status: http.StatusForbidden, Code: "forbidden"},
	}
	rows = append(rows, channelsRefusals(t, w)...)
	rows = append(rows, oaChatRefusals(t, w)...)
	rows = append(rows, oaRefusals(t, w)...)
	rows = append(rows, mpDirRefusals(t, w)...)
	rows = append(rows, mpRefusals(t, w)...)
	rows = append(rows, mpDevRefusals(t, w)...)
	testapp.RequireRefusalRows(t, w.app, rows, "/api/plaza/")
	testapp.CheckRefusals(t, w.app, rows)

	// Nothing the refused asked for happened.
	h, ann := testapp.Handler(t, w.app), testapp.Token(t, w.ann)
	get := func(token, path string) string {
		rec := testapp.Do(h, http.MethodGet, path, "", map[string]string{"Authorization": token})
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.String())
		}
		return rec.Body.String()
	}
	var info struct {
		Name    string `json:"name"`
		Members int    `json:"member_count"`
	}
	if err := json.Unmarshal([]byte(get(ann, g)), &info); err != nil || info.Name != "Riders" {
		t.Errorf("the group changed: %+v %v", info, err)
	}
	var members struct{ Items []map[string]any }
	if err := json.Unmarshal([]byte(get(ann, g+"/members")), &members); err != nil || len(members.Items) != 3 {
		t.Errorf("the group's members changed: %d %v", len(members.Items), err)
	}
	var tag struct{ Name string }
	if err := json.Unmarshal([]byte(get(ann, "/api/plaza/tags/"+w.tag)), &tag); err != nil || tag.Name != "Family" {
		t.Errorf("the tag changed: %+v %v", tag, err)
	}
	var post struct {
		Text     string           `json:"text"`
		Comments []map[string]any `json:"comments"`
	}
	if err := json.Unmarshal([]byte(get(ann, mp)), &post); err != nil || post.Text != "Riders assemble" || len(post.Comments) != 1 {
		t.Errorf("the post changed: %+v %v", post, err)
	}
	var wal struct {
		Balance int64 `json:"balance"`
	}
	if err := json.Unmarshal([]byte(get(cy, "/api/plaza/wallet")), &wal); err != nil || wal.Balance != 10_000 {
		t.Errorf("the refused payments moved money: balance %d %v", wal.Balance, err)
	}
	checkChannelsUnchanged(t, w)
}

// channelsRefusals are Channels' rows: Ann has the channel "annch" with a
// live post (Bo commented) and a post a superuser took down (Bo commented
// before). Signed out, one reads only what the public pages show; only
// the owner edits, deletes or pins; a taken-down post is 404 at every
// door; cursors the server did not make are 400.
func channelsRefusals(t *testing.T, w *refusalWorld) []testapp.Refusal {
	t.Helper()
	ch := testapp.Services(t, w.app).Channels
	name := "Ann rides"
	if _, err := ch.Create(w.ann.Id, channels.ProfileInput{Handle: ptr("annch"), Name: &name}); err != nil {
		t.Fatal(err)
	}
	publish := func(caption string) string {
		photo, err := filesystem.NewFileFromBytes(testapp.PNG(t, 16, 12), "p.png")
		if err != nil {
			t.Fatal(err)
		}
		p, err := ch.Publish(w.ann.Id, channels.PostInput{Caption: caption, Photos: []*filesystem.File{photo}})
		if err != nil {
			t.Fatal(err)
		}
		c, err := ch.AddComment(w.bo.Id, p.ID, channels.CommentInput{Text: "nice"})
		if err != nil {
			t.Fatal(err)
		}
		return p.ID + " " + c.ID
	}
	w.chPost, w.chComment, _ = strings.Cut(publish("Dawn ride #bikes"), " ")
	w.chDown, w.chDownComment, _ = strings.Cut(publish("Buy followers #bikes"), " ")
	rec, err := w.app.FindRecordById("channels_posts", w.chDown)
	if err != nil {
		t.Fatal(err)
	}
	rec.Set("taken_down", true)
	if err := w.app.Save(rec); err != nil {
		t.Fatal(err)
	}
	ann, bo, cy, dee := testapp.Token(t, w.ann), testapp.Token(t, w.bo), testapp.Token(t, w.cy), testapp.Token(t, w.dee)
	api, live, down := "/api/plaza/channels", "/api/plaza/channels/posts/"+w.chPost, "/api/plaza/channels/posts/"+w.chDown
	com, downCom := api+"/comments/"+w.chComment, api+"/comments/"+w.chDownComment
	const noAuth, authCode, nf, chNF, bad = http.StatusUnauthorized, "auth.required", http.StatusNotFound, "channels.not_found", "request.invalid"
	return []testapp.Refusal{
		{Name: "a channel that does not exist", Route: "GET /api/plaza/channels/c/{handle}", URL: api + "/c/nosuchchannel", Status: nf, Code: chNF},
		{Name: "a channel's posts after a made-up cursor", Route: "GET /api/plaza/channels/c/{handle}/posts", URL: api + "/c/annch/posts?after=nonsense", Status: 400, Code: bad},
		{Name: "a taken-down post, signed out", Route: "GET /api/plaza/channels/posts/{id}", URL: down, Status: nf, Code: chNF},
		{Name: "a taken-down post, its owner", Route: "GET /api/plaza/channels/posts/{id}", URL: down, Token: ann, Status: nf, Code: chNF},
		{Name: "a taken-down post's comments", Route: "GET /api/plaza/channels/posts/{id}/comments", URL: down + "/comments", Status: nf, Code: chNF},
		{Name: "comments after a made-up cursor", Route: "GET /api/plaza/channels/posts/{id}/comments", URL: live + "/comments?after=x|y", Status: 400, Code: bad},
		{Name: "a hashtag after a made-up cursor", Route: "GET /api/plaza/channels/tags/{tag}", URL: api + "/tags/bikes?after=nonsense", Status: 400, Code: bad},
		{Name: "Popular after a made-up cursor", Route: "GET /api/plaza/channels/popular", URL: api + "/popular?after=high|x", Status: 400, Code: bad},
		{Name: "a NUL in a search", Route: "GET /api/plaza/channels/search", URL: api + "/search?q=a%00b", Status: 400, Code: "errors.nul_byte"},
		{Name: "my channel without a session", Route: "GET /api/plaza/channels/me", Status: noAuth, Code: authCode},
		{Name: "open a channel without a session", Route: "POST /api/plaza/channels/me", Body: `{"handle":"ghost","name":"x"}`, Status: noAuth, Code: authCode},
		{Name: "edit a channel without a session", Route: "PATCH /api/plaza/channels/me", Body: `{"name":"x"}`, Status: noAuth, Code: authCode},
		{Name: "edit a channel one does not have", Route: "PATCH /api/plaza/channels/me", Body: `{"name":"x"}`, Token: cy, Status: nf, Code: chNF},
		{Name: "stats without a channel (no one else's)", Route: "GET /api/plaza/channels/me/stats", Token: cy, Status: nf, Code: chNF},
		{Name: "Following without a session", Route: "GET /api/plaza/channels/following", Status: noAuth, Code: authCode},
		{Name: "Friends without a session", Route: "GET /api/plaza/channels/friends", Status: noAuth, Code: authCode},
		{Name: "Friends after a made-up cursor", Route: "GET /api/plaza/channels/friends", URL: api + "/friends?after=nonsense", Token: cy, Status: 400, Code: bad},
		{Name: "favourites after a made-up cursor", Route: "GET /api/plaza/channels/favourites", URL: api + "/favourites?after=nonsense", Token: cy, Status: 400, Code: bad},
		{Name: "follow without a session", Route: "POST /api/plaza/channels/c/{handle}/follow", URL: api + "/c/annch/follow", Status: noAuth, Code: authCode},
		{Name: "unfollow without a session", Route: "DELETE /api/plaza/channels/c/{handle}/follow", URL: api + "/c/annch/follow", Status: noAuth, Code: authCode},
		{Name: "publish without a session", Route: "POST /api/plaza/channels/posts", Status: noAuth, Code: authCode},
		{Name: "edit someone else's post", Route: "PATCH /api/plaza/channels/posts/{id}", URL: live, Body: `{"caption":"mine now"}`, Token: bo, Status: nf, Code: chNF},
		{Name: "edit one's own taken-down post", Route: "PATCH /api/plaza/channels/posts/{id}", URL: down, Body: `{"caption":"innocent"}`, Token: ann, Status: nf, Code: chNF},
		{Name: "delete someone else's post", Route: "DELETE /api/plaza/channels/posts/{id}", URL: live, Token: bo, Status: nf, Code: chNF},
		{Name: "like a taken-down post", Route: "POST /api/plaza/channels/posts/{id}/like", URL: down + "/like", Token: bo, Status: nf, Code: chNF},
		{Name: "unlike without a session", Route: "DELETE /api/plaza/channels/posts/{id}/like", URL: live + "/like", Status: noAuth, Code: authCode},
		{Name: "save a taken-down post", Route: "POST /api/plaza/channels/posts/{id}/favourite", URL: down + "/favourite", Token: bo, Status: nf, Code: chNF},
		{Name: "unsave without a session", Route: "DELETE /api/plaza/channels/posts/{id}/favourite", URL: live + "/favourite", Status: noAuth, Code: authCode},
		{Name: "share a taken-down post", Route: "POST /api/plaza/channels/posts/{id}/share", URL: down + "/share", Body: `{"to":["` + w.direct + `"]}`, Token: ann,
			Status: nf, Code: chNF},
		{Name: "share into someone else's chat", Route: "POST /api/plaza/channels/posts/{id}/share", URL: live + "/share", Body: `{"to":["` + w.direct + `"]}`, Token: cy,
			Status: nf, Code: "chat.not_found"},
		{Name: "comment on a taken-down post", Route: "POST /api/plaza/channels/posts/{id}/comments", URL: down + "/comments", Body: `{"text":"hi"}`, Token: bo,
			Status: nf, Code: chNF},
		{Name: "report a taken-down post", Route: "POST /api/plaza/channels/posts/{id}/report", URL: down + "/report", Body: `{"reason":"spam"}`, Token: bo,
			Status: nf, Code: chNF},
		{Name: "delete someone's comment on someone else's post", Route: "DELETE /api/plaza/channels/comments/{id}", URL: com, Token: dee, Status: nf, Code: chNF},
		{Name: "delete a comment on a taken-down post", Route: "DELETE /api/plaza/channels/comments/{id}", URL: downCom, Token: bo, Status: nf, Code: chNF},
		{Name: "pin a comment on someone else's post", Route: "POST /api/plaza/channels/comments/{id}/pin", URL: com + "/pin", Token: bo, Status: nf, Code: chNF},
		{Name: "unpin on someone else's post", Route: "DELETE /api/plaza/channels/comments/{id}/pin", URL: com + "/pin", Token: bo, Status: nf, Code: chNF},
		{Name: "report a comment on a taken-down post", Route: "POST /api/plaza/channels/comments/{id}/report", URL: downCom + "/report", Body: `{"reason":"spam"}`,
			Token: cy, Status: nf, Code: chNF},
	}
}

// checkChannelsUnchanged: nothing the refused asked of Channels happened.
func checkChannelsUnchanged(t *testing.T, w *refusalWorld) {
	t.Helper()
	ch := testapp.Services(t, w.app).Channels
	p, err := ch.PostFor(w.ann.Id, w.chPost)
	if err != nil || p.Caption != "Dawn ride #bikes" || p.Comments != 1 || p.Likes != 0 || p.Channel.Followers != 0 {
		t.Errorf("Ann's post changed: %+v %v", p, err)
	}
	if page, err := ch.Comments(w.chPost, "", 0); err != nil || len(page.Comments) != 1 || page.Comments[0].Pinned {
		t.Errorf("Bo's comment changed: %+v %v", page, err)
	}
	down, err := w.app.FindRecordById("channels_posts", w.chDown)
	if err != nil || down.GetString("caption") != "Buy followers #bikes" || down.GetInt("comments") != 1 {
		t.Errorf("the taken-down post changed: %v", err)
	}
	if n, err := w.app.CountRecords("reports", dbx.NewExp("kind LIKE 'channels%'")); err != nil || n != 0 {
		t.Errorf("refused reports were filed: %d %v", n, err)
	}
	if n, err := w.app.CountRecords("messages", dbx.HashExp{"kind": "card"}); err != nil || n != 0 {
		t.Errorf("a refused share sent %d cards: %v", n, err)
	}
}

func ptr(s string) *string { return &s }
