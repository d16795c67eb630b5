package moments

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/contacts"
	"plaza/hooks/media"
	"plaza/hooks/problem"
	"plaza/hooks/settings"
)

// Limits of a post.
const (
	TextMax     = 2000 // characters
	LocationMax = 100  // characters
	PhotosMax   = 9
	RemindsMax  = 10
	// VideoCeilingBytes bounds any upload of a video, whatever the
	// community's settings (settings.MomentsVideoMaxMB, at most 2,000).
	VideoCeilingBytes = 2000 << 20
)

// PostInput is a new post. Photos are cleaned (EXIF and other metadata
// dropped, turned upright) before they are stored; a video comes with its
// poster frame (a photo made in the browser) and its duration.
type PostInput struct {
	Text       string
	Location   string
	Visibility string   // VisibleAll (default), VisiblePrivate, VisibleInclude, VisibleExclude
	Tags       []string // the author's tags, for include and exclude: expanded now
	Members    []string // friends, for include and exclude
	Reminds    []string // friends to remind (who must be able to see the post)
	Photos     []*filesystem.File
	Video      *filesystem.File
	Poster     *filesystem.File // the video's poster frame
	DurationMs int              // the video's length
	Share      *Share           // a card to share (a Channels post), built by its module now
}

// Share asks for a card of another module inside a post: a registered card
// type that may go into Moments (module.CardType.Moments) and its object.
type Share struct {
	Type string
	Ref  string
}

// Publish stores a post of authorID's and reminds whom it names.
func (s *Service) Publish(authorID string, in PostInput) (Post, error) {
	in.Text, in.Location = strings.TrimSpace(in.Text), strings.TrimSpace(in.Location)
	if in.Visibility == "" {
		in.Visibility = VisibleAll
	}
	if err := checkPost(in, settings.Get(s.app)); err != nil {
		return Post{}, err
	}
	circle, err := s.circles.Of(s.app, authorID)
	if err != nil {
		return Post{}, err
	}
	audience, err := s.audienceOf(authorID, circle, in)
	if err != nil {
		return Post{}, err
	}
	if err := checkReminds(circle, in, audience); err != nil {
		return Post{}, err
	}
	stored, err := media.Prepare(in.Photos, in.Video, in.Poster, in.DurationMs)
	if err != nil {
		return Post{}, err
	}
	now := s.now()
	id := core.GenerateDefaultRandomId()
	err = s.app.RunInTransaction(func(txApp core.App) error {
		share, err := s.shareCard(txApp, authorID, in.Share)
		if err != nil {
			return err
		}
		return insertPost(txApp, id, authorID, in, audience, stored, share, now)
	})
	if err != nil {
		return Post{}, err
	}
	s.pushNotes(in.Reminds)
	return s.PostFor(authorID, id)
}

// checkPost checks what a post can be checked for without the database;
// lim holds the community's video limits.
func checkPost(in PostInput, lim settings.Settings) error {
	p := &problem.Problem{Status: http.StatusBadRequest}
	if utf8.RuneCountInString(in.Text) > TextMax {
		p.Add("text", "profile.too_long", map[string]any{"max": TextMax})
	}
	if problem.HasNUL(in.Text + in.Location) {
		p.Add("text", "errors.nul_byte", nil)
	}
	if utf8.RuneCountInString(in.Location) > LocationMax {
		p.Add("location", "profile.too_long", map[string]any{"max": LocationMax})
	}
	if in.Text == "" && len(in.Photos) == 0 && in.Video == nil && in.Share == nil {
		p.Add("text", "moments.empty", nil)
	}
	switch {
	case len(in.Photos) > PhotosMax:
		p.Add("photos", "moments.too_many_photos", map[string]any{"max": PhotosMax})
	case in.Video != nil && len(in.Photos) > 0:
		p.Add("video", "moments.photos_or_video", nil)
	case in.Video != nil && (in.Video.Size > int64(lim.MomentsVideoMaxMB)<<20 || in.DurationMs <= 0 || in.DurationMs > lim.MomentsVideoMaxSeconds*1000):
		p.Add("video", "moments.video_too_long", map[string]any{"mb": lim.MomentsVideoMaxMB, "seconds": lim.MomentsVideoMaxSeconds})
	case in.Video != nil && in.Poster == nil:
		p.Add("poster", "moments.poster_required", nil)
	}
	switch in.Visibility {
	case VisibleAll, VisiblePrivate:
	case VisibleInclude, VisibleExclude:
		if len(in.Tags) == 0 && len(in.Members) == 0 {
			p.Add("members", "moments.audience_required", nil)
		}
	default:
		p.Add("visibility", "errors.bad_request", nil)
	}
	if len(in.Reminds) > RemindsMax {
		p.Add("reminds", "moments.too_many_reminds", map[string]any{"max": RemindsMax})
	}
	if in.Visibility == VisiblePrivate && len(in.Reminds) > 0 {
		p.Add("reminds", "moments.remind_not_allowed", nil)
	}
	return p.OrNil()
}

