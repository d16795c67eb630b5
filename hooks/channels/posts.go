package channels

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/media"
	"plaza/hooks/problem"
	"plaza/hooks/settings"
)

// Limits of a post.
const (
	CaptionMax  = 1000
	LocationMax = 100
	PhotosMax   = 9
	TagsMax     = 10 // hashtags indexed per post
	TagMax      = 50 // characters of one hashtag
)

// PostInput is a new post: a caption, photos or one video (with the poster
// frame the browser made and its length).
type PostInput struct {
	Caption    string
	Location   string
	Photos     []*filesystem.File
	Video      *filesystem.File
	Poster     *filesystem.File
	DurationMs int
}

// Publish stores a post on memberID's channel.
func (s *Service) Publish(memberID string, in PostInput) (Post, error) {
	in.Caption, in.Location = strings.TrimSpace(in.Caption), strings.TrimSpace(in.Location)
	if err := checkPost(in, settings.Get(s.app)); err != nil {
		return Post{}, err
	}
	ch, err := s.ChannelOf(memberID, memberID)
	if err != nil {
		return Post{}, problem.New(http.StatusNotFound, "channels.no_channel")
	}
	items, err := media.Prepare(in.Photos, in.Video, in.Poster, in.DurationMs)
	if err != nil {
		return Post{}, err
	}
	id := core.GenerateDefaultRandomId()
	now := s.now()
	at := now.Format(types.DefaultDateLayout)
	kind := ""
	if len(items) > 0 {
		kind = items[0].Kind
	}
	err = s.app.RunInTransaction(func(tx core.App) error {
		_, err := tx.DB().NewQuery(`INSERT INTO channels_posts (id, channel, caption, location, media_kind, media_count, likes, comments, views, hot, taken_down, posted, edited, created, updated)
			VALUES ({:id}, {:c}, {:cap}, {:loc}, {:mk}, {:mc}, 0, 0, 0, {:hot}, 0, {:at}, '', {:at}, {:at})`).
			Bind(dbx.Params{"id": id, "c": ch.ID, "cap": in.Caption, "loc": in.Location, "mk": kind, "mc": len(items),
				"hot": Hot(0, 0, 0, now), "at": at}).Execute()
		if err != nil {
			return fmt.Errorf("insert post: %w", err)
		}
		if err := media.SaveItems(tx, "channels_media", id, items); err != nil {
			return err
		}
		if err := writeTags(tx, id, in.Caption, at); err != nil {
			return err
		}
		_, err = tx.DB().NewQuery(`UPDATE channels SET posts = posts + 1 WHERE id = {:c}`).Bind(dbx.Params{"c": ch.ID}).Execute()
		return err
	})
	if err != nil {
		return Post{}, err
	}
	return s.PostFor(memberID, id)
}

func checkPost(in PostInput, lim settings.Settings) error {
	p := &problem.Problem{Status: http.StatusBadRequest}
	if utf8.RuneCountInString(in.Caption) > CaptionMax {
		p.Add("caption", "profile.too_long", map[string]any{"max": CaptionMax})
	}
	if utf8.RuneCountInString(in.Location) > LocationMax {
		p.Add("location", "profile.too_long", map[string]any{"max": LocationMax})
	}
	if problem.HasNUL(in.Caption + in.Location) {
		p.Add("caption", "errors.nul_byte", nil)
	}
	switch {
	case len(in.Photos) == 0 && in.Video == nil:
		p.Add("photos", "channels.media_required", nil)
	case len(in.Photos) > PhotosMax:
		p.Add("photos", "moments.too_many_photos", map[string]any{"max": PhotosMax})
	case in.Video != nil && len(in.Photos) > 0:
		p.Add("video", "moments.photos_or_video", nil)
	case in.Video != nil && (in.Video.Size > int64(lim.ChannelsVideoMaxMB)<<20 || in.DurationMs <= 0 || in.DurationMs > lim.ChannelsVideoMaxSeconds*1000):
		p.Add("video", "moments.video_too_long", map[string]any{"mb": lim.ChannelsVideoMaxMB, "seconds": lim.ChannelsVideoMaxSeconds})
	case in.Video != nil && in.Poster == nil:
		p.Add("poster", "moments.poster_required", nil)
	}
	return p.OrNil()
}

// Tags are a caption's #hashtags, lower-cased, first TagsMax distinct: a
// '#' then letters (any script), digits or '_'.
func Tags(caption string) []string {
	var out []string
	seen := map[string]bool{}
	rs := []rune(caption)
	for i := 0; i < len(rs); i++ {
		if rs[i] != '#' || (i > 0 && isTagRune(rs[i-1])) {
			continue
		}
		j := i + 1
		for j < len(rs) && isTagRune(rs[j]) {
			j++
		}
		if j > i+1 && j-i-1 <= TagMax {
			t := strings.ToLower(string(rs[i+1 : j]))
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
		i = j - 1
	}
	if len(out) > TagsMax {
		out = out[:TagsMax]
	}
	return out
}

func isTagRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

func writeTags(tx core.App, postID, caption, posted string) error {
	if _, err := tx.DB().NewQuery(`DELETE FROM channels_tags WHERE post = {:p}`).Bind(dbx.Params{"p": postID}).Execute(); err != nil {
		return fmt.Errorf("clear tags: %w", err)
	}
	for _, t := range Tags(caption) {
		_, err := tx.DB().NewQuery(`INSERT INTO channels_tags (id, post, tag, posted) VALUES ({:id}, {:p}, {:t}, {:at})`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "p": postID, "t": t, "at": posted}).Execute()
		if err != nil {
			return fmt.Errorf("insert tag: %w", err)
		}
	}
	return nil
}

