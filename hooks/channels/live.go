package channels

// Live tells members' open tabs what changed (the chat socket, passed in
// by hooks.Register); nil sends nothing.
type Live interface {
	// Push sends one frame to every open socket of each member.
	Push(memberIDs []string, frame any)
}

// PostFrame tells a member's tabs that a post's counts or comments
// changed (their own like, comment or favourite on another tab, or
// someone's on their channel): pages fetch its counters again.
type PostFrame struct {
	T  string `json:"t"` // "channels_post"
	ID string `json:"id"`
}

// ChannelFrame tells a member's tabs that they followed or unfollowed a
// channel, or that their channel's follower count changed.
type ChannelFrame struct {
	T      string `json:"t"` // "channels_channel"
	Handle string `json:"handle"`
}

// postChanged tells the actor's tabs and the post's owner.
func (s *Service) postChanged(postID, actorID string) {
	if s.live == nil {
		return
	}
	ids := []string{actorID}
	if p, err := s.loadPost(postID, false); err == nil && p.Owner != actorID {
		ids = append(ids, p.Owner)
	}
	s.live.Push(ids, PostFrame{T: "channels_post", ID: postID})
}

// tellMember tells only the member's own tabs that a post changed for
// them (their favourite).
func (s *Service) tellMember(memberID, postID string) {
	if s.live != nil {
		s.live.Push([]string{memberID}, PostFrame{T: "channels_post", ID: postID})
	}
}

// channelChanged tells the follower's tabs and the channel's owner.
func (s *Service) channelChanged(ch Channel, actorID string) {
	if s.live == nil {
		return
	}
	ids := []string{actorID}
	if ch.Owner != actorID {
		ids = append(ids, ch.Owner)
	}
	s.live.Push(ids, ChannelFrame{T: "channels_channel", Handle: ch.Handle})
}
