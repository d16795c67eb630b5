package chat_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
)

// groupAPI is a pair (Ann and Bo friends, Cy a stranger) plus Dee, Ann's
// friend, and the JSON client of them all.
type groupAPI struct {
	*pair
	dee *core.Record
	h   http.Handler
	t   *testing.T
}

func newGroupAPI(t *testing.T) *groupAPI {
	p := newPair(t)
	g := &groupAPI{pair: p, dee: testapp.CreateMember(t, p.app, "dee_group"), h: testapp.Handler(t, p.app), t: t}
	befriend(t, p.app, p.ann, g.dee)
	return g
}

// do sends a JSON request as who and answers the status and decoded body
// (nil for an empty body).
func (g *groupAPI) do(who *core.Record, method, path, body string) (int, map[string]any) {
	g.t.Helper()
	headers := map[string]string{"Authorization": testapp.Token(g.t, who)}
	if body != "" {
		headers["Content-Type"] = "application/json"
	}
	res := testapp.Do(g.h, method, path, body, headers)
	if res.Body.Len() == 0 {
		return res.Code, nil
	}
	out := map[string]any{}
	if err := json.Unmarshal(res.Body.Bytes(), &out); err != nil {
		g.t.Fatalf("%s %s: not JSON: %d %s", method, path, res.Code, res.Body.String())
	}
	return res.Code, out
}

// ok expects a success status.
func (g *groupAPI) ok(status int, who *core.Record, method, path, body string) map[string]any {
	g.t.Helper()
	code, out := g.do(who, method, path, body)
	if code != status {
		g.t.Fatalf("%s %s as %s: %d %v, want %d", method, path, who.GetString("plaza_id"), code, out, status)
	}
	return out
}

// refused expects an error answer with status and code, and with field
// (when not empty) named in data with its own code fc ("" for any).
func (g *groupAPI) refused(status int, code, field, fc string, who *core.Record, method, path, body string) {
	g.t.Helper()
	got, out := g.do(who, method, path, body)
	if got != status || out["code"] != code || out["message"] == "" {
		g.t.Fatalf("%s %s %s as %s: %d %v, want %d %s", method, path, body, who.GetString("plaza_id"), got, out, status, code)
	}
	if field != "" {
		data, _ := out["data"].(map[string]any)
		f, ok := data[field].(map[string]any)
		if !ok || (fc != "" && f["code"] != fc) {
			g.t.Fatalf("%s %s: data.%s = %v, want %s", method, path, field, data[field], fc)
		}
	}
}

// group makes Ann's group with Bo and Dee over the API.
func (g *groupAPI) group() string {
	g.t.Helper()
	out := g.ok(201, g.ann, "POST", "/api/plaza/chats", `{"name":"Riders","members":["`+g.bo.Id+`","`+g.dee.Id+`"]}`)
	id, _ := out["id"].(string)
	if id == "" || out["kind"] != "group" || out["name"] != "Riders" {
		g.t.Fatalf("created group: %v", out)
	}
	return id
}

// roles maps member ids to roles, as GET …/members answers them for who.
func (g *groupAPI) roles(who *core.Record, conv string) map[string]string {
	g.t.Helper()
	out := g.ok(200, who, "GET", "/api/plaza/chats/"+conv+"/members", "")
	roles := map[string]string{}
	for _, it := range out["items"].([]any) {
		m := it.(map[string]any)
		roles[m["id"].(string)] = m["role"].(string)
		if m["name"] == "" {
			g.t.Fatalf("member without a name: %v", m)
		}
	}
	return roles
}

// notices are the system notices of a chat as who sees them.
func (g *groupAPI) notices(who *core.Record, conv string) []string {
	g.t.Helper()
	out := g.ok(200, who, "GET", "/api/plaza/chats/"+conv+"/messages?after=0&limit=200", "")
	var codes []string
	for _, it := range out["items"].([]any) {
		if m := it.(map[string]any); m["kind"] == "system" {
			codes = append(codes, m["text"].(string))
		}
	}
	return codes
}

func hasPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// TestAPIOpenDirect: POST /api/plaza/chats/direct opens (or finds) the 1:1
// chat with a friend; a stranger or oneself is "no such chat", a missing
// member a 400 naming it.
func TestAPIOpenDirect(t *testing.T) {
	g := newGroupAPI(t)
	if err := g.svc.Hide(g.ann.Id, g.conv); err != nil {
		t.Fatal(err)
	}
	out := g.ok(200, g.ann, "POST", "/api/plaza/chats/direct", `{"member":"`+g.bo.Id+`"}`)
	if out["id"] != g.conv || out["kind"] != "direct" || out["peer"] != g.bo.Id {
		t.Fatalf("the existing chat, shown again: %v", out)
	}
	out = g.ok(200, g.ann, "POST", "/api/plaza/chats/direct", `{"member":"`+g.dee.Id+`"}`)
	if id, _ := out["id"].(string); id == "" || id == g.conv || out["peer"] != g.dee.Id {
		t.Fatalf("a new chat with Dee: %v", out)
	}
	g.refused(404, "chat.not_found", "", "", g.cy, "POST", "/api/plaza/chats/direct", `{"member":"`+g.ann.Id+`"}`)
	g.refused(404, "chat.not_found", "", "", g.ann, "POST", "/api/plaza/chats/direct", `{"member":"`+g.ann.Id+`"}`)
	g.refused(400, "request.invalid", "member", "chat.member_required", g.ann, "POST", "/api/plaza/chats/direct", `{}`)
	g.refused(400, "request.invalid", "member", "", g.ann, "POST", "/api/plaza/chats/direct", `{"member":7}`)
	g.refused(400, "request.invalid", "", "", g.ann, "POST", "/api/plaza/chats/direct", `{"member":`)
}

// TestAPICreateGroup: POST /api/plaza/chats makes a group of the caller's
// friends, with its "created" notice; too few members, a stranger and a
// long name are 400s naming the field, and nothing is made.
func TestAPICreateGroup(t *testing.T) {
	g := newGroupAPI(t)
	conv := g.group()
	if roles := g.roles(g.bo, conv); len(roles) != 3 || roles[g.ann.Id] != "owner" || roles[g.bo.Id] != "member" || roles[g.dee.Id] != "member" {
		t.Fatalf("members: %v", roles)
	}
	if n := g.notices(g.dee, conv); !hasPrefix(n, "group_created:"+g.ann.Id) {
		t.Fatalf("notices: %v", n)
	}
	before, _ := chat.List(g.app, g.ann.Id)
	g.refused(400, "request.invalid", "members", "chat.group_size", g.ann, "POST", "/api/plaza/chats", `{"members":["`+g.bo.Id+`"]}`)
	g.refused(400, "request.invalid", "members", "chat.not_a_friend", g.ann, "POST", "/api/plaza/chats", `{"members":["`+g.bo.Id+`","`+g.cy.Id+`"]}`)
	g.refused(400, "request.invalid", "name", "profile.too_long", g.ann, "POST", "/api/plaza/chats",
		`{"name":"`+strings.Repeat("n", chat.GroupNameMax+1)+`","members":["`+g.bo.Id+`","`+g.dee.Id+`"]}`)
	g.refused(400, "request.invalid", "members", "", g.ann, "POST", "/api/plaza/chats", `{"members":"`+g.bo.Id+`"}`)
	// A stranger to everyone has no friends to make a group with.
	g.refused(400, "request.invalid", "members", "chat.not_a_friend", g.cy, "POST", "/api/plaza/chats", `{"members":["`+g.bo.Id+`","`+g.dee.Id+`"]}`)
	if after, _ := chat.List(g.app, g.ann.Id); len(after) != len(before) {
		t.Fatalf("a refused group was made: %d chats, were %d", len(after), len(before))
	}
}

