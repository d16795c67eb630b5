package hooks_test

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"plaza/hooks/accounts"
	"plaza/hooks/channels"
	"plaza/hooks/chat"
	"plaza/hooks/contacts"
	"plaza/hooks/demo/mpdemo"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/miniprograms"
	"plaza/hooks/moments"
	"plaza/hooks/oa"
	"plaza/hooks/reports"
	"plaza/hooks/settings"
	"plaza/hooks/wallet"
	"plaza/hooks/web"
)

// owners are the domains that own tables (docs/ARCHITECTURE.md, "Each table
// has one owner"). A new module adds its line here and a Tables func.
var owners = map[string][]string{
	"accounts":     accounts.Tables(),
	"contacts":     contacts.Tables(),
	"chat":         chat.Tables(),
	"wallet":       wallet.Tables(),
	"settings":     settings.Tables(),
	"web":          web.Tables(),
	"moments":      moments.Tables(),
	"channels":     channels.Tables(),
	"oa":           oa.Tables(),
	"miniprograms": miniprograms.Tables(),
	"reports":      reports.Tables(),
	"demo":         mpdemo.Tables(), // the demo mini programs' servers (hooks/demo/mpdemo)
}

// webOnly are packages under hooks/ that are the HTTP side by nature (the
// shared web layer, the shell's pages) or no domain at all (wiring,
// test-only packages). Every other package is a domain's operations, or a
// domain's web package named <something>web.
var webOnly = map[string]bool{
	"plaza/hooks":       true, // the wiring
	"plaza/hooks/web":   true,
	"plaza/hooks/shell": true,
	"plaza/hooks/crawl": true, // tests only
}

// forbiddenForDomains is what a domain's operations must not import,
// directly or not (docs/ARCHITECTURE.md, "The HTTP line").
func forbiddenForDomains(dep string) bool {
	return dep == "github.com/a-h/templ" || strings.HasPrefix(dep, "github.com/a-h/templ/") ||
		dep == "plaza/views" || strings.HasPrefix(dep, "plaza/views/") ||
		dep == "plaza/hooks/web" || strings.HasSuffix(dep, "web") && strings.HasPrefix(dep, "plaza/hooks/")
}

// isDomain reports whether pkg holds a domain's operations (and so must
// stay below the HTTP line).
func isDomain(pkg string) bool {
	if webOnly[pkg] || strings.HasPrefix(pkg, "plaza/hooks/internal/") || strings.HasSuffix(pkg, "web") || strings.HasSuffix(pkg, "/browser") {
		return false
	}
	return strings.HasPrefix(pkg, "plaza/hooks/")
}

// TestDomainsStayBelowTheHTTPLine: no domain package (hooks/<domain>, now
// and later) imports templ, views or hooks/web, even through another
// package; its pages and JSON live in hooks/<domain>/<domain>web.
func TestDomainsStayBelowTheHTTPLine(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps=false", "-f", "{{.ImportPath}}\t{{join .Deps \" \"}}", "plaza/hooks/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	bad := checkHTTPLine(t, out)
	for _, b := range bad {
		t.Error(b)
	}
}

func checkHTTPLine(t *testing.T, goList []byte) []string {
	t.Helper()
	var bad []string
	domains := 0
	sc := bufio.NewScanner(bytes.NewReader(goList))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		pkg, deps, _ := strings.Cut(sc.Text(), "\t")
		if !isDomain(pkg) {
			continue
		}
		domains++
		var forbidden []string
		for _, dep := range strings.Fields(deps) {
			if forbiddenForDomains(dep) {
				forbidden = append(forbidden, dep)
			}
		}
		if len(forbidden) > 0 {
			bad = append(bad, fmt.Sprintf("%s (a domain's operations) depends on %s: move the HTTP side to %s/%sweb",
				pkg, strings.Join(forbidden, ", "), pkg, filepath.Base(pkg)))
		}
	}
	if domains < 4 {
		t.Fatalf("found only %d domain packages: is go list's output what this test expects?", domains)
	}
	return bad
}

// TestHTTPLineCheckCatchesAViolation runs the check on a made-up listing in
// which a domain imports templ: it must complain.
func TestHTTPLineCheckCatchesAViolation(t *testing.T) {
	listing := "plaza/hooks/a\tfmt\nplaza/hooks/b\tfmt\nplaza/hooks/c\tfmt\nplaza/hooks/moments\tfmt github.com/a-h/templ\n" +
		"plaza/hooks/moments/momentsweb\tgithub.com/a-h/templ plaza/views/moments plaza/hooks/web\n"
	bad := checkHTTPLine(t, []byte(listing))
	if len(bad) != 1 || !strings.HasPrefix(bad[0], "plaza/hooks/moments (a domain's operations) depends on github.com/a-h/templ:") {
		t.Fatalf("got %q", bad)
	}
}

// sqlTable finds the table a statement names after FROM, JOIN, INTO,
// UPDATE or TABLE.
var sqlTable = regexp.MustCompile(`(?i:\bFROM|\bJOIN|\bINTO|\bUPDATE|\bTABLE)\s+([a-z_][a-z0-9_]*)`)

// recordCalls take a collection name as their first argument.
var recordCalls = map[string]bool{"From": true, "FindRecordById": true, "FindFirstRecordByData": true, "FindFirstRecordByFilter": true,
	"FindRecordsByFilter": true, "FindAllRecords": true, "FindCollectionByNameOrId": true, "CountRecords": true, "FindRecordsByIds": true,
	"RecordQuery": true, "FindAuthRecordByEmail": true}

// tableUse is a table named in a package's non-test Go source.
type tableUse struct {
	table, pos string
}

// tablesNamed returns the tables in known named by the string literals of
// the non-test Go files in dir.
func tablesNamed(t *testing.T, dir string, known map[string]string) []tableUse {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var uses []tableUse
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, "_templ.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(n.Value)
				if err != nil {
					return true
				}
				for _, m := range sqlTable.FindAllStringSubmatch(s, -1) {
					if _, ok := known[m[1]]; ok {
						uses = append(uses, tableUse{m[1], fset.Position(n.Pos()).String()})
					}
				}
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || !recordCalls[sel.Sel.Name] || len(n.Args) == 0 {
					return true
				}
				if lit, ok := n.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						if _, ok := known[s]; ok {
							uses = append(uses, tableUse{s, fset.Position(lit.Pos()).String()})
						}
					}
				}
			}
			return true
		})
	}
	return uses
}

