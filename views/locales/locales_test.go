package locales_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"plaza/views/locales"
)

func flatten(prefix string, v any, out map[string]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			flatten(p, c, out)
		}
	default:
		out[prefix], _ = v.(string)
	}
}

func load(t *testing.T, lang string) map[string]string {
	t.Helper()
	data, err := locales.FS.ReadFile(lang + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s.yaml: %v", lang, err)
	}
	out := map[string]string{}
	flatten("", doc[lang], out)
	return out
}

// TestEveryStringInBothLanguages: each key exists, non-empty, in English
// and Chinese, with the same %{placeholders}.
func TestEveryStringInBothLanguages(t *testing.T) {
	en, zh := load(t, "en"), load(t, "zh")
	ph := regexp.MustCompile(`%\{\w+\}`)
	for k, v := range en {
		z, ok := zh[k]
		if !ok || z == "" || v == "" {
			t.Errorf("%s: en %q zh %q", k, v, z)
			continue
		}
		a, b := ph.FindAllString(v, -1), ph.FindAllString(z, -1)
		sort.Strings(a)
		sort.Strings(b)
		if strings.Join(a, ",") != strings.Join(b, ",") {
			t.Errorf("%s: placeholders differ: en %v zh %v", k, a, b)
		}
	}
	for k := range zh {
		if _, ok := en[k]; !ok {
			t.Errorf("%s: only in zh.yaml", k)
		}
	}
}

// TestUsedKeysExist scans the code for literal translation keys (in T calls,
// Problems and templates) and checks each is defined.
func TestUsedKeysExist(t *testing.T) {
	en := load(t, "en")
	sections := map[string]bool{}
	for k := range en {
		sections[strings.SplitN(k, ".", 2)[0]] = true
	}
	literal := regexp.MustCompile(`"([a-z]+\.[a-z_]+)"`)
	root := filepath.Join("..", "..")
	found := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || strings.HasSuffix(path, "_templ.go") || strings.HasSuffix(path, "_test.go") ||
			!(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".templ")) {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			key := m[1]
			if !sections[strings.SplitN(key, ".", 2)[0]] {
				continue // not a translation key (e.g. a file name)
			}
			found++
			if strings.HasSuffix(key, "_") { // a prefix completed at run time ("wallet.kind_" + kind)
				if !hasPrefix(en, key) {
					t.Errorf("%s uses key prefix %q, but no key starts with it", path, key)
				}
				continue
			}
			if _, ok := en[key+".other"]; ok { // plural forms
				continue
			}
			if _, ok := en[key]; !ok {
				t.Errorf("%s uses undefined key %q", path, key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 50 {
		t.Fatalf("found only %d keys: the scan is broken", found)
	}
}

func hasPrefix(keys map[string]string, prefix string) bool {
	for k := range keys {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}
