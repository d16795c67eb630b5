package channels

// SetFollowFew changes where the Following feed stops reading each
// followed channel's posts and walks all posts by time (followFew), so a
// test can take both paths on a small world.
func (s *Service) SetFollowFew(n int) { s.followFew = n }

// PlanSQL are the Following page queries TestFollowingQueriesUseTheIndex
// explains, by name.
var PlanSQL = map[string]string{"many": followingManySQL, "few": followingFewSQL}
