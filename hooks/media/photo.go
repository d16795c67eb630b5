// Package media is the media pipeline Moments and Channels share: every
// photo a member posts is decoded, turned upright by its EXIF
// orientation, bounded in size and encoded again, so that nothing of the
// original file's metadata (GPS position, camera, time, thumbnails,
// comments) survives — a posted photo never tells where it was taken, as
// in WeChat. Videos are checked by type and size; their poster frame is a
// photo made in the browser, cleaned like any other.
package media

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"

	"github.com/disintegration/imaging"

	_ "golang.org/x/image/webp" // members' phones send WebP too

	"plaza/hooks/problem"
)

// Limits of a posted photo.
const (
	// PhotoMaxPixels bounds the decoded size (width × height) a photo may
	// declare before it is decoded: a small file cannot claim a huge
	// canvas (a decompression bomb).
	PhotoMaxPixels = 50_000_000
	// PhotoMaxSide is the longest side of a stored photo; larger ones are
	// scaled down on the server (the browser scales first, this is the
	// floor for clients that do not).
	PhotoMaxSide = 2560
	// PhotoQuality is the JPEG quality of stored photos.
	PhotoQuality = 85
)

// Photo is a cleaned photo, ready to store.
type Photo struct {
	Data          []byte // JPEG, or PNG for a picture with transparency
	Mime          string
	Ext           string // ".jpg" or ".png"
	Width, Height int
}

// CleanPhoto reads an uploaded picture (JPEG, PNG, GIF or WebP; its first
// frame for an animation), applies its EXIF orientation, scales it to
// PhotoMaxSide and encodes it again without any metadata. A file that is
// not such a picture, or declares more than PhotoMaxPixels, is a 400
// problem naming field.
func CleanPhoto(r io.Reader, field string) (Photo, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return Photo{}, fmt.Errorf("read photo: %w", err)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		return Photo{}, problem.Invalid(field, "media.not_a_photo", nil)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > PhotoMaxPixels {
		return Photo{}, problem.Invalid(field, "media.photo_too_large", map[string]any{"max": PhotoMaxPixels / 1_000_000})
	}
	img, err := imaging.Decode(bytes.NewReader(raw), imaging.AutoOrientation(true))
	if err != nil {
		return Photo{}, problem.Invalid(field, "media.not_a_photo", nil)
	}
	b := img.Bounds()
	if b.Dx() > PhotoMaxSide || b.Dy() > PhotoMaxSide {
		img = imaging.Fit(img, PhotoMaxSide, PhotoMaxSide, imaging.Lanczos)
		b = img.Bounds()
	}
	var out bytes.Buffer
	p := Photo{Width: b.Dx(), Height: b.Dy()}
	if format == "png" && !opaque(img) {
		err = png.Encode(&out, img)
		p.Mime, p.Ext = "image/png", ".png"
	} else {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: PhotoQuality})
		p.Mime, p.Ext = "image/jpeg", ".jpg"
	}
	if err != nil {
		return Photo{}, fmt.Errorf("encode photo: %w", err)
	}
	p.Data = out.Bytes()
	return p, nil
}

// opaque reports whether an image has no transparent pixel worth keeping.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// Video limits come from the community settings; these are the types a
// browser plays without a transcoder.
var videoTypes = map[string]string{"video/mp4": ".mp4", "video/webm": ".webm", "video/quicktime": ".mov"}

// CheckVideo sniffs an uploaded video's type from its first bytes and
// returns its MIME type and file extension; anything else is a 400
// problem naming field.
func CheckVideo(head []byte, field string) (mime, ext string, err error) {
	mime = http.DetectContentType(head)
	if len(head) >= 12 && string(head[4:8]) == "ftyp" { // ISO media: MP4, and QuickTime's "qt  " brand
		if string(head[8:12]) == "qt  " {
			mime = "video/quicktime"
		} else {
			mime = "video/mp4"
		}
	}
	ext, ok := videoTypes[mime]
	if !ok {
		return "", "", problem.Invalid(field, "media.not_a_video", nil)
	}
	return mime, ext, nil
}
