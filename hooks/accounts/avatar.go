package accounts

import (
	"fmt"
	"image"
	_ "image/gif" // register decoders for DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"io"

	"github.com/gabriel-vasile/mimetype"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	_ "golang.org/x/image/webp"

	"plaza/hooks/problem"
)

// Avatar upload limits (docs/SECURITY.md §8): type by content, size, and pixel
// dimensions read from the header before anything decodes the image.
const (
	AvatarMaxBytes = 5 << 20
	AvatarMaxSide  = 4096
	AvatarMinSide  = 16
)

// AvatarTypes are the image types accepted as avatars (never SVG).
var AvatarTypes = []string{"image/jpeg", "image/png", "image/webp", "image/gif"}

// CheckImage enforces the avatar limits on an uploaded file: its real type
// by content, its size, and its dimensions via image.DecodeConfig (so an
// image bomb is refused before anything decodes it).
func CheckImage(f *filesystem.File) error {
	if f.Size > AvatarMaxBytes {
		return problem.Invalid(FieldAvatar, "profile.avatar_too_large", map[string]any{"max": AvatarMaxBytes >> 20})
	}
	r, err := f.Reader.Open()
	if err != nil {
		return fmt.Errorf("open upload: %w", err)
	}
	defer r.Close()
	mt, err := mimetype.DetectReader(r)
	if err != nil {
		return fmt.Errorf("sniff upload: %w", err)
	}
	if !mimetype.EqualsAny(mt.String(), AvatarTypes...) {
		return problem.Invalid(FieldAvatar, "profile.avatar_type", nil)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("rewind upload: %w", err)
	}
	cfg, _, err := image.DecodeConfig(r)
	if err != nil {
		return problem.Invalid(FieldAvatar, "profile.avatar_type", nil)
	}
	if cfg.Width > AvatarMaxSide || cfg.Height > AvatarMaxSide || cfg.Width < AvatarMinSide || cfg.Height < AvatarMinSide {
		return problem.Invalid(FieldAvatar, "profile.avatar_dimensions", map[string]any{"min": AvatarMinSide, "max": AvatarMaxSide})
	}
	return nil
}

// SetAvatar checks an uploaded picture and makes it the member's avatar.
// PocketBase keeps the file and serves 96×96 and 240×240 thumbnails.
func SetAvatar(app core.App, member *core.Record, f *filesystem.File) error {
	if f == nil {
		return problem.Invalid(FieldAvatar, "profile.avatar_missing", nil)
	}
	if err := CheckImage(f); err != nil {
		return err
	}
	member.Set(FieldAvatar, f)
	if err := app.Save(member); err != nil {
		return fmt.Errorf("save avatar: %w", err)
	}
	return nil
}

// guardAvatarUploads applies CheckImage to avatars uploaded any other way
// (PocketBase's records API, the admin UI), so no path skips the checks.
func guardAvatarUploads(app core.App) {
	app.OnRecordValidate(Collection).BindFunc(func(e *core.RecordEvent) error {
		for _, f := range e.Record.GetUnsavedFiles(FieldAvatar) {
			if err := CheckImage(f); err != nil {
				if _, ok := problem.As(err); ok {
					return validation.Errors{FieldAvatar: validation.NewError("validation_invalid_avatar",
						"The avatar must be a JPEG, PNG, WebP or GIF image of at most 5 MB and 16–4096 pixels a side.")}
				}
				return err
			}
		}
		return e.Next()
	})
}
