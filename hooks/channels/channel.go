package channels

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/media"
	"plaza/hooks/problem"
)

// Limits of a channel's profile.
const (
	NameMax = 40
	BioMax  = 200
)

// handlePattern is a channel's handle: 3–30 lower-case letters, digits and
// underscores (its public address, /c/<handle>).
var handlePattern = regexp.MustCompile(`^[a-z0-9_]{3,30}$`)

// reservedHandles are words the web pages use next to handles.
var reservedHandles = map[string]bool{"new": true, "me": true, "tag": true, "tags": true, "feed": true, "admin": true,
	"api": true, "media": true, "search": true, "stats": true, "compose": true, "favourites": true, "plaza": true}

// Channel is a channel's public profile, and how the viewer stands to it.
type Channel struct {
	ID        string `json:"id"`
	Owner     string `json:"-"`
	Handle    string `json:"handle"`
	Name      string `json:"name"`
	Bio       string `json:"bio"`
	Verified  bool   `json:"verified"`
	Followers int    `json:"followers"`
	Posts     int    `json:"posts"`
	HasAvatar bool   `json:"has_avatar"`
	Following bool   `json:"following"` // the viewer follows it
	Mine      bool   `json:"mine"`      // the viewer owns it
}

// ProfileInput is what a member sets on their channel; nil fields stay.
type ProfileInput struct {
	Handle *string // only when creating
	Name   *string
	Bio    *string
	Avatar *filesystem.File
}

const channelColumns = `c.id, c.owner, c.handle, c.name, c.bio, c.verified, c.followers, c.posts, (c.avatar != '') AS has_avatar`

type channelRow struct {
	ID        string `db:"id"`
	Owner     string `db:"owner"`
	Handle    string `db:"handle"`
	Name      string `db:"name"`
	Bio       string `db:"bio"`
	Verified  bool   `db:"verified"`
	Followers int    `db:"followers"`
	Posts     int    `db:"posts"`
	HasAvatar bool   `db:"has_avatar"`
}

func (r channelRow) channel() Channel {
	return Channel{ID: r.ID, Owner: r.Owner, Handle: r.Handle, Name: r.Name, Bio: r.Bio, Verified: r.Verified,
		Followers: r.Followers, Posts: r.Posts, HasAvatar: r.HasAvatar}
}

// notFound is Channels' one answer for what does not exist, was taken
// down, or is not the asker's to change.
func notFound() *problem.Problem { return problem.New(http.StatusNotFound, "channels.not_found") }

// Create opens memberID's channel (one per member).
func (s *Service) Create(memberID string, in ProfileInput) (Channel, error) {
	handle := ""
	if in.Handle != nil {
		handle = strings.ToLower(strings.TrimSpace(*in.Handle))
	}
	p := &problem.Problem{Status: http.StatusBadRequest}
	if !handlePattern.MatchString(handle) || reservedHandles[handle] {
		p.Add("handle", "channels.bad_handle", nil)
	}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		p.Add("name", "validation_required", nil)
	}
	checkProfile(p, in)
	if err := p.OrNil(); err != nil {
		return Channel{}, err
	}
	if _, err := s.ChannelOf(memberID, memberID); err == nil {
		return Channel{}, problem.New(http.StatusConflict, "channels.already_have")
	}
	avatar, err := cleanAvatar(in.Avatar)
	if err != nil {
		return Channel{}, err
	}
	col, err := s.app.FindCachedCollectionByNameOrId("channels")
	if err != nil {
		return Channel{}, fmt.Errorf("channels collection: %w", err)
	}
	rec := core.NewRecord(col)
	rec.Set("owner", memberID)
	rec.Set("handle", handle)
	rec.Set("name", strings.TrimSpace(*in.Name))
	if in.Bio != nil {
		rec.Set("bio", strings.TrimSpace(*in.Bio))
	}
	if avatar != nil {
		rec.Set("avatar", avatar)
	}
	err = s.app.RunInTransaction(func(tx core.App) error {
		var taken int
		if err := tx.DB().NewQuery(`SELECT count(*) FROM channels WHERE handle = {:h} OR owner = {:o}`).
			Bind(dbx.Params{"h": handle, "o": memberID}).Row(&taken); err != nil {
			return fmt.Errorf("check handle: %w", err)
		}
		if taken > 0 {
			return problem.Invalid("handle", "channels.handle_taken", nil)
		}
		return tx.Save(rec)
	})
	if err != nil {
		return Channel{}, err
	}
	return s.ChannelOf(memberID, memberID)
}

