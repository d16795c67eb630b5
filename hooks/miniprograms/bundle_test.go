package miniprograms_test

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"strings"
	"testing"

	"plaza/hooks/miniprograms"
	"plaza/hooks/problem"
)

// entry is one file of a test zip: its name, body and mode (0: a plain
// file).
type entry struct {
	name, body string
	mode       fs.FileMode
}

const goodManifest = `{"name":"Corner Coffee","entry":"index.html","version":"1.0.0","permissions":["userInfo","payment"]}`

// zipOf makes a zip of entries.
func zipOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// good are the entries of a valid bundle.
func good() []entry {
	return []entry{{name: "plaza.json", body: goodManifest}, {name: "index.html", body: "<!doctype html><p>hi"},
		{name: "static/", mode: fs.ModeDir | 0o755}, {name: "static/app.js", body: "plaza.login()"}}
}

// TestBundleChecker: a valid bundle unpacks with its manifest; each way a
// bundle can be wrong is refused with its own code.
func TestBundleChecker(t *testing.T) {
	b, err := miniprograms.CheckBundle(zipOf(t, good()...))
	if err != nil || b.Manifest.Name != "Corner Coffee" || b.Manifest.Entry != "index.html" || len(b.Files) != 3 ||
		string(b.Files["static/app.js"]) != "plaza.login()" {
		t.Fatalf("a good bundle: %+v %v", b, err)
	}
	many := []entry{{name: "plaza.json", body: goodManifest}, {name: "index.html", body: "x"}}
	for i := range miniprograms.BundleMaxFiles {
		many = append(many, entry{name: "f/" + strings.Repeat("a", 1+i%50) + string(rune('a'+i/50)), body: "x"})
	}
	huge := strings.Repeat("z", miniprograms.FileMaxBytes+1)
	for _, c := range []struct {
		name string
		data []byte
		code string
	}{
		{"not a zip", []byte("PK\x03\x04 not really"), "mp.bundle_not_zip"},
		{"too large", make([]byte, miniprograms.BundleMaxBytes+1), "mp.bundle_too_large"},
		{"no manifest", zipOf(t, entry{name: "index.html", body: "x"}), "mp.bundle_no_manifest"},
		{"a manifest that is not JSON", zipOf(t, entry{name: "plaza.json", body: "{"}, entry{name: "index.html"}), "mp.bundle_bad_manifest"},
		{"an unknown manifest field", zipOf(t, entry{name: "plaza.json", body: `{"name":"A","entry":"index.html","version":"1.0.0","eval":true}`},
			entry{name: "index.html"}), "mp.bundle_bad_manifest"},
		{"an entry that is not there", zipOf(t, entry{name: "plaza.json", body: `{"name":"A","entry":"main.html","version":"1.0.0"}`},
			entry{name: "index.html"}), "mp.bundle_bad_manifest"},
		{"a permission there is not", zipOf(t, entry{name: "plaza.json", body: `{"name":"A","entry":"index.html","version":"1.0.0","permissions":["cookies"]}`},
			entry{name: "index.html"}), "mp.bundle_bad_manifest"},
		{"a bad version", zipOf(t, entry{name: "plaza.json", body: `{"name":"A","entry":"index.html","version":"v1"}`}, entry{name: "index.html"}),
			"mp.bundle_bad_manifest"},
		{"a climbing path", zipOf(t, append(good(), entry{name: "../../etc/passwd", body: "x"})...), "mp.bundle_bad_path"},
		{"a climbing path inside", zipOf(t, append(good(), entry{name: "static/../../x", body: "x"})...), "mp.bundle_bad_path"},
		{"an absolute path", zipOf(t, append(good(), entry{name: "/etc/passwd", body: "x"})...), "mp.bundle_bad_path"},
		{"a backslash path", zipOf(t, append(good(), entry{name: "..\\x", body: "x"})...), "mp.bundle_bad_path"},
		{"a drive letter", zipOf(t, append(good(), entry{name: "C:/x", body: "x"})...), "mp.bundle_bad_path"},
		{"a symbolic link", zipOf(t, append(good(), entry{name: "static/link", body: "/etc/passwd", mode: fs.ModeSymlink | 0o777})...),
			"mp.bundle_link"},
		{"a device", zipOf(t, append(good(), entry{name: "dev", body: "", mode: fs.ModeDevice | 0o644})...), "mp.bundle_bad_entry"},
		{"twice the same name", zipOf(t, append(good(), entry{name: "INDEX.html", body: "x"})...), "mp.bundle_duplicate"},
		{"a file too large", zipOf(t, append(good(), entry{name: "big.bin", body: huge})...), "mp.bundle_file_too_large"},
		{"too many files", zipOf(t, many...), "mp.bundle_too_many_files"},
	} {
		_, err := miniprograms.CheckBundle(c.data)
		p, ok := problem.As(err)
		if !ok || p.Status != 400 || len(p.Fields) != 1 || p.Fields[0].Name != "bundle" || p.Fields[0].Key != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
}

// TestBundleUnpackedLimitIsCounted: many files each under the file limit
// but over the whole's is refused while reading.
func TestBundleUnpackedLimitIsCounted(t *testing.T) {
	entries := good()
	chunk := strings.Repeat("q", miniprograms.FileMaxBytes-1)
	for i := range miniprograms.UnpackedMaxBytes/miniprograms.FileMaxBytes + 1 {
		entries = append(entries, entry{name: "chunk" + string(rune('a'+i)), body: chunk})
	}
	_, err := miniprograms.CheckBundle(zipOf(t, entries...))
	if p, ok := problem.As(err); !ok || p.Fields[0].Key != "mp.bundle_unpacked_too_large" {
		t.Fatalf("%v", err)
	}
}

// FuzzCheckBundle: whatever the bytes, the checker does not panic, and a
// bundle it accepts holds only safe paths, its manifest and its entry.
func FuzzCheckBundle(f *testing.F) {
	f.Add(zipOf(f, good()...))
	f.Add(zipOf(f, append(good(), entry{name: "../x", body: "x"})...))
	f.Add(zipOf(f, append(good(), entry{name: "l", body: "/", mode: fs.ModeSymlink | 0o777})...))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := miniprograms.CheckBundle(data)
		if err != nil {
			if _, ok := problem.As(err); !ok {
				t.Fatalf("an internal error for bad input: %v", err)
			}
			return
		}
		for name := range b.Files {
			if !miniprograms.SafePath(name) {
				t.Fatalf("accepted an unsafe path %q", name)
			}
		}
		if _, ok := b.Files[miniprograms.ManifestName]; !ok {
			t.Fatal("accepted a bundle without its manifest")
		}
		if _, ok := b.Files[b.Manifest.Entry]; !ok {
			t.Fatalf("accepted a bundle without its entry %q", b.Manifest.Entry)
		}
	})
}