// TestAPIChatInfoAndGroupSettings: GET /api/plaza/chats/{id} and PATCH it
// (owner and admins): name and announcement, each with its notice; a plain
// member is 403 chat.admins_only, a stranger and a 1:1 chat 404, a long
// text a 400 naming it with nothing changed; "Got it" for the announcement.
func TestAPIChatInfoAndGroupSettings(t *testing.T) {
	g := newGroupAPI(t)
	conv := g.group()
	path := "/api/plaza/chats/" + conv
	g.ok(204, g.ann, "PATCH", path, `{"name":"Weekend riders","announcement":"Ride at 9"}`)
	info := g.ok(200, g.bo, "GET", path, "")
	if info["name"] != "Weekend riders" || info["announcement"] != "Ride at 9" || info["role"] != "member" || info["members"] != float64(3) || info["kind"] != "group" {
		t.Fatalf("info: %v", info)
	}
	n := g.notices(g.bo, conv)
	if !hasPrefix(n, "renamed:"+g.ann.Id) || !hasPrefix(n, "announcement:"+g.ann.Id) {
		t.Fatalf("notices: %v", n)
	}
	g.ok(204, g.ann, "PATCH", path, `{"announcement":"Ride at 10"}`) // the name stays
	if info := g.ok(200, g.ann, "GET", path, ""); info["name"] != "Weekend riders" || info["announcement"] != "Ride at 10" || info["role"] != "owner" {
		t.Fatalf("after a partial update: %v", info)
	}
	g.refused(403, "chat.admins_only", "", "", g.bo, "PATCH", path, `{"name":"Bo's"}`)
	g.refused(403, "chat.admins_only", "", "", g.bo, "PATCH", path, `{}`)
	g.refused(404, "chat.not_found", "", "", g.cy, "PATCH", path, `{"name":"Cy's"}`)
	g.refused(404, "chat.not_found", "", "", g.cy, "GET", path, "")
	g.refused(404, "chat.not_found", "", "", g.ann, "PATCH", "/api/plaza/chats/"+g.conv, `{"name":"Us"}`)
	g.refused(400, "request.invalid", "announcement", "profile.too_long", g.ann, "PATCH", path,
		`{"name":"Changed","announcement":"`+strings.Repeat("a", chat.AnnouncementMax+1)+`"}`)
	g.refused(400, "request.invalid", "name", "", g.ann, "PATCH", path, `{"name":5}`)
	if info := g.ok(200, g.ann, "GET", path, ""); info["name"] != "Weekend riders" {
		t.Fatalf("a refused update renamed the group: %v", info)
	}
	// An admin may; "Got it" for the announcement.
	g.ok(204, g.ann, "PATCH", path+"/members/"+g.bo.Id, `{"role":"admin"}`)
	g.ok(204, g.bo, "PATCH", path, `{"name":"Bo's riders"}`)
	g.ok(204, g.dee, "POST", path+"/announcement/read", "")
	read, _, err := chat.AnnouncementReaders(g.app, g.ann.Id, conv)
	if err != nil || !strings.Contains(strings.Join(read, ","), g.dee.Id) {
		t.Fatalf("readers %v %v", read, err)
	}
	g.refused(404, "chat.not_found", "", "", g.cy, "POST", path+"/announcement/read", "")
}

// TestAPIMembersRolesAndOwner: the member list with roles, making and
// unmaking admins (owner only), handing the group over (owner only).
func TestAPIMembersRolesAndOwner(t *testing.T) {
	g := newGroupAPI(t)
	conv := g.group()
	path := "/api/plaza/chats/" + conv
	g.refused(404, "chat.not_found", "", "", g.cy, "GET", path+"/members", "")
	if roles := g.roles(g.bo, g.conv); len(roles) != 2 || roles[g.ann.Id] != "member" {
		t.Fatalf("a 1:1 chat's members: %v", roles)
	}

	g.ok(204, g.ann, "PATCH", path+"/members/"+g.bo.Id, `{"role":"admin"}`)
	if r := g.roles(g.dee, conv); r[g.bo.Id] != "admin" {
		t.Fatalf("roles: %v", r)
	}
	g.refused(403, "chat.admins_only", "", "", g.bo, "PATCH", path+"/members/"+g.dee.Id, `{"role":"admin"}`)  // an admin
	g.refused(403, "chat.admins_only", "", "", g.dee, "PATCH", path+"/members/"+g.dee.Id, `{"role":"admin"}`) // a plain member
	g.refused(404, "chat.not_found", "", "", g.cy, "PATCH", path+"/members/"+g.bo.Id, `{"role":"member"}`)
	g.refused(404, "chat.not_found", "", "", g.ann, "PATCH", path+"/members/"+g.cy.Id, `{"role":"admin"}`)
	g.refused(400, "request.invalid", "role", "chat.role_invalid", g.ann, "PATCH", path+"/members/"+g.bo.Id, `{"role":"owner"}`)
	g.refused(400, "request.invalid", "role", "chat.role_invalid", g.ann, "PATCH", path+"/members/"+g.bo.Id, `{}`)
	g.ok(204, g.ann, "PATCH", path+"/members/"+g.bo.Id, `{"role":"member"}`)
	if r := g.roles(g.ann, conv); r[g.bo.Id] != "member" {
		t.Fatalf("roles: %v", r)
	}

	g.refused(403, "chat.admins_only", "", "", g.dee, "POST", path+"/owner", `{"member":"`+g.dee.Id+`"}`)
	g.refused(404, "chat.not_found", "", "", g.cy, "POST", path+"/owner", `{"member":"`+g.cy.Id+`"}`)
	g.refused(404, "chat.not_found", "", "", g.ann, "POST", path+"/owner", `{"member":"`+g.cy.Id+`"}`)
	g.refused(400, "request.invalid", "member", "chat.member_required", g.ann, "POST", path+"/owner", `{}`)
	g.ok(204, g.ann, "POST", path+"/owner", `{"member":"`+g.bo.Id+`"}`)
	if r := g.roles(g.dee, conv); r[g.bo.Id] != "owner" || r[g.ann.Id] != "member" {
		t.Fatalf("after the handover: %v", r)
	}
	if n := g.notices(g.dee, conv); !hasPrefix(n, "owner:"+g.bo.Id) {
		t.Fatalf("notices: %v", n)
	}
	g.refused(403, "chat.admins_only", "", "", g.ann, "POST", path+"/owner", `{"member":"`+g.ann.Id+`"}`) // no longer the owner
}

