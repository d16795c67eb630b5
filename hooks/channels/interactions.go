package channels

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/contacts"
)

// Like makes memberID like ("recommend") a post: its count rises and
// their friends see it in their Friends feed. Liking again changes
// nothing.
func (s *Service) Like(memberID, postID string) (Post, error) {
	return s.toggle(memberID, postID, `INSERT INTO channels_likes (id, post, member, at) VALUES ({:id}, {:p}, {:m}, {:at})
		ON CONFLICT (post, member) DO NOTHING`, `UPDATE channels_posts SET likes = likes + 1 WHERE id = {:p}`, true, true)
}

// Unlike takes memberID's like back.
func (s *Service) Unlike(memberID, postID string) (Post, error) {
	return s.toggle(memberID, postID, `DELETE FROM channels_likes WHERE post = {:p} AND member = {:m}`,
		`UPDATE channels_posts SET likes = max(likes - 1, 0) WHERE id = {:p}`, true, false)
}

// Favourite saves a post to memberID's favourites.
func (s *Service) Favourite(memberID, postID string) (Post, error) {
	return s.toggle(memberID, postID, `INSERT INTO channels_favourites (id, post, member, at) VALUES ({:id}, {:p}, {:m}, {:at})
		ON CONFLICT (member, post) DO NOTHING`, "", false, false)
}

// Unfavourite removes a post from memberID's favourites.
func (s *Service) Unfavourite(memberID, postID string) (Post, error) {
	return s.toggle(memberID, postID, `DELETE FROM channels_favourites WHERE post = {:p} AND member = {:m}`, "", false, false)
}

// toggle runs change for a post memberID can see; when it changed a row,
// count runs too and (score) the Popular score follows. A guarded change
// (a like) is refused between people on either side of a block.
func (s *Service) toggle(memberID, postID, change, count string, score, guard bool) (Post, error) {
	post, err := s.loadPost(postID, false)
	if err != nil {
		return Post{}, err
	}
	changed := false
	err = s.app.RunInTransaction(func(tx core.App) error {
		if guard {
			if err := notCut(tx, memberID, post.Owner); err != nil {
				return err
			}
		}
		res, err := tx.DB().NewQuery(change).Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "p": postID, "m": memberID,
			"at": s.now().Format(types.DefaultDateLayout)}).Execute()
		if err != nil {
			return fmt.Errorf("change post: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		if changed = true; count == "" {
			return nil
		}
		if _, err := tx.DB().NewQuery(count).Bind(dbx.Params{"p": postID}).Execute(); err != nil {
			return fmt.Errorf("count: %w", err)
		}
		if score {
			return rescore(tx, postID)
		}
		return nil
	})
	if err != nil {
		return Post{}, err
	}
	switch {
	case changed && score: // the count changed: the actor's tabs and the owner's
		s.postChanged(postID, memberID)
	case changed: // a favourite is the member's own business
		s.tellMember(memberID, postID)
	}
	return s.PostFor(memberID, postID)
}

// notCut refuses an action between two members on either side of a
// block (the same 404 as a missing post: a block is never told).
func notCut(tx core.App, memberID, otherID string) error {
	cut, err := contacts.Cut(tx, memberID, otherID)
	if err != nil {
		return err
	}
	if cut {
		return notFound()
	}
	return nil
}

// Follow makes memberID follow the channel handle (their own too, as
// WeChat allows). Following again changes nothing.
func (s *Service) Follow(memberID, handle string) (Channel, error) {
	return s.follow(memberID, handle, true)
}

// Unfollow stops memberID following handle.
func (s *Service) Unfollow(memberID, handle string) (Channel, error) {
	return s.follow(memberID, handle, false)
}

func (s *Service) follow(memberID, handle string, on bool) (Channel, error) {
	ch, err := s.ByHandle(memberID, handle)
	if err != nil {
		return Channel{}, err
	}
	now := s.now()
	p := dbx.Params{"id": core.GenerateDefaultRandomId(), "c": ch.ID, "m": memberID, "at": now.Format(types.DefaultDateLayout),
		"day": now.Format("2006-01-02")}
	change, count, column := `DELETE FROM channels_follows WHERE member = {:m} AND channel = {:c}`,
		`UPDATE channels SET followers = max(followers - 1, 0) WHERE id = {:c}`, "unfollowed"
	if on {
		change, count, column = `INSERT INTO channels_follows (id, channel, member, at) VALUES ({:id}, {:c}, {:m}, {:at})
			ON CONFLICT (member, channel) DO NOTHING`, `UPDATE channels SET followers = followers + 1 WHERE id = {:c}`, "followed"
	}
	err = s.app.RunInTransaction(func(tx core.App) error {
		if err := notCut(tx, memberID, ch.Owner); err != nil && on {
			return err
		}
		res, err := tx.DB().NewQuery(change).Bind(p).Execute()
		if err != nil {
			return fmt.Errorf("follow: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		if _, err := tx.DB().NewQuery(count).Bind(p).Execute(); err != nil {
			return fmt.Errorf("count followers: %w", err)
		}
		return addDaily(tx, ch.ID, p["day"].(string), column, 1)
	})
	if err != nil {
		return Channel{}, err
	}
	s.channelChanged(ch, memberID)
	return s.ByHandle(memberID, handle)
}

// addDaily adds n to a column (views, followed, unfollowed) of a
// channel's day in the stats: one upsert.
func addDaily(tx core.App, channelID, day, column string, n int) error {
	first := func(c string) int { // the new day's row starts at n
		if c == column {
			return n
		}
		return 0
	}
	// column is one of three constants, never input.
	_, err := tx.DB().NewQuery(`INSERT INTO channels_daily (id, channel, day, views, followed, unfollowed)
		VALUES ({:id}, {:c}, {:d}, {:views}, {:followed}, {:unfollowed})
		ON CONFLICT (channel, day) DO UPDATE SET ` + column + ` = ` + column + ` + {:n}`).
		Bind(dbx.Params{"n": n, "id": core.GenerateDefaultRandomId(), "c": channelID, "d": day,
			"views": first("views"), "followed": first("followed"), "unfollowed": first("unfollowed")}).Execute()
	if err != nil {
		return fmt.Errorf("daily count: %w", err)
	}
	return nil
}
