package media

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// Item is one cleaned photo or video of a post, ready to store: the
// shape of Moments' and Channels' media rows (post, position, kind,
// file, poster, width, height, duration_ms, mime, size).
type Item struct {
	Kind          string // "photo" or "video"
	File, Poster  *filesystem.File
	Width, Height int
	DurationMs    int
	Mime          string
	Size          int64
}

// Prepare cleans a post's photos, or checks its video and cleans the
// video's poster frame, before any transaction: decoding is the slow
// part and holds no lock. Field names in problems are photos.N, video
// and poster.
func Prepare(photos []*filesystem.File, video, poster *filesystem.File, durationMs int) ([]Item, error) {
	var out []Item
	for i, f := range photos {
		p, err := cleanUpload(f, fmt.Sprintf("photos.%d", i))
		if err != nil {
			return nil, err
		}
		clean, err := filesystem.NewFileFromBytes(p.Data, "photo"+p.Ext)
		if err != nil {
			return nil, fmt.Errorf("photo file: %w", err)
		}
		out = append(out, Item{Kind: "photo", File: clean, Width: p.Width, Height: p.Height, Mime: p.Mime, Size: int64(len(p.Data))})
	}
	if video == nil {
		return out, nil
	}
	head, err := readHead(video)
	if err != nil {
		return nil, err
	}
	mime, ext, err := CheckVideo(head, "video")
	if err != nil {
		return nil, err
	}
	p, err := cleanUpload(poster, "poster")
	if err != nil {
		return nil, err
	}
	clean, err := filesystem.NewFileFromBytes(p.Data, "poster"+p.Ext)
	if err != nil {
		return nil, fmt.Errorf("poster file: %w", err)
	}
	video.Name = "video" + ext
	return append(out, Item{Kind: "video", File: video, Poster: clean, Width: p.Width, Height: p.Height,
		DurationMs: durationMs, Mime: mime, Size: video.Size}), nil
}

// CleanUpload is CleanPhoto of an uploaded file (a cover, an avatar).
func CleanUpload(f *filesystem.File, field string) (Photo, error) { return cleanUpload(f, field) }

func cleanUpload(f *filesystem.File, field string) (Photo, error) {
	r, err := f.Reader.Open()
	if err != nil {
		return Photo{}, fmt.Errorf("open upload: %w", err)
	}
	defer r.Close()
	return CleanPhoto(r, field)
}

func readHead(f *filesystem.File) ([]byte, error) {
	r, err := f.Reader.Open()
	if err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	defer r.Close()
	head := make([]byte, 512)
	n, _ := r.Read(head) // a short read is a short file: CheckVideo refuses it
	return head[:n], nil
}

// SaveItems stores items as rows of collection (Moments' or Channels'
// media table, owned by the caller) for postID, in the caller's
// transaction.
func SaveItems(txApp core.App, collection, postID string, items []Item) error {
	if len(items) == 0 {
		return nil
	}
	col, err := txApp.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return fmt.Errorf("media collection: %w", err)
	}
	for i, m := range items {
		r := core.NewRecord(col)
		r.Set("post", postID)
		r.Set("position", i)
		r.Set("kind", m.Kind)
		r.Set("file", m.File)
		if m.Poster != nil {
			r.Set("poster", m.Poster)
		}
		r.Set("width", m.Width)
		r.Set("height", m.Height)
		r.Set("duration_ms", m.DurationMs)
		r.Set("mime", m.Mime)
		r.Set("size", m.Size)
		if err := txApp.Save(r); err != nil {
			return fmt.Errorf("save media: %w", err)
		}
	}
	return nil
}
