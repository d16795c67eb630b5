// Package public embeds Plaza's static assets (CSS, JavaScript, vendored
// libraries, icons) so that one binary serves the whole web app, and gives
// every asset a content-hashed URL for long-lived caching.
package public

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"sync"
)

// FS holds every file under public/ that the browser may load.
//
//go:embed css/app.css js vendor icons mp
var FS embed.FS

var (
	hashesOnce sync.Once
	hashes     map[string]string
)

// URL returns the cache-busting URL of an embedded asset, e.g.
// URL("css/app.css") == "/public/css/app.css?v=1a2b3c4d5e6f". Unknown names
// get no version so a typo shows up as a 404 rather than a stale file.
func URL(name string) string {
	if v := Version(name); v != "" {
		return "/public/" + name + "?v=" + v
	}
	return "/public/" + name
}

// Version returns the short content hash of an embedded asset, or "" when
// the asset does not exist.
func Version(name string) string {
	hashesOnce.Do(computeHashes)
	return hashes[name]
}

func computeHashes() {
	hashes = map[string]string{}
	_ = fs.WalkDir(FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := FS.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		hashes[path] = hex.EncodeToString(sum[:6])
		return nil
	})
}