// TestAPIInviteRemoveAndApproval: inviting friends (anyone in the group),
// removing members (owner and admins), the approval switch (owner), and
// the waiting requests (owner and admins) with approve and decline.
func TestAPIInviteRemoveAndApproval(t *testing.T) {
	g := newGroupAPI(t)
	conv := g.group()
	path := "/api/plaza/chats/" + conv
	eve := testapp.CreateMember(t, g.app, "eve_group")
	fay := testapp.CreateMember(t, g.app, "fay_group")
	gus := testapp.CreateMember(t, g.app, "gus_group")
	befriend(t, g.app, g.ann, eve)
	befriend(t, g.app, g.bo, fay)
	befriend(t, g.app, g.bo, gus)

	if out := g.ok(200, g.ann, "POST", path+"/members", `{"members":["`+eve.Id+`"]}`); out["waiting"] != false {
		t.Fatalf("invite: %v", out)
	}
	if r := g.roles(eve, conv); len(r) != 4 {
		t.Fatalf("after inviting Eve: %v", r)
	}
	if n := g.notices(g.bo, conv); !hasPrefix(n, "invited:"+g.ann.Id+":"+eve.Id) {
		t.Fatalf("notices: %v", n)
	}
	g.refused(400, "request.invalid", "members", "chat.members_required", g.ann, "POST", path+"/members", `{"members":[]}`)
	g.refused(400, "request.invalid", "members", "chat.not_a_friend", g.ann, "POST", path+"/members", `{"members":["`+g.cy.Id+`"]}`)
	g.refused(404, "chat.not_found", "", "", g.cy, "POST", path+"/members", `{"members":["`+g.ann.Id+`"]}`)

	// Removing: the owner may, a plain member may not; strangers see nothing.
	g.refused(403, "chat.admins_only", "", "", g.dee, "DELETE", path+"/members/"+eve.Id, "")
	g.refused(404, "chat.not_found", "", "", g.cy, "DELETE", path+"/members/"+eve.Id, "")
	g.ok(204, g.ann, "DELETE", path+"/members/"+eve.Id, "")
	g.refused(404, "chat.not_found", "", "", eve, "GET", path+"/members", "")
	g.refused(404, "chat.not_found", "", "", g.ann, "DELETE", path+"/members/"+eve.Id, "")
	if n := g.notices(g.bo, conv); !hasPrefix(n, "removed:"+g.ann.Id+":"+eve.Id) {
		t.Fatalf("notices: %v", n)
	}

	// Approval: the owner's switch; plain members' invitations then wait.
	g.refused(403, "chat.admins_only", "", "", g.bo, "POST", path+"/approval", `{"on":true}`)
	g.refused(404, "chat.not_found", "", "", g.cy, "POST", path+"/approval", `{"on":true}`)
	g.refused(400, "request.invalid", "on", "chat.switch_required", g.ann, "POST", path+"/approval", `{}`)
	g.refused(400, "request.invalid", "on", "", g.ann, "POST", path+"/approval", `{"on":"yes"}`)
	g.ok(204, g.ann, "POST", path+"/approval", `{"on":true}`)
	if info := g.ok(200, g.bo, "GET", path, ""); info["approval"] != true {
		t.Fatalf("info: %v", info)
	}
	for _, who := range []*core.Record{fay, gus} {
		if out := g.ok(200, g.bo, "POST", path+"/members", `{"members":["`+who.Id+`"]}`); out["waiting"] != true {
			t.Fatalf("a plain member's invitation: %v", out)
		}
	}
	reqs := g.ok(200, g.ann, "GET", path+"/requests", "")["items"].([]any)
	if len(reqs) != 2 {
		t.Fatalf("requests: %v", reqs)
	}
	rid := map[string]string{}
	for _, r := range reqs {
		m := r.(map[string]any)
		if m["inviter"] != g.bo.Id {
			t.Fatalf("request: %v", m)
		}
		rid[m["invitee"].(string)] = m["id"].(string)
	}
	g.refused(403, "chat.admins_only", "", "", g.bo, "GET", path+"/requests", "")
	g.refused(404, "chat.not_found", "", "", g.cy, "GET", path+"/requests", "")
	g.refused(403, "chat.admins_only", "", "", g.dee, "POST", path+"/requests/"+rid[fay.Id]+"/approve", "")
	g.refused(404, "chat.not_found", "", "", g.cy, "POST", path+"/requests/"+rid[fay.Id]+"/approve", "")
	g.ok(204, g.ann, "POST", path+"/requests/"+rid[fay.Id]+"/approve", "")
	g.ok(204, g.ann, "POST", path+"/requests/"+rid[gus.Id]+"/decline", "")
	g.refused(404, "chat.not_found", "", "", g.ann, "POST", path+"/requests/"+rid[gus.Id]+"/approve", "") // decided
	if r := g.roles(fay, conv); r[fay.Id] != "member" || r[gus.Id] != "" {
		t.Fatalf("after the decisions: %v", r)
	}
	g.ok(204, g.ann, "POST", path+"/approval", `{"on":false}`)
	if out := g.ok(200, g.bo, "POST", path+"/members", `{"members":["`+gus.Id+`"]}`); out["waiting"] != false {
		t.Fatalf("approval off: %v", out)
	}
}

