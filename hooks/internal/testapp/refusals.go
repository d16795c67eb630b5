package testapp

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// Route is one registered route: its method and path pattern.
type Route struct{ Method, Path string }

// Routes builds app's router as the server does and lists every route.
func Routes(t testing.TB, app core.App) []Route {
	t.Helper()
	r, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	var out []Route
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r}, func(e *core.ServeEvent) error {
		walkGroup(reflect.ValueOf(e.Router.RouterGroup), "", &out)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// walkGroup collects the routes of a *router.RouterGroup and its subgroups.
// PocketBase keeps a group's children unexported, so they are read by
// reflection (routes and groups are told apart by their Action field).
func walkGroup(group reflect.Value, prefix string, out *[]Route) {
	g := group.Elem()
	prefix += g.FieldByName("Prefix").String()
	children := g.FieldByName("children")
	for i := range children.Len() {
		child := children.Index(i).Elem() // any → *Route or *RouterGroup
		if child.Elem().FieldByName("Action").IsValid() {
			r := child.Elem()
			*out = append(*out, Route{Method: r.FieldByName("Method").String(), Path: prefix + r.FieldByName("Path").String()})
			continue
		}
		walkGroup(child, prefix, out)
	}
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// RouteKey names a route whatever its path parameters are called
// ("POST /api/plaza/chats/{}/members").
func RouteKey(method, path string) string {
	return method + " " + pathParam.ReplaceAllString(path, "{}")
}

// Refusal is one request that must be refused, from the side of the
// person who must not get through (a stranger, a non-member, a member
// without the right, no session at all). Route names the route it tests
// ("POST /api/plaza/chats/{id}/members"); URL is the request with real ids.
type Refusal struct {
	Name   string
	Route  string
	URL    string // defaults to Route's path when it has no parameters
	Body   string // JSON
	Token  string // the refused person's auth token ("" for none)
	Header map[string]string
	Status int
	Code   string // the answer's stable "code"
}

// CheckRefusals sends each refusal through app's handler (so the answer
// is also checked against docs/openapi.yaml) and checks its status and
// code. Run it after every row's data exists; afterwards, check that
// nothing changed.
func CheckRefusals(t *testing.T, app core.App, rows []Refusal) {
	t.Helper()
	h := Handler(t, app)
	for _, row := range rows {
		method, path, _ := strings.Cut(row.Route, " ")
		url := row.URL
		if url == "" {
			url = path
		}
		headers := map[string]string{"Content-Type": "application/json"}
		for k, v := range row.Header {
			headers[k] = v
		}
		if row.Token != "" {
			headers["Authorization"] = row.Token
		}
		rec := Do(h, method, url, row.Body, headers) // headers' JSON Content-Type wins over Do's form type
		var body struct {
			Code string `json:"code"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &body) // a non-JSON answer leaves Code empty and fails below
		if rec.Code != row.Status || body.Code != row.Code {
			t.Errorf("%s (%s %s): got %d %q, want %d %q: %s", row.Name, method, url, rec.Code, body.Code, row.Status, row.Code, rec.Body.String())
		}
	}
}

// RequireRefusalRows fails for every route of app under one of prefixes
// that no row tests: each route owes a row from the refused side.
func RequireRefusalRows(t *testing.T, app core.App, rows []Refusal, prefixes ...string) {
	t.Helper()
	have := map[string]bool{}
	for _, row := range rows {
		method, path, _ := strings.Cut(row.Route, " ")
		have[RouteKey(method, path)] = true
	}
	for _, r := range Routes(t, app) {
		for _, p := range prefixes {
			if strings.HasPrefix(r.Path, p) && !have[RouteKey(r.Method, r.Path)] {
				t.Errorf("%s %s has no refusal row", r.Method, r.Path)
			}
		}
	}
}
