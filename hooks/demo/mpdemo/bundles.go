package mpdemo

import (
	"archive/zip"
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"time"
)

// bundleFS holds the demo mini programs' bundles, one folder each
// (bundles/coffee, bundles/poll): plain HTML, CSS and JavaScript with a
// plaza.json manifest, as a developer would zip and upload them.
//
//go:embed bundles
var bundleFS embed.FS

// BundleFS is the named demo app's bundle folder.
func BundleFS(name string) (fs.FS, error) {
	sub, err := fs.Sub(bundleFS, "bundles/"+name)
	if err != nil {
		return nil, fmt.Errorf("demo bundle %s: %w", name, err)
	}
	if _, err := fs.Stat(sub, "plaza.json"); err != nil {
		return nil, fmt.Errorf("demo bundle %s: %w", name, err)
	}
	return sub, nil
}

// Bundle is the named demo app's bundle zipped as an upload takes it
// (miniprograms.CheckBundle): its files at the zip's root, plaza.json
// among them. The same files give the same bytes.
func Bundle(name string) ([]byte, error) {
	sub, err := BundleFS(name)
	if err != nil {
		return nil, err
	}
	return Zip(sub)
}

// Zip packs every file of fsys into a zip, paths relative to its root,
// in lexical order with a fixed time.
func Zip(fsys fs.FS) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	modified := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: path, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("zip bundle: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("zip bundle: %w", err)
	}
	return buf.Bytes(), nil
}