// TestAPILeaveAndDissolve: leaving a group (anyone in it; not a 1:1 chat)
// and dissolving it (the owner only).
func TestAPILeaveAndDissolve(t *testing.T) {
	g := newGroupAPI(t)
	conv := g.group()
	path := "/api/plaza/chats/" + conv
	g.refused(404, "chat.not_found", "", "", g.cy, "POST", path+"/leave", "")
	g.refused(404, "chat.not_found", "", "", g.ann, "POST", "/api/plaza/chats/"+g.conv+"/leave", "")
	g.ok(204, g.dee, "POST", path+"/leave", "")
	g.refused(404, "chat.not_found", "", "", g.dee, "GET", path+"/members", "")
	if n := g.notices(g.bo, conv); !hasPrefix(n, "left:"+g.dee.Id) {
		t.Fatalf("notices: %v", n)
	}

	g.refused(403, "chat.admins_only", "", "", g.bo, "POST", path+"/dissolve", "")
	g.ok(204, g.ann, "PATCH", path+"/members/"+g.bo.Id, `{"role":"admin"}`)
	g.refused(403, "chat.admins_only", "", "", g.bo, "POST", path+"/dissolve", "") // admins neither
	g.refused(404, "chat.not_found", "", "", g.cy, "POST", path+"/dissolve", "")
	g.ok(204, g.ann, "POST", path+"/dissolve", "")
	for _, who := range []*core.Record{g.ann, g.bo} {
		g.refused(404, "chat.not_found", "", "", who, "GET", path, "")
	}
}