// ownerOf maps each declared table to its domain; a table declared twice
// fails.
func ownerOf(t *testing.T) map[string]string {
	t.Helper()
	known := map[string]string{}
	for domain, tables := range owners {
		for _, tb := range tables {
			if other, dup := known[tb]; dup {
				t.Errorf("table %s is declared by both %s and %s", tb, other, domain)
			}
			known[tb] = domain
		}
	}
	return known
}

// TestEachTableHasOneOwner: SQL (and collection lookups) naming a table
// appear only in the domain that owns it, its web package included; other
// modules call the owner's typed operations.
func TestEachTableHasOneOwner(t *testing.T) {
	known := ownerOf(t)
	var dirs []string
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (path == "internal" || path == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() && path != "." {
			dirs = append(dirs, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		domain := strings.Split(filepath.ToSlash(dir), "/")[0]
		for _, u := range tablesNamed(t, dir, known) {
			if known[u.table] != domain {
				t.Errorf("%s names table %s, which %s owns: call an operation of %s instead", u.pos, u.table, known[u.table], known[u.table])
			}
		}
	}
}

// TestOwnershipCheckCatchesAViolation: a domain's SQL naming another's
// table is found.
func TestOwnershipCheckCatchesAViolation(t *testing.T) {
	dir := t.TempDir()
	src := "package moments\n\nconst q = `SELECT m.member FROM conversation_members m WHERE m.conversation = {:c}`\n\nfunc f(a interface{ FindRecordById(string, string) }) { a.FindRecordById(\"users\", \"x\") }\n"
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	uses := tablesNamed(t, dir, ownerOf(t))
	var got []string
	for _, u := range uses {
		got = append(got, u.table)
	}
	sort.Strings(got)
	if !slices.Equal(got, []string{"conversation_members", "users"}) {
		t.Fatalf("found %q", got)
	}
}

// TestEveryTableIsDeclared: each table of a migrated database belongs to
// exactly one domain, so a new module's tables cannot slip past the
// ownership check.
func TestEveryTableIsDeclared(t *testing.T) {
	known := ownerOf(t)
	app := testapp.New(t)
	var names []string
	if err := app.DB().NewQuery(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\_%' ESCAPE '\'`).Column(&names); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if _, ok := known[n]; ok {
			continue
		}
		if base, _, ok := strings.Cut(n, "_fts_"); ok { // an FTS5 table's shadow tables
			if _, ok := known[base+"_fts"]; ok {
				continue
			}
		}
		t.Errorf("table %s is declared by no domain: add it to its owner's Tables()", n)
	}
}

// Size limits of hand-written Go (docs/ARCHITECTURE.md, "Rules").
const (
	fileLinesMax = 400
	funcLinesMax = 80
)

// TestFilesAndFunctionsStaySmall: no hand-written, non-test Go file in the
// repository is over fileLinesMax lines, and no function over
// funcLinesMax lines unless its doc comment says why it must be "one
// piece" (a migration's schema, read top to bottom).
func TestFilesAndFunctionsStaySmall(t *testing.T) {
	root := ".."
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == ".git" || d.Name() == "pb_data" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, "_templ.go") {
			return nil
		}
		for _, p := range sizeProblems(t, path) {
			t.Error(p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// sizeProblems lists what is too long in one Go file.
func sizeProblems(t *testing.T, path string) []string {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	if n := bytes.Count(src, []byte("\n")); n > fileLinesMax {
		out = append(out, fmt.Sprintf("%s has %d lines (at most %d): split it by what it holds", path, n, fileLinesMax))
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
		if n > funcLinesMax && (fn.Doc == nil || !strings.Contains(strings.ToLower(fn.Doc.Text()), "one piece")) {
			out = append(out, fmt.Sprintf("%s: %s has %d lines (at most %d without a comment saying why it is one piece)",
				path, fn.Name.Name, n, funcLinesMax))
		}
	}
	return out
}

// TestSizeCheckCatchesALongFunction: a made-up file with a long function
// and no reason is caught; with the reason it passes.
func TestSizeCheckCatchesALongFunction(t *testing.T) {
	dir := t.TempDir()
	body := strings.Repeat("\tx++\n", funcLinesMax)
	long := filepath.Join(dir, "long.go")
	if err := os.WriteFile(long, []byte("package x\n\n// f counts.\nfunc f(x int) {\n"+body+"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := sizeProblems(t, long); len(got) != 1 || !strings.Contains(got[0], "f has") {
		t.Fatalf("got %q", got)
	}
	if err := os.WriteFile(long, []byte("package x\n\n// f counts; one piece: a script.\nfunc f(x int) {\n"+body+"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := sizeProblems(t, long); len(got) != 0 {
		t.Fatalf("got %q", got)
	}
}
