package hooks_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

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
		registered[routeKey(r.Method, r.Path)] = r.Method + " " + r.Path
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

// plazaRoutes lists the app's routes under /api/plaza/, and /ws.
func plazaRoutes(t *testing.T) []testapp.Route {
	var plaza []testapp.Route
	for _, r := range testapp.Routes(t, testapp.New(t)) {
		if strings.HasPrefix(r.Path, "/api/plaza/") || r.Path == "/ws" {
			plaza = append(plaza, r)
		}
	}
	return plaza
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// routeKey compares routes whatever their path parameters are called.
func routeKey(method, path string) string { return testapp.RouteKey(method, path) }

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
