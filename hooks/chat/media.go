package chat

import (
	"fmt"
	"image"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/problem"
	"plaza/hooks/settings"
)

// MediaCollection holds the pictures and files sent in chats, in a
// protected file field: PocketBase serves them only with a short-lived file
// token of someone who is a member of the chat now.
const MediaCollection = "chat_media"

// Picture limits (docs/SECURITY.md §8): the dimensions are read from the header
// with image.DecodeConfig before anything decodes the picture.
const (
	ImageMaxSide   = 12000
	ImageMaxPixels = 50_000_000
	FileNameMax    = 200
	// MediaThumb is the thumbnail chat bubbles show (fits in 480×480).
	MediaThumb = "480x480f"
)

// imageTypes are shown inline as pictures; any other file is sent as a file.
var imageTypes = []string{"image/jpeg", "image/png", "image/webp", "image/gif"}

// Attachment is the picture or file of a message, as clients see it. The
// bytes are fetched from /media/{id}.
type Attachment struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Mime string `json:"mime"`
	Size int64  `json:"size"`
	W    int    `json:"w,omitempty"`
	H    int    `json:"h,omitempty"`
}

// inspect decides whether an upload is a picture (by content, with sane
// dimensions) or a plain file, and refuses what is too large.
func inspect(app core.App, f *filesystem.File) (kind string, a Attachment, err error) {
	maxMB := settings.Get(app).ChatFileMaxMB
	if f.Size > int64(maxMB)<<20 {
		return "", a, problem.Invalid("file", "chat.file_too_large", map[string]any{"max": maxMB})
	}
	if f.Size == 0 {
		return "", a, problem.Invalid("file", "chat.file_empty", nil)
	}
	r, err := f.Reader.Open()
	if err != nil {
		return "", a, fmt.Errorf("open upload: %w", err)
	}
	defer r.Close()
	mt, err := mimetype.DetectReader(r)
	if err != nil {
		return "", a, fmt.Errorf("sniff upload: %w", err)
	}
	a = Attachment{Name: cleanName(f.OriginalName), Mime: mt.String(), Size: f.Size}
	if !mimetype.EqualsAny(a.Mime, imageTypes...) {
		return MsgFile, a, nil
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return "", a, fmt.Errorf("rewind upload: %w", err)
	}
	cfg, _, err := image.DecodeConfig(r)
	if err != nil || cfg.Width < 1 || cfg.Height < 1 {
		return "", a, problem.Invalid("file", "chat.image_invalid", nil)
	}
	if cfg.Width > ImageMaxSide || cfg.Height > ImageMaxSide || cfg.Width*cfg.Height > ImageMaxPixels {
		return "", a, problem.Invalid("file", "chat.image_too_big", map[string]any{"max": ImageMaxSide})
	}
	a.W, a.H = cfg.Width, cfg.Height
	return MsgImage, a, nil
}

// cleanName keeps a file name displayable: no directories or control
// characters, at most FileNameMax characters.
func cleanName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == "/" {
		name = "file"
	}
	if utf8.RuneCountInString(name) > FileNameMax {
		name = string([]rune(name)[:FileNameMax])
	}
	return name
}

// SendMedia sends a picture or file: checked, then stored in the chat's
// media inside the same transaction as the message. A retried client id
// stores nothing new.
func (s *Service) SendMedia(senderID, convID, clientID string, f *filesystem.File, replyTo string) (SendResult, error) {
	if f == nil {
		return SendResult{}, problem.Invalid("file", "chat.file_missing", nil)
	}
	kind, a, err := inspect(s.app, f)
	if err != nil {
		return SendResult{}, err
	}
	in := SendInput{ClientID: clientID, Kind: kind, ReplyTo: replyTo}
	if kind == MsgFile {
		in.Text = a.Name // file names are searchable
	}
	in.attach = func(txApp core.App, convID string) (*Attachment, error) {
		return storeMedia(txApp, convID, senderID, kind, a, f)
	}
	return s.Send(senderID, convID, in)
}

// storeMedia saves one chat_media record holding f.
func storeMedia(txApp core.App, convID, uploader, kind string, a Attachment, f *filesystem.File) (*Attachment, error) {
	col, err := txApp.FindCachedCollectionByNameOrId(MediaCollection)
	if err != nil {
		return nil, fmt.Errorf("media collection: %w", err)
	}
	rec := core.NewRecord(col)
	rec.Set("conversation", convID)
	rec.Set("uploader", uploader)
	rec.Set("kind", kind)
	rec.Set("name", a.Name)
	rec.Set("mime", a.Mime)
	rec.Set("size", a.Size)
	rec.Set("width", a.W)
	rec.Set("height", a.H)
	rec.Set("file", f)
	if err := txApp.Save(rec); err != nil {
		return nil, fmt.Errorf("store media: %w", err)
	}
	a.ID = rec.Id
	return &a, nil
}

// copyMedia copies a chat's picture or file into another chat (forwarding):
// each chat's media belongs to that chat alone.
func copyMedia(txApp core.App, src *Attachment, toConv, uploader string) (*Attachment, error) {
	f, err := readMedia(txApp, src)
	if err != nil {
		return nil, err
	}
	kind := MsgFile
	if src.W > 0 {
		kind = MsgImage
	}
	return storeMedia(txApp, toConv, uploader, kind, *src, f)
}

// readMedia loads a chat's stored picture or file as a new upload.
func readMedia(app core.App, a *Attachment) (*filesystem.File, error) {
	rec, err := app.FindRecordById(MediaCollection, a.ID)
	if err != nil {
		return nil, NotFound()
	}
	fsys, err := app.NewFilesystem()
	if err != nil {
		return nil, fmt.Errorf("open file storage: %w", err)
	}
	defer fsys.Close()
	rd, err := fsys.GetReader(rec.BaseFilesPath() + "/" + rec.GetString("file"))
	if err != nil {
		return nil, fmt.Errorf("read media: %w", err)
	}
	defer rd.Close()
	data, err := io.ReadAll(io.LimitReader(rd, int64(settings.Get(app).ChatFileMaxMB)<<20+1))
	if err != nil {
		return nil, fmt.Errorf("read media: %w", err)
	}
	f, err := filesystem.NewFileFromBytes(data, a.Name)
	if err != nil {
		return nil, fmt.Errorf("copy media: %w", err)
	}
	return f, nil
}

// MediaFor is a chat picture or file, for a member of its chat now (a
// not-found problem for anyone else).
func (s *Service) MediaFor(memberID, mediaID string) (*core.Record, error) {
	rec, err := s.app.FindRecordById(MediaCollection, mediaID)
	if err != nil {
		return nil, NotFound()
	}
	if _, err := memberOf(s.app, memberID, rec.GetString("conversation")); err != nil {
		return nil, err
	}
	return rec, nil
}