// audienceOf fixes the members an include or exclude post names: the
// chosen friends and every friend carrying a chosen tag now. A chosen
// member who is not a friend is refused (naming them), not dropped.
func (s *Service) audienceOf(authorID string, circle map[string]contacts.Tie, in PostInput) ([]string, error) {
	if in.Visibility != VisibleInclude && in.Visibility != VisibleExclude {
		return nil, nil
	}
	for _, m := range in.Members {
		if _, ok := circle[m]; !ok {
			return nil, problem.Invalid("members", "moments.not_a_friend", nil)
		}
	}
	tagged, err := contacts.FriendsTagged(s.app, authorID, in.Tags)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(in.Members)
	for _, m := range tagged {
		if _, ok := circle[m]; ok {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// checkReminds lets a post remind only friends who will be able to see it.
func checkReminds(circle map[string]contacts.Tie, in PostInput, audience []string) error {
	for _, m := range in.Reminds {
		tie, friend := circle[m]
		listed := slices.Contains(audience, m)
		if !friend || tie.ChatOnly || tie.HideMine || // they could not see the post
			in.Visibility == VisibleInclude && !listed || in.Visibility == VisibleExclude && listed {
			return problem.Invalid("reminds", "moments.remind_not_allowed", nil)
		}
	}
	return nil
}

// insertPost writes the post, its fixed audience, its media and the
// remind notifications in the caller's transaction.
func insertPost(txApp core.App, id, authorID string, in PostInput, audience []string, stored []media.Item, share string, now time.Time) error {
	at := now.Format(types.DefaultDateLayout)
	kind := ""
	if len(stored) > 0 {
		kind = stored[0].Kind
	}
	reminds := in.Reminds
	if reminds == nil {
		reminds = []string{}
	}
	if share == "" {
		share = "null"
	}
	_, err := txApp.DB().NewQuery(`INSERT INTO moments_posts (id, author, text, location, visibility, reminds, media_count, media_kind, share, taken_down, posted, created, updated)
		VALUES ({:id}, {:a}, {:t}, {:l}, {:vis}, {:r}, {:mc}, {:mk}, {:share}, 0, {:at}, {:at}, {:at})`).
		Bind(dbx.Params{"id": id, "a": authorID, "t": in.Text, "l": in.Location, "vis": in.Visibility, "r": jsonList(reminds),
			"mc": len(stored), "mk": kind, "share": share, "at": at}).Execute()
	if err != nil {
		return fmt.Errorf("insert post: %w", err)
	}
	if len(audience) > 0 {
		rows := make([][2]string, len(audience))
		for i, m := range audience {
			// ids next to each other (the post's id and a counter), so
			// the rows go into a few adjacent pages of the id index.
			rows[i] = [2]string{id[:11] + strconv.FormatInt(int64(36*36*36+i), 36)[:4], m}
		}
		_, err := txApp.DB().NewQuery(`INSERT INTO moments_audience (id, post, member)
			SELECT json_extract(value, '$[0]'), {:p}, json_extract(value, '$[1]') FROM json_each({:rows})`).
			Bind(dbx.Params{"p": id, "rows": jsonRows(rows)}).Execute()
		if err != nil {
			return fmt.Errorf("insert audience: %w", err)
		}
	}
	if err := media.SaveItems(txApp, "moments_media", id, stored); err != nil {
		return err
	}
	for _, m := range in.Reminds {
		if err := addNote(txApp, m, authorID, id, NoteRemind, "", at); err != nil {
			return err
		}
	}
	return nil
}

// Delete removes authorID's post with its likes, comments, notifications
// and files. Anyone else's post is moments.not_found.
func (s *Service) Delete(authorID, postID string) error {
	rec, err := s.ownPost(authorID, postID)
	if err != nil {
		return err
	}
	if err := s.app.Delete(rec); err != nil { // cascades: media (files), audience, likes, comments, notifications
		return fmt.Errorf("delete post: %w", err)
	}
	s.postChanged(postID, true, authorID)
	return nil
}

// SetPrivate makes authorID's post private after publishing (WeChat's
// "Private"): only the author sees it, its likes and comments included.
func (s *Service) SetPrivate(authorID, postID string) error {
	rec, err := s.ownPost(authorID, postID)
	if err != nil {
		return err
	}
	rec.Set("visibility", VisiblePrivate)
	if err := s.app.Save(rec); err != nil {
		return fmt.Errorf("make post private: %w", err)
	}
	s.postChanged(postID, false, authorID)
	return nil
}

func (s *Service) ownPost(authorID, postID string) (*core.Record, error) {
	rec, err := s.app.FindRecordById("moments_posts", postID)
	if err != nil || rec.GetString("author") != authorID || rec.GetBool("taken_down") {
		return nil, notFound()
	}
	return rec, nil
}

func jsonRows(rows [][2]string) string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = jsonList(r[:])
	}
	return "[" + strings.Join(out, ",") + "]"
}