// EditCaption replaces the caption (and so the hashtags) of memberID's post.
func (s *Service) EditCaption(memberID, postID, caption string) (Post, error) {
	caption = strings.TrimSpace(caption)
	if err := checkPost(PostInput{Caption: caption, Photos: make([]*filesystem.File, 1)}, settings.Defaults); err != nil {
		return Post{}, err
	}
	row, err := s.ownPost(memberID, postID)
	if err == nil && row.TakenDown {
		err = notFound() // a taken-down post can only be deleted
	}
	if err != nil {
		return Post{}, err
	}
	err = s.app.RunInTransaction(func(tx core.App) error {
		if _, err := tx.DB().NewQuery(`UPDATE channels_posts SET caption = {:c}, edited = {:at} WHERE id = {:p}`).
			Bind(dbx.Params{"c": caption, "at": s.now().Format(types.DefaultDateLayout), "p": postID}).Execute(); err != nil {
			return fmt.Errorf("edit caption: %w", err)
		}
		return writeTags(tx, postID, caption, row.Posted)
	})
	if err != nil {
		return Post{}, err
	}
	return s.PostFor(memberID, postID)
}

// Delete removes memberID's post with its media, likes, comments and
// views.
func (s *Service) Delete(memberID, postID string) error {
	row, err := s.ownPost(memberID, postID)
	if err != nil {
		return err
	}
	rec, err := s.app.FindRecordById("channels_posts", postID)
	if err != nil {
		return notFound()
	}
	return s.app.RunInTransaction(func(tx core.App) error {
		if err := tx.Delete(rec); err != nil { // cascades: media (files), tags, likes, comments, favourites, views
			return fmt.Errorf("delete post: %w", err)
		}
		_, err := tx.DB().NewQuery(`UPDATE channels SET posts = max(posts - 1, 0) WHERE id = {:c}`).Bind(dbx.Params{"c": row.Channel}).Execute()
		return err
	})
}

// ownPost is memberID's own post (taken down or not): anyone else's is
// channels.not_found.
func (s *Service) ownPost(memberID, postID string) (postRow, error) {
	row, err := s.loadPost(postID, true)
	if err != nil {
		return postRow{}, err
	}
	if row.Owner != memberID {
		return postRow{}, notFound()
	}
	return row, nil
}

// hotEpoch is where the Popular score's time part starts.
var hotEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// hotTenfold is how long it takes for a post to need ten times the
// engagement to rank the same (docs/CHANNELS.md, "Popular").
const hotTenfold = 45000 * time.Second

// Hot is a post's Popular score: log10(1 + likes + 2·comments + views/10)
// plus the hours since hotEpoch over 12.5. Every 12.5 hours a post needs
// ten times the engagement of an older one to rank above it; a score
// never changes with the clock, so the feed is one index walk.
func Hot(likes, comments, views int, posted time.Time) float64 {
	e := 1 + float64(likes) + 2*float64(comments) + float64(views)/10
	return math.Log10(e) + posted.Sub(hotEpoch).Seconds()/hotTenfold.Seconds()
}

// counts are what a post's Popular score is made of (and its channel).
type counts struct {
	Channel  string `db:"channel"`
	Likes    int    `db:"likes"`
	Comments int    `db:"comments"`
	Views    int    `db:"views"`
	Posted   string `db:"posted"`
}

// rescore sets a post's Popular score from its counts, in tx.
func rescore(tx core.App, postID string) error {
	var c counts
	if err := tx.DB().NewQuery(`SELECT channel, likes, comments, views, posted FROM channels_posts WHERE id = {:p}`).
		Bind(dbx.Params{"p": postID}).One(&c); err != nil {
		return fmt.Errorf("read counts: %w", err)
	}
	return setHot(tx, postID, c)
}

// setHot sets a post's Popular score from counts c just read in tx.
func setHot(tx core.App, postID string, c counts) error {
	posted, err := types.ParseDateTime(c.Posted)
	if err != nil {
		return fmt.Errorf("post time: %w", err)
	}
	_, err = tx.DB().NewQuery(`UPDATE channels_posts SET hot = {:h} WHERE id = {:p}`).
		Bind(dbx.Params{"h": Hot(c.Likes, c.Comments, c.Views, posted.Time()), "p": postID}).Execute()
	if err != nil {
		return fmt.Errorf("rescore: %w", err)
	}
	return nil
}
