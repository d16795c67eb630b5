package hooks_test

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"gopkg.in/yaml.v3"

	"plaza/hooks/internal/testapp"
)

// TestOpenAPICoversPlazaRoutes keeps docs/openapi.yaml true to the router:
// every route Plaza registers under /api/plaza/ (and GET /ws) is described
// there, every path there is registered, and the document parses, with an
// operationId, tags and responses on every operation, its path parameters
// declared and every $ref resolving.
func TestOpenAPICoversPlazaRoutes(t *testing.T) {
	doc := loadOpenAPI(t, filepath.Join("..", "docs", "openapi.yaml"))

	registered := map[string]string{} // normalised "METHOD path" → as registered
	for _, r := range plazaRoutes(t) {
		registered[routeKey(r.method, r.path)] = r.method + " " + r.path
	}
	documented := map[string]string{}
	for path, item := range doc.Paths {
		for method := range item {
			if httpMethods[method] {
				documented[routeKey(strings.ToUpper(method), path)] = strings.ToUpper(method) + " " + path
			}
		}
	}

	var missing, stale []string
	for k, r := range registered {
		if _, ok := documented[k]; !ok {
			missing = append(missing, r)
		}
	}
	for k, d := range documented {
		if _, ok := registered[k]; !ok {
			stale = append(stale, d)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	if len(missing) > 0 {
		t.Errorf("routes registered but missing from docs/openapi.yaml (describe them there):\n  %s", strings.Join(missing, "\n  "))
	}
	if len(stale) > 0 {
		t.Errorf("paths in docs/openapi.yaml that no route serves (remove or fix them):\n  %s", strings.Join(stale, "\n  "))
	}
	if len(registered) < 20 {
		t.Errorf("found only %d Plaza routes in the router: is the route walk still reading PocketBase's router?", len(registered))
	}
	checkOperations(t, doc)
}

type route struct{ method, path string }

// plazaRoutes builds the app's router as the server does (testapp.Handler)
// and lists its routes under /api/plaza/, and /ws.
func plazaRoutes(t *testing.T) []route {
	app := testapp.New(t)
	r, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	var out []route
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r}, func(e *core.ServeEvent) error {
		walkGroup(reflect.ValueOf(e.Router.RouterGroup), "", &out)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var plaza []route
	for _, r := range out {
		if strings.HasPrefix(r.path, "/api/plaza/") || r.path == "/ws" {
			plaza = append(plaza, r)
		}
	}
	return plaza
}

// walkGroup collects the routes of a *router.RouterGroup and its subgroups.
// PocketBase keeps a group's children unexported, so they are read by
// reflection (routes and groups are told apart by their Action field).
func walkGroup(group reflect.Value, prefix string, out *[]route) {
	g := group.Elem()
	prefix += g.FieldByName("Prefix").String()
	children := g.FieldByName("children")
	for i := range children.Len() {
		child := children.Index(i).Elem() // any → *Route or *RouterGroup
		if child.Elem().FieldByName("Action").IsValid() {
			r := child.Elem()
			*out = append(*out, route{method: r.FieldByName("Method").String(), path: prefix + r.FieldByName("Path").String()})
			continue
		}
		walkGroup(child, prefix, out)
	}
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// routeKey compares routes whatever their path parameters are called.
func routeKey(method, path string) string {
	return method + " " + pathParam.ReplaceAllString(path, "{}")
}

var httpMethods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "options": true, "head": true, "patch": true, "trace": true}

type openAPI struct {
	OpenAPI    string                          `yaml:"openapi"`
	Paths      map[string]map[string]yaml.Node `yaml:"paths"`
	Components struct {
		Parameters map[string]parameter `yaml:"parameters"`
	} `yaml:"components"`
	root yaml.Node
}

type parameter struct {
	Ref  string `yaml:"$ref"`
	Name string `yaml:"name"`
	In   string `yaml:"in"`
}

type operation struct {
	OperationID string               `yaml:"operationId"`
	Summary     string               `yaml:"summary"`
	Tags        []string             `yaml:"tags"`
	Parameters  []parameter          `yaml:"parameters"`
	Responses   map[string]yaml.Node `yaml:"responses"`
}

func loadOpenAPI(t *testing.T, path string) *openAPI {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc openAPI
	if err := yaml.Unmarshal(data, &doc.root); err != nil {
		t.Fatalf("%s does not parse: %v", path, err)
	}
	if err := doc.root.Decode(&doc); err != nil {
		t.Fatalf("%s does not decode: %v", path, err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Fatalf("%s: openapi is %q, want 3.1.x", path, doc.OpenAPI)
	}
	if len(doc.Paths) == 0 {
		t.Fatalf("%s has no paths", path)
	}
	return &doc
}

// checkOperations checks what a reader of each operation relies on.
func checkOperations(t *testing.T, doc *openAPI) {
	ids := map[string]string{}
	for path, item := range doc.Paths {
		var shared []parameter
		if n, ok := item["parameters"]; ok {
			if err := n.Decode(&shared); err != nil {
				t.Errorf("%s parameters: %v", path, err)
			}
		}
		for method, node := range item {
			if !httpMethods[method] {
				continue
			}
			where := strings.ToUpper(method) + " " + path
			var op operation
			if err := node.Decode(&op); err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			switch {
			case op.OperationID == "":
				t.Errorf("%s has no operationId", where)
			case ids[op.OperationID] != "":
				t.Errorf("%s: operationId %q is also %s", where, op.OperationID, ids[op.OperationID])
			}
			ids[op.OperationID] = where
			if op.Summary == "" || len(op.Tags) == 0 || len(op.Responses) == 0 {
				t.Errorf("%s needs a summary, tags and responses", where)
			}
			var declared []string
			for _, p := range append(slices.Clone(shared), op.Parameters...) {
				if p.Ref != "" {
					p = doc.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
				}
				if p.In == "path" {
					declared = append(declared, p.Name)
				}
			}
			for _, m := range pathParam.FindAllString(path, -1) {
				if name := strings.Trim(m, "{}"); !slices.Contains(declared, name) {
					t.Errorf("%s: path parameter %q is not declared", where, name)
				}
			}
		}
	}
	for _, ref := range refs(&doc.root, nil) {
		if !resolves(&doc.root, ref) {
			t.Errorf("$ref %q does not resolve", ref)
		}
	}
}

// refs lists every $ref value in the document.
func refs(n *yaml.Node, out []string) []string {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "$ref" {
				out = append(out, n.Content[i+1].Value)
			}
		}
	}
	for _, c := range n.Content {
		out = refs(c, out)
	}
	return out
}

// resolves follows a local JSON pointer ("#/components/schemas/Error").
func resolves(root *yaml.Node, ref string) bool {
	if !strings.HasPrefix(ref, "#/") {
		return false
	}
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	for _, key := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		if n.Kind != yaml.MappingNode {
			return false
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			return false
		}
		n = next
	}
	return true
}
