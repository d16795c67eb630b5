// Package miniprograms is Plaza's Mini Programs (issue 15, PRODUCT.md §7):
// third-party apps inside the community, served from uploaded bundles in
// a sandbox. This file is the bundle checker: what an upload must be
// before anything of it is stored or served.
package miniprograms

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"plaza/hooks/problem"
)

// A bundle is a zip of static files with a manifest, ManifestName, at its
// root. CheckBundle refuses, each with its own code under the field
// "bundle": a file over BundleMaxBytes, anything that is not a zip, more
// than BundleMaxFiles files, a path that is absolute, climbs out ("..")
// or is not clean, a symbolic link or any entry that is not a plain file
// or folder, two entries with the same name (ignoring case), a file over
// FileMaxBytes or a whole over UnpackedMaxBytes (counted while reading,
// not trusted from the zip's headers), and a manifest that is missing or
// not valid.

// Limits of a bundle.
const (
	BundleMaxBytes   = 10 << 20 // the zip as uploaded
	UnpackedMaxBytes = 30 << 20 // all its files, unpacked
	FileMaxBytes     = 5 << 20  // one file, unpacked
	BundleMaxFiles   = 500
	PathMax          = 200 // characters in a file's path
	ManifestName     = "plaza.json"
	NameMax          = 30
)

// Permissions a mini program may ask for in its manifest.
var Permissions = []string{"userInfo", "payment", "scanCode", "share", "storage"}

// Manifest is a bundle's plaza.json.
type Manifest struct {
	Name        string   `json:"name"`
	Entry       string   `json:"entry"`   // the page opened first: an .html file of the bundle
	Version     string   `json:"version"` // MAJOR.MINOR.PATCH
	Permissions []string `json:"permissions"`
}

// Bundle is a checked bundle: its manifest and its files by path.
type Bundle struct {
	Manifest Manifest
	Files    map[string][]byte
}

var versionPattern = regexp.MustCompile(`^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$`)

// invalid is a refusal of the bundle with code and its arguments.
func invalid(code string, args map[string]any) error {
	return problem.Invalid("bundle", "mp."+code, args)
}

// CheckBundle checks an uploaded bundle and returns it unpacked.
func CheckBundle(data []byte) (Bundle, error) {
	if len(data) > BundleMaxBytes {
		return Bundle{}, invalid("bundle_too_large", map[string]any{"mb": BundleMaxBytes >> 20})
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Bundle{}, invalid("bundle_not_zip", nil)
	}
	files := 0
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, "/") {
			files++
		}
	}
	if files > BundleMaxFiles {
		return Bundle{}, invalid("bundle_too_many_files", map[string]any{"max": BundleMaxFiles})
	}
	b := Bundle{Files: map[string][]byte{}}
	seen := map[string]bool{}
	total := 0
	for _, f := range zr.File {
		name, dir, err := checkEntry(f)
		if err != nil {
			return Bundle{}, err
		}
		if seen[strings.ToLower(name)] {
			return Bundle{}, invalid("bundle_duplicate", map[string]any{"path": name})
		}
		seen[strings.ToLower(name)] = true
		if dir {
			continue
		}
		body, err := readEntry(f, min(FileMaxBytes, UnpackedMaxBytes-total))
		if err != nil {
			return Bundle{}, err
		}
		total += len(body)
		b.Files[name] = body
	}
	m, err := checkManifest(b.Files)
	if err != nil {
		return Bundle{}, err
	}
	b.Manifest = m
	return b, nil
}

// checkEntry checks one zip entry's name and kind: its clean path and
// whether it is a folder.
func checkEntry(f *zip.File) (string, bool, error) {
	name, dir := f.Name, strings.HasSuffix(f.Name, "/")
	if dir {
		name = strings.TrimSuffix(name, "/")
	}
	if !SafePath(name) {
		return "", false, invalid("bundle_bad_path", map[string]any{"path": clip(f.Name)})
	}
	mode := f.Mode()
	switch {
	case mode&fs.ModeSymlink != 0:
		return "", false, invalid("bundle_link", map[string]any{"path": name})
	case dir && mode.IsDir(), !dir && mode.IsRegular():
	default:
		return "", false, invalid("bundle_bad_entry", map[string]any{"path": name})
	}
	return name, dir, nil
}

// SafePath reports whether p may name a file of a bundle: relative,
// clean (no "", ".", ".." segments, no doubled or trailing slash), no
// backslash, colon or control character, valid UTF-8, at most PathMax
// characters.
func SafePath(p string) bool {
	if p == "" || !utf8.ValidString(p) || utf8.RuneCountInString(p) > PathMax || strings.HasPrefix(p, "/") ||
		path.Clean(p) != p || strings.ContainsAny(p, "\\:") {
		return false
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// readEntry reads one file, refusing it (and the bundle) past limit bytes
// whatever its header says.
func readEntry(f *zip.File, limit int) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, tooLarge(f.Name, limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, invalid("bundle_not_zip", nil)
	}
	defer rc.Close()
	body, err := io.ReadAll(io.LimitReader(rc, int64(limit)+1))
	switch {
	case err != nil:
		return nil, invalid("bundle_not_zip", nil)
	case len(body) > limit:
		return nil, tooLarge(f.Name, limit)
	}
	return body, nil
}

// tooLarge refuses a file over its limit (the file's own, or what is left
// of the bundle's).
func tooLarge(name string, limit int) error {
	if limit < FileMaxBytes {
		return invalid("bundle_unpacked_too_large", map[string]any{"mb": UnpackedMaxBytes >> 20})
	}
	return invalid("bundle_file_too_large", map[string]any{"path": clip(name), "mb": FileMaxBytes >> 20})
}

// checkManifest reads and checks the bundle's manifest.
func checkManifest(files map[string][]byte) (Manifest, error) {
	raw, ok := files[ManifestName]
	if !ok {
		return Manifest{}, invalid("bundle_no_manifest", map[string]any{"name": ManifestName})
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil || dec.More() {
		return Manifest{}, invalid("bundle_bad_manifest", map[string]any{"why": "json"})
	}
	m.Name = strings.TrimSpace(m.Name)
	switch {
	case m.Name == "" || utf8.RuneCountInString(m.Name) > NameMax || problem.HasNUL(m.Name):
		return Manifest{}, invalid("bundle_bad_manifest", map[string]any{"why": "name"})
	case !versionPattern.MatchString(m.Version):
		return Manifest{}, invalid("bundle_bad_manifest", map[string]any{"why": "version"})
	case !strings.HasSuffix(strings.ToLower(m.Entry), ".html") || !hasFile(files, m.Entry):
		return Manifest{}, invalid("bundle_bad_manifest", map[string]any{"why": "entry"})
	}
	for _, p := range m.Permissions {
		if !slices.Contains(Permissions, p) {
			return Manifest{}, invalid("bundle_bad_manifest", map[string]any{"why": "permissions"})
		}
	}
	return m, nil
}

// hasFile reports whether files holds name (an empty file counts).
func hasFile(files map[string][]byte, name string) bool {
	_, ok := files[name]
	return ok
}

// clip shortens a path for a message.
func clip(s string) string {
	s = strings.ToValidUTF8(s, "?")
	if utf8.RuneCountInString(s) > 60 {
		return string([]rune(s)[:59]) + "…"
	}
	return s
}
