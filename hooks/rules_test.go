package hooks_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"plaza/hooks/internal/testapp"
)

// TestAPIRulesSnapshot keeps every collection's API rules in a reviewed
// snapshot (docs/SECURITY.md §1): any change to a rule fails here until the
// snapshot is regenerated on purpose with PLAZA_UPDATE_SNAPSHOT=1.
func TestAPIRulesSnapshot(t *testing.T) {
	app := testapp.New(t)
	collections, err := app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	type rules struct {
		List, View, Create, Update, Delete *string `json:",omitempty"`
		Auth                               bool    `json:",omitempty"`
	}
	got := map[string]rules{}
	for _, c := range collections {
		if c.System && c.Name != "users" {
			continue // PocketBase's own (_superusers, _mfas, _otps, …): superuser-only
		}
		got[c.Name] = rules{c.ListRule, c.ViewRule, c.CreateRule, c.UpdateRule, c.DeleteRule, c.IsAuth()}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(got); err != nil {
		t.Fatal(err)
	}
	data := bytes.TrimSpace(buf.Bytes())
	path := filepath.Join("testdata", "rules.json")
	if os.Getenv("PLAZA_UPDATE_SNAPSHOT") == "1" {
		if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read snapshot (create it with PLAZA_UPDATE_SNAPSHOT=1): %v", err)
	}
	if string(want) != string(data)+"\n" {
		t.Fatalf("API rules changed. Review the change, then run PLAZA_UPDATE_SNAPSHOT=1 go test ./hooks/\nnow:\n%s", data)
	}
}