// TestAPIChatPrefs: a member's own settings for a chat (pin, mute, alias,
// mark unread, hide, clear history); only what is sent changes; a stranger
// gets 404, a long alias or a wrong type a 400 naming the field.
func TestAPIChatPrefs(t *testing.T) {
	g := newGroupAPI(t)
	path := "/api/plaza/chats/" + g.conv
	item := func() map[string]any {
		t.Helper()
		for _, it := range g.ok(200, g.ann, "GET", "/api/plaza/chats", "")["items"].([]any) {
			if m := it.(map[string]any); m["id"] == g.conv {
				return m
			}
		}
		return nil
	}
	g.ok(204, g.ann, "PATCH", path+"/prefs", `{"pinned":true}`)
	if m := item(); m["pinned"] != true || m["muted"] != false {
		t.Fatalf("pinned: %v", m)
	}
	g.ok(204, g.ann, "PATCH", path+"/prefs", `{"muted":true}`)
	if m := item(); m["pinned"] != true || m["muted"] != true {
		t.Fatalf("muted, still pinned: %v", m)
	}
	g.refused(400, "request.invalid", "alias", "profile.too_long", g.ann, "PATCH", path+"/prefs",
		`{"pinned":false,"alias":"`+strings.Repeat("x", chat.AliasMax+1)+`"}`)
	g.refused(400, "request.invalid", "pinned", "", g.ann, "PATCH", path+"/prefs", `{"pinned":"yes"}`)
	if m := item(); m["pinned"] != true {
		t.Fatalf("a refused update unpinned: %v", m)
	}
	g.refused(404, "chat.not_found", "", "", g.cy, "PATCH", path+"/prefs", `{"pinned":true}`)
	conv := g.group()
	g.ok(204, g.bo, "PATCH", "/api/plaza/chats/"+conv+"/prefs", `{"alias":"Bobo"}`)
	if info := g.ok(200, g.bo, "GET", "/api/plaza/chats/"+conv, ""); info["alias"] != "Bobo" {
		t.Fatalf("alias: %v", info)
	}

	// Mark unread, clear, hide.
	if _, err := g.svc.Send(g.bo.Id, g.conv, chat.SendInput{ClientID: "prefs-1", Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	if _, err := g.svc.MarkRead(g.ann.Id, g.conv, 1<<40); err != nil {
		t.Fatal(err)
	}
	g.ok(204, g.ann, "POST", path+"/unread", "")
	if m := item(); m["unread"] != float64(1) {
		t.Fatalf("marked unread: %v", m)
	}
	g.refused(404, "chat.not_found", "", "", g.cy, "POST", path+"/unread", "")
	g.ok(204, g.ann, "POST", path+"/clear", "")
	if items := g.ok(200, g.ann, "GET", path+"/messages?after=0", "")["items"].([]any); len(items) != 0 {
		t.Fatalf("after clearing: %v", items)
	}
	if items := g.ok(200, g.bo, "GET", path+"/messages?after=0", "")["items"].([]any); len(items) == 0 {
		t.Fatal("clearing emptied Bo's history too")
	}
	g.refused(404, "chat.not_found", "", "", g.cy, "POST", path+"/clear", "")
	g.ok(204, g.ann, "POST", path+"/hide", "")
	if m := item(); m != nil {
		t.Fatalf("hidden but listed: %v", m)
	}
	g.refused(404, "chat.not_found", "", "", g.cy, "POST", path+"/hide", "")
}

// TestAPIGroupRoutesPublishLive: the JSON routes deliver the same socket
// frames as the pages: a member's open socket gets the new group's notice
// and a rename's notice as msg frames.
func TestAPIGroupRoutesPublishLive(t *testing.T) {
	g := newGroupAPI(t)
	bo, _, err := dial(t, serve(t, g.pair), g.bo, nil)
	if err != nil {
		t.Fatal(err)
	}
	conv := g.group()
	if f := bo.next("msg"); f.C != conv || f.M == nil || f.M.Text != "group_created:"+g.ann.Id {
		t.Fatalf("created: %+v", f)
	}
	g.ok(204, g.ann, "PATCH", "/api/plaza/chats/"+conv, `{"name":"Live riders"}`)
	if f := bo.next("msg"); f.C != conv || f.M == nil || f.M.Text != "renamed:"+g.ann.Id {
		t.Fatalf("renamed: %+v", f)
	}
}