// Update changes memberID's channel's name, bio or avatar.
func (s *Service) Update(memberID string, in ProfileInput) (Channel, error) {
	p := &problem.Problem{Status: http.StatusBadRequest}
	if in.Name != nil && strings.TrimSpace(*in.Name) == "" {
		p.Add("name", "validation_required", nil)
	}
	checkProfile(p, in)
	if err := p.OrNil(); err != nil {
		return Channel{}, err
	}
	rec, err := s.app.FindFirstRecordByFilter("channels", "owner = {:o}", dbx.Params{"o": memberID})
	if err != nil {
		return Channel{}, notFound()
	}
	avatar, err := cleanAvatar(in.Avatar)
	if err != nil {
		return Channel{}, err
	}
	if in.Name != nil {
		rec.Set("name", strings.TrimSpace(*in.Name))
	}
	if in.Bio != nil {
		rec.Set("bio", strings.TrimSpace(*in.Bio))
	}
	if avatar != nil {
		rec.Set("avatar", avatar)
	}
	if err := s.app.Save(rec); err != nil {
		return Channel{}, fmt.Errorf("save channel: %w", err)
	}
	return s.ChannelOf(memberID, memberID)
}

func checkProfile(p *problem.Problem, in ProfileInput) {
	if in.Name != nil && utf8.RuneCountInString(strings.TrimSpace(*in.Name)) > NameMax {
		p.Add("name", "profile.too_long", map[string]any{"max": NameMax})
	}
	if in.Bio != nil && utf8.RuneCountInString(strings.TrimSpace(*in.Bio)) > BioMax {
		p.Add("bio", "profile.too_long", map[string]any{"max": BioMax})
	}
	for _, f := range []*string{in.Name, in.Bio, in.Handle} {
		if f != nil && problem.HasNUL(*f) {
			p.Add("name", "errors.nul_byte", nil)
		}
	}
}

func cleanAvatar(f *filesystem.File) (*filesystem.File, error) {
	if f == nil {
		return nil, nil
	}
	p, err := media.CleanUpload(f, "avatar")
	if err != nil {
		return nil, err
	}
	clean, err := filesystem.NewFileFromBytes(p.Data, "avatar"+p.Ext)
	if err != nil {
		return nil, fmt.Errorf("avatar file: %w", err)
	}
	return clean, nil
}

// ByHandle is a channel as viewerID ("" signed out) sees it.
func (s *Service) ByHandle(viewerID, handle string) (Channel, error) {
	return s.channelWhere(viewerID, "c.handle = {:k}", strings.ToLower(handle))
}

// ChannelOf is ownerID's channel as viewerID sees it (channels.not_found
// when they have none).
func (s *Service) ChannelOf(viewerID, ownerID string) (Channel, error) {
	return s.channelWhere(viewerID, "c.owner = {:k}", ownerID)
}

func (s *Service) channelWhere(viewerID, where, key string) (Channel, error) {
	var row channelRow
	err := s.app.DB().NewQuery(`SELECT ` + channelColumns + ` FROM channels c WHERE ` + where).Bind(dbx.Params{"k": key}).One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return Channel{}, notFound()
	}
	if err != nil {
		return Channel{}, fmt.Errorf("load channel: %w", err)
	}
	c := row.channel()
	if viewerID != "" {
		c.Mine = c.Owner == viewerID
		var n int
		if err := s.app.DB().NewQuery(`SELECT count(*) FROM channels_follows WHERE member = {:m} AND channel = {:c}`).
			Bind(dbx.Params{"m": viewerID, "c": c.ID}).Row(&n); err != nil {
			return Channel{}, fmt.Errorf("read follow: %w", err)
		}
		c.Following = n > 0
	}
	return c, nil
}

// AvatarRecord is the channel record holding handle's avatar (nil when
// it has none).
func (s *Service) AvatarRecord(handle string) (*core.Record, error) {
	rec, err := s.app.FindFirstRecordByFilter("channels", "handle = {:h}", dbx.Params{"h": strings.ToLower(handle)})
	if err != nil {
		return nil, notFound()
	}
	if rec.GetString("avatar") == "" {
		return nil, nil
	}
	return rec, nil
}
