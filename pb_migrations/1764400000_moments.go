package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

func init() {
	m.Register(momentsUp, momentsDown)
}

// momentsUp adds Moments: posts, their media, fixed audiences, likes,
// comments, notifications and each member's Moments settings.
//
// Every rule is nil (superusers only): who may see a post depends on
// friendships, blocks, per-friend switches, tag audiences and the
// author's time range, which only hooks/moments decides. The records API
// and its realtime SSE therefore show members nothing of Moments, and the
// media files are protected: members fetch them through Moments' own
// route, which checks the post first.
//
// One piece: a migration creates its schema in one step, read top to
// bottom in the order the tables depend on each other.
func momentsUp(app core.App) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}

	posts := core.NewBaseCollection("moments_posts")
	posts.Fields.Add(
		&core.RelationField{Name: "author", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "text", Max: 2000},
		&core.TextField{Name: "location", Max: 100},
		&core.SelectField{Name: "visibility", Required: true, MaxSelect: 1, Values: []string{"all", "private", "include", "exclude"}},
		&core.JSONField{Name: "reminds", MaxSize: 4 << 10}, // member ids reminded
		&core.NumberField{Name: "media_count", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.SelectField{Name: "media_kind", MaxSelect: 1, Values: []string{"photo", "video"}},
		&core.BoolField{Name: "taken_down"},
		&core.DateField{Name: "posted", Required: true},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	posts.AddIndex("idx_moments_posts_posted", false, "posted", "")
	posts.AddIndex("idx_moments_posts_author_posted", false, "author, posted", "")
	if err := app.Save(posts); err != nil {
		return err
	}

	media := core.NewBaseCollection("moments_media")
	media.Fields.Add(
		&core.RelationField{Name: "post", CollectionId: posts.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.NumberField{Name: "position", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"photo", "video"}},
		&core.FileField{Name: "file", Required: true, MaxSelect: 1, MaxSize: 500 << 20, Protected: true, Thumbs: []string{"360x360"}},
		&core.FileField{Name: "poster", MaxSelect: 1, MaxSize: 5 << 20, Protected: true, Thumbs: []string{"360x360"}},
		&core.NumberField{Name: "width", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "height", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "duration_ms", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.TextField{Name: "mime", Max: 100},
		&core.NumberField{Name: "size", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	media.AddIndex("idx_moments_media_post", false, "post, position", "")
	if err := app.Save(media); err != nil {
		return err
	}

	// The members a post is shared with (visibility "include") or hidden
	// from ("exclude"), fixed when it is posted: tags are expanded then.
	audience := core.NewBaseCollection("moments_audience")
	audience.Fields.Add(
		&core.RelationField{Name: "post", CollectionId: posts.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "member", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
	)
	audience.AddIndex("idx_moments_audience_post_member", true, "post, member", "")
	if err := app.Save(audience); err != nil {
		return err
	}

	likes := core.NewBaseCollection("moments_likes")
	likes.Fields.Add(
		&core.RelationField{Name: "post", CollectionId: posts.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "member", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	likes.AddIndex("idx_moments_likes_post_member", true, "post, member", "")
	if err := app.Save(likes); err != nil {
		return err
	}

	comments := core.NewBaseCollection("moments_comments")
	comments.Fields.Add(
		&core.RelationField{Name: "post", CollectionId: posts.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "author", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "reply_to", Max: 15}, // the member answered ("B replied to C"), "" for none
		&core.TextField{Name: "text", Required: true, Max: 500},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	comments.AddIndex("idx_moments_comments_post", false, "post, created", "")
	if err := app.Save(comments); err != nil {
		return err
	}

	// What happened to a member's posts and comments: likes, comments,
	// replies and reminds. Filtered by the same rules when read.
	notes := core.NewBaseCollection("moments_notifications")
	notes.Fields.Add(
		&core.RelationField{Name: "member", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "actor", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "post", CollectionId: posts.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"like", "comment", "reply", "remind"}},
		&core.TextField{Name: "comment", Max: 15}, // the comment, for comments and replies
		&core.DateField{Name: "at", Required: true},
	)
	notes.AddIndex("idx_moments_notifications_member_at", false, "member, at", "")
	notes.AddIndex("idx_moments_notifications_comment", false, "comment", "")
	if err := app.Save(notes); err != nil {
		return err
	}

	prefs := core.NewBaseCollection("moments_settings")
	prefs.Fields.Add(
		&core.RelationField{Name: "member", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.SelectField{Name: "range", MaxSelect: 1, Values: []string{"all", "6m", "1m", "3d"}},
		&core.BoolField{Name: "strangers_ten"},
		&core.FileField{Name: "cover", MaxSelect: 1, MaxSize: 10 << 20, Protected: true, Thumbs: []string{"960x540"}},
		&core.DateField{Name: "notes_read"}, // notifications seen up to
		&core.DateField{Name: "feed_seen"},  // the feed looked at up to (Discover's dot)
	)
	prefs.AddIndex("idx_moments_settings_member", true, "member", "")
	return app.Save(prefs)
}

func momentsDown(app core.App) error {
	for _, name := range []string{"moments_settings", "moments_notifications", "moments_comments", "moments_likes",
		"moments_audience", "moments_media", "moments_posts"} {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	return nil
}
