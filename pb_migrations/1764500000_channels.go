package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

func init() {
	m.Register(channelsUp, channelsDown)
}

// channelsUp adds Channels: one channel per member, posts with photos or
// a video and #hashtags, likes, comments with one level of replies,
// follows, favourites, daily view counts and per-channel daily stats, and
// the settings for a Channels video.
//
// Every rule is nil (superusers only): public pages show what hooks/
// channels decides (never a taken-down post; likes only as counts and to
// friends), so the records API and its realtime SSE serve members and
// visitors nothing. Superusers mark channels verified and take posts down
// in /_/ (taken_down). Media files are protected and served by Channels'
// own route, which checks the post first, so a takedown stops them too.
//
// One piece: a migration creates its schema in one step, read top to
// bottom in the order the tables depend on each other.
func channelsUp(app core.App) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}

	channels := core.NewBaseCollection("channels")
	channels.Fields.Add(
		&core.RelationField{Name: "owner", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "handle", Required: true, Min: 3, Max: 30, Pattern: `^[a-z0-9_]+$`},
		&core.TextField{Name: "name", Required: true, Max: 40},
		&core.TextField{Name: "bio", Max: 200},
		&core.FileField{Name: "avatar", MaxSelect: 1, MaxSize: 5 << 20, Protected: true, Thumbs: []string{"160x160"}},
		&core.BoolField{Name: "verified"},
		&core.NumberField{Name: "followers", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "posts", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	channels.AddIndex("idx_channels_owner", true, "owner", "")
	channels.AddIndex("idx_channels_handle", true, "handle", "")
	if err := app.Save(channels); err != nil {
		return err
	}

	posts := core.NewBaseCollection("channels_posts")
	posts.Fields.Add(
		&core.RelationField{Name: "channel", CollectionId: channels.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "caption", Max: 1000},
		&core.TextField{Name: "location", Max: 100},
		&core.SelectField{Name: "media_kind", MaxSelect: 1, Values: []string{"photo", "video"}},
		&core.NumberField{Name: "media_count", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "likes", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "comments", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "views", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "hot"}, // the Popular score (docs/CHANNELS.md)
		&core.BoolField{Name: "taken_down"},
		&core.DateField{Name: "posted", Required: true},
		&core.DateField{Name: "edited"},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	posts.AddIndex("idx_channels_posts_channel_posted", false, "channel, posted", "")
	posts.AddIndex("idx_channels_posts_posted", false, "posted", "")
	posts.AddIndex("idx_channels_posts_hot", false, "hot", "")
	if err := app.Save(posts); err != nil {
		return err
	}

	media := core.NewBaseCollection("channels_media")
	media.Fields.Add(
		&core.RelationField{Name: "post", CollectionId: posts.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.NumberField{Name: "position", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"photo", "video"}},
		&core.FileField{Name: "file", Required: true, MaxSelect: 1, MaxSize: 2000 << 20, Protected: true, Thumbs: []string{"360x360", "720x0"}},
		&core.FileField{Name: "poster", MaxSelect: 1, MaxSize: 5 << 20, Protected: true, Thumbs: []string{"360x360", "720x0"}},
		&core.NumberField{Name: "width", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "height", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "duration_ms", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.TextField{Name: "mime", Max: 100},
		&core.NumberField{Name: "size", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	media.AddIndex("idx_channels_media_post", false, "post, position", "")
	if err := app.Save(media); err != nil {
		return err
	}

	// A post's hashtags, with its time, for hashtag pages newest first.
	tags := core.NewBaseCollection("channels_tags")
	tags.Fields.Add(
		&core.RelationField{Name: "post", CollectionId: posts.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "tag", Required: true, Max: 50},
		&core.DateField{Name: "posted", Required: true},
	)
	tags.AddIndex("idx_channels_tags_tag_posted", false, "tag, posted", "")
	tags.AddIndex("idx_channels_tags_post_tag", true, "post, tag", "")
	if err := app.Save(tags); err != nil {
		return err
	}

	likes := core.NewBaseCollection("channels_likes")
	likes.Fields.Add(
		&core.RelationField{Name: "post", CollectionId: posts.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "member", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.DateField{Name: "at", Required: true},
	)
	likes.AddIndex("idx_channels_likes_post_member", true, "post, member", "")
	likes.AddIndex("idx_channels_likes_member_at", false, "member, at", "")
	if err := app.Save(likes); err != nil {
		return err
	}

	comments := core.NewBaseCollection("channels_comments")
	comments.Fields.Add(
		&core.RelationField{Name: "post", CollectionId: posts.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "author", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "parent", Max: 15},   // the top-level comment a reply belongs to, "" for one
		&core.TextField{Name: "reply_to", Max: 15}, // the member a reply answers, "" for none
		&core.TextField{Name: "text", Required: true, Max: 500},
		&core.BoolField{Name: "pinned"},
		&core.DateField{Name: "at", Required: true},
	)
	comments.AddIndex("idx_channels_comments_post_at", false, "post, at", "")
	comments.AddIndex("idx_channels_comments_parent", false, "parent", "")
	if err := app.Save(comments); err != nil {
		return err
	}

	follows := core.NewBaseCollection("channels_follows")
	follows.Fields.Add(
		&core.RelationField{Name: "channel", CollectionId: channels.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "member", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.DateField{Name: "at", Required: true},
	)
	follows.AddIndex("idx_channels_follows_member_channel", true, "member, channel", "")
	follows.AddIndex("idx_channels_follows_channel", false, "channel, at", "")
	if err := app.Save(follows); err != nil {
		return err
	}

	favs := core.NewBaseCollection("channels_favourites")
	favs.Fields.Add(
		&core.RelationField{Name: "post", CollectionId: posts.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "member", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.DateField{Name: "at", Required: true},
	)
	favs.AddIndex("idx_channels_favourites_member_post", true, "member, post", "")
	favs.AddIndex("idx_channels_favourites_member_at", false, "member, at", "")
	if err := app.Save(favs); err != nil {
		return err
	}

	// One row per viewer per post per day: a member's id, or for a
	// signed-out visitor a hash under a salt that lives one day in memory
	// (no IP address is stored).
	views := core.NewBaseCollection("channels_views")
	views.Fields.Add(
		&core.RelationField{Name: "post", CollectionId: posts.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "viewer", Required: true, Max: 64},
		&core.TextField{Name: "day", Required: true, Max: 10},
	)
	views.AddIndex("idx_channels_views_post_viewer_day", true, "post, viewer, day", "")
	views.AddIndex("idx_channels_views_day", false, "day", "")
	if err := app.Save(views); err != nil {
		return err
	}

	daily := core.NewBaseCollection("channels_daily")
	daily.Fields.Add(
		&core.RelationField{Name: "channel", CollectionId: channels.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "day", Required: true, Max: 10},
		&core.NumberField{Name: "views", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "followed", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "unfollowed", OnlyInt: true, Min: types.Pointer(0.0)},
	)
	daily.AddIndex("idx_channels_daily_channel_day", true, "channel, day", "")
	if err := app.Save(daily); err != nil {
		return err
	}
	if err := channelsReportsUp(app); err != nil {
		return err
	}
	return channelsSettingsUp(app)
}

// channelsReportsUp lets the one reports queue hold Channels posts and
// comments.
func channelsReportsUp(app core.App) error {
	c, err := app.FindCollectionByNameOrId("reports")
	if err != nil {
		return err
	}
	if kind, ok := c.Fields.GetByName("kind").(*core.SelectField); ok {
		kind.Values = append(kind.Values, "channels_post", "channels_comment")
	}
	return app.Save(c)
}

// channelsSettingsUp adds the community's limits of a Channels video.
func channelsSettingsUp(app core.App) error {
	c, err := app.FindCollectionByNameOrId("settings")
	if err != nil {
		return err
	}
	c.Fields.Add(
		&core.NumberField{Name: "channels_video_max_mb", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(2000.0)},
		&core.NumberField{Name: "channels_video_max_seconds", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(3600.0)},
	)
	if err := app.Save(c); err != nil {
		return err
	}
	row, err := app.FindRecordById(c, SettingsRecordID)
	if err != nil {
		return err
	}
	row.Set("channels_video_max_mb", 200)
	row.Set("channels_video_max_seconds", 600)
	return app.Save(row)
}

func channelsDown(app core.App) error {
	r, err := app.FindCollectionByNameOrId("reports")
	if err != nil {
		return err
	}
	if kind, ok := r.Fields.GetByName("kind").(*core.SelectField); ok {
		kind.Values = []string{"message", "person", "moments_post", "moments_comment"}
	}
	if err := app.Save(r); err != nil {
		return err
	}
	c, err := app.FindCollectionByNameOrId("settings")
	if err != nil {
		return err
	}
	c.Fields.RemoveByName("channels_video_max_mb")
	c.Fields.RemoveByName("channels_video_max_seconds")
	if err := app.Save(c); err != nil {
		return err
	}
	for _, name := range []string{"channels_daily", "channels_views", "channels_favourites", "channels_follows",
		"channels_comments", "channels_likes", "channels_tags", "channels_media", "channels_posts", "channels"} {
		col, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		if err := app.Delete(col); err != nil {
			return err
		}
	}
	return nil
}
