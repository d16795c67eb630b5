package miniprograms

import (
	"fmt"
	"io"
	"mime"
	"path"
	"strings"
	"sync"
)

// bundleCache keeps opened bundles in memory, the most recently used
// first, up to a total of unpacked bytes.
type bundleCache struct {
	mu    sync.Mutex
	limit int
	size  int
	order []string // version ids, least recently used first
	items map[string]Bundle
}

func newBundleCache(limit int) *bundleCache {
	return &bundleCache{limit: limit, items: map[string]Bundle{}}
}

func bundleSize(b Bundle) int {
	n := 0
	for _, f := range b.Files {
		n += len(f)
	}
	return n
}

func (c *bundleCache) get(id string) (Bundle, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.items[id]
	if ok {
		c.touch(id)
	}
	return b, ok
}

func (c *bundleCache) touch(id string) {
	for i, v := range c.order {
		if v == id {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
	c.order = append(c.order, id)
}

func (c *bundleCache) put(id string, b Bundle) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[id]; ok {
		return
	}
	c.items[id] = b
	c.size += bundleSize(b)
	c.touch(id)
	for c.size > c.limit && len(c.order) > 1 {
		old := c.order[0]
		c.order = c.order[1:]
		c.size -= bundleSize(c.items[old])
		delete(c.items, old)
	}
}

// File is one file of a version's bundle, to serve.
type File struct {
	Data        []byte
	ContentType string
	App         App
	Version     Version
}

// BundleFile is the file at name in a version of the app. The released
// and previous versions are open to anyone (the bundle is public: it
// carries no member's data); any other needs its preview token
// (App.PreviewToken), which only the developer's host page hands out.
func (s *Service) BundleFile(appid, versionID, token, name string) (File, error) {
	a, err := s.Find(appid)
	if err != nil {
		return File{}, err
	}
	v, err := versionOf(s.app, a, versionID)
	if err != nil {
		return File{}, err
	}
	live := (v.Released || v.Previous) && !a.Suspended
	if !live && (token == "" || token != a.PreviewToken(v.ID)) {
		return File{}, notFound()
	}
	if v.bundle == "" {
		return File{}, notFound()
	}
	b, err := s.openBundle(v)
	if err != nil {
		return File{}, err
	}
	if name == "" {
		name = v.Entry
	}
	if !SafePath(name) || name == ManifestName {
		return File{}, notFound()
	}
	data, ok := b.Files[name]
	if !ok {
		return File{}, notFound()
	}
	return File{Data: data, ContentType: contentType(name), App: a, Version: v}, nil
}

// openBundle reads a version's zip from storage once and keeps it open.
func (s *Service) openBundle(v Version) (Bundle, error) {
	if b, ok := s.bundles.get(v.ID); ok {
		return b, nil
	}
	fsys, err := s.app.NewFilesystem()
	if err != nil {
		return Bundle{}, fmt.Errorf("open storage: %w", err)
	}
	defer fsys.Close()
	rd, err := fsys.GetReader(v.bundle)
	if err != nil {
		return Bundle{}, fmt.Errorf("read bundle: %w", err)
	}
	defer rd.Close()
	data, err := io.ReadAll(io.LimitReader(rd, BundleMaxBytes+1))
	if err != nil {
		return Bundle{}, fmt.Errorf("read bundle: %w", err)
	}
	b, err := CheckBundle(data)
	if err != nil {
		return Bundle{}, fmt.Errorf("stored bundle %s: %w", v.ID, err)
	}
	s.bundles.put(v.ID, b)
	return b, nil
}

// contentType is a bundle file's type by its extension; unknown ones are
// served as bytes, never sniffed.
func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".html", ".htm":
		return "text/html; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".json":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}
