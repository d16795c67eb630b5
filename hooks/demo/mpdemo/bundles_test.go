package mpdemo

import (
	"bytes"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"plaza/hooks/miniprograms"
)

// TestBundlesPassTheChecker: each demo bundle is what an upload takes,
// with the manifest the demo lists, and keeps the sandbox's rules: the
// bridge and its own script files, no inline handlers or scripts, nothing
// fetched from elsewhere, fonts that draw Chinese and emoji.
func TestBundlesPassTheChecker(t *testing.T) {
	names := map[string]string{Coffee: "Corner Café", Poll: "Community Poll"}
	for _, name := range Names {
		zipped, err := Bundle(name)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := Bundle(name)
		if !bytes.Equal(zipped, again) {
			t.Errorf("%s: zipping twice gave other bytes", name)
		}
		b, err := miniprograms.CheckBundle(zipped)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b.Manifest.Name != names[name] || b.Manifest.Entry != "index.html" || b.Manifest.Version != "1.0.0" {
			t.Errorf("%s: manifest %+v", name, b.Manifest)
		}
		checkSandboxRules(t, name, b.Files)
	}
}

var (
	inlineHandler = regexp.MustCompile(`(?i)<[^>]+\son[a-z]+\s*=`)
	inlineScript  = regexp.MustCompile(`(?i)<script(\s[^>]*)?>\s*[^<\s]`)
	scriptSrc     = regexp.MustCompile(`(?i)<script\s+src="([^"]+)"`)
	external      = regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
)

func checkSandboxRules(t *testing.T, name string, files map[string][]byte) {
	t.Helper()
	html := string(files["index.html"])
	if inlineHandler.MatchString(html) || inlineScript.MatchString(html) || strings.Contains(html, "javascript:") {
		t.Errorf("%s: inline script or handler in index.html", name)
	}
	var srcs []string
	for _, m := range scriptSrc.FindAllStringSubmatch(html, -1) {
		srcs = append(srcs, m[1])
	}
	if strings.Join(srcs, " ") != "/public/mp/plaza-bridge.js app.js" {
		t.Errorf("%s: scripts %q", name, srcs)
	}
	for path, data := range files {
		if external.Match(data) {
			t.Errorf("%s: %s names another site: %s", name, path, external.Find(data))
		}
		if strings.HasSuffix(path, ".js") && (strings.Contains(string(data), "innerHTML") || strings.Contains(string(data), "eval(")) {
			t.Errorf("%s: %s writes HTML or evaluates strings", name, path)
		}
	}
	if !strings.Contains(string(files["style.css"]), `"Noto Color Emoji"`) {
		t.Errorf("%s: the font stack does not name Noto Color Emoji", name)
	}
}

func TestBundleFSUnknown(t *testing.T) {
	if _, err := Bundle("nope"); err == nil {
		t.Fatal("an unknown bundle zipped")
	}
	sub, err := BundleFS(Coffee)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(sub, "app.js"); err != nil {
		t.Fatal(err)
	}
}

func TestPrice(t *testing.T) {
	amount, desc, items, err := price([]Line{{"iced_americano", 2}, {"matcha_latte", 1}, {"iced_americano", 1}})
	if err != nil || amount != 3*1500+2000 || desc != "3× Iced americano, 1× Matcha latte" || len(items) != 2 {
		t.Fatalf("price = %d %q %v %v", amount, desc, items, err)
	}
	many := make([]Line, 0, LinesMax)
	for i := 0; i < LinesMax; i++ {
		many = append(many, Line{Menu[i%len(Menu)].ID, 1})
	}
	if _, desc, _, err := price(many); err != nil || desc != "3× Flat white + 7 more" {
		t.Fatalf("ten lines: %q %v", desc, err)
	}
	for _, bad := range [][]Line{nil, {{"tea", 1}}, {{"flat_white", 0}}, {{"flat_white", 10}}, {{"flat_white", -1}},
		{{"flat_white", 9}, {"flat_white", 1}}, append(many, Line{"flat_white", 1})} {
		if _, _, _, err := price(bad); err == nil {
			t.Errorf("price(%v) accepted", bad)
		}
	}
}
